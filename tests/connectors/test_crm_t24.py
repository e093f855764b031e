"""What the t24 tuning files showed of HubSpot's and Salesforce's own exports: HubSpot's email
activities (each mail read by its direction, a rep's forward as the forwarded mail), a note
on a contact only (`Name (email)`), a call recorder's stub and a "-- Tom" sign-off; a Data
Loader export naming one account by its 15- and its 18-character id; a Lightning activities
report ("Company / Account", "Comments" beside "Full Comments", a Teams invitation under an
event's notes). Each rule on a small file of its own, so a change that breaks one names it."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.salesforce import id_forms
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz", "Tom Becker")
)
EMAILS_HEADER = (
    "Record ID,Activity date,Email subject,Email text,Email direction,Email from address,"
    "Created by,Sequence name,Associated Company,Associated Contact\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_hubspot_email_activities_are_read_by_their_direction(tmp_path: Path) -> None:
    """HubSpot's email activities export (no "Note body"): an incoming mail is the customer's
    words without the Outlook block it quotes or their signature (their name found among the
    associated contacts); an outgoing reply is the team's; a sequence's step is a bot's; an
    out-of-office is an auto-reply. The company is named as written ('Tidewater Cafés')."""
    path = _write(
        tmp_path,
        "emails.csv",
        EMAILS_HEADER
        + '1,2026-11-30 09:12,RE: Labels,"The labels print the county tax twice.\n\nRafael\n'
        "Operations Lead, Umbrella Retail\n\nFrom: Sam Ortiz <sam@ourco.com>\n"
        'Sent: Friday, November 27, 2026 4:40 PM\nSubject: Labels\n\nIs the fix live?",'
        "Incoming email,rafa84@gmail.com,,,Tidewater Cafés,"
        "Rafael Quintero (rafa84@gmail.com)\n"
        "2,2026-11-30 10:05,RE: Labels,Thanks! A fix ships next week.,Outgoing email,"
        "sam@ourco.com,Sam Ortiz,,Tidewater Cafés,\n"
        "3,2026-12-01 08:00,Quick idea,Worth a 15-minute look?,Outgoing email,"
        "tom.becker@ourco.com,Sequences,Q4 Expansion,Tidewater Cafés,\n"
        "4,2026-12-02 12:01,Automatic reply: Quick idea,I am travelling until 9 December.,"
        "Incoming email,maya@tidewater.example,,,Tidewater Cafés,\n",
    )
    read = read_clean("hubspot", path, OURS)
    assert [(r.text, r.account_ref, r.contact_email, r.contact_name) for r in read.feedback] == [
        (
            "The labels print the county tax twice.",
            "Tidewater Cafés",
            "rafa84@gmail.com",
            "Rafael Quintero",
        )
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["internal", "bot", "auto-reply"]


def test_a_forwarded_email_activity_is_the_forwarded_mail(tmp_path: Path) -> None:
    """A rep forwards a customer's mail into HubSpot ("Forwarded email"): the evidence is the
    customer's mail under the "Forwarded message" header, by its sender; the rep's own line
    above it is not."""
    path = _write(
        tmp_path,
        "emails.csv",
        EMAILS_HEADER + '5,2026-12-02 11:30,Fwd: SSO,"Logging this for the renewal file.\n\n'
        "---------- Forwarded message ---------\n"
        "From: Helga Jansen <helga.jansen@hooli.example>\nDate: Tue, Dec 1, 2026 at 5:02 PM\n"
        "Subject: SSO\nTo: Tom Becker <tom.becker@ourco.com>\n\n"
        'Without nested group sync we maintain 60 groups twice.\n\nHelga",'
        "Forwarded email,tom.becker@ourco.com,Tom Becker,,Hooli Cloud,\n",
    )
    read = read_clean("hubspot", path, OURS)
    assert [(r.text, r.contact_email, r.contact_name) for r in read.feedback] == [
        (
            "Without nested group sync we maintain 60 groups twice.",
            "helga.jansen@hooli.example",
            "Helga Jansen",
        )
    ]


NOTES_HEADER = (
    "Record ID,Activity date,Note body,Created by,Associated Company,Associated Company IDs,"
    "Associated Contact,Associated Contact IDs\n"
)


def test_a_hubspot_note_on_a_contact_only_is_the_contacts(tmp_path: Path) -> None:
    """A HubSpot note associated with a contact and no company: the contact, written
    `Name (email)` (several joined by ';', the team's own first here), is the note's, so its
    email's domain finds the account."""
    path = _write(
        tmp_path,
        "notes.csv",
        NOTES_HEADER + "1,2026-12-01 16:20,<div>The audit trail doesn&#39;t show who reprinted a "
        "label.</div>,Priya Raman,,,Priya Raman (priya@ourco.com);Noor Haddad "
        "(noor.haddad@initech.example),51009\n",
    )
    read = read_clean("hubspot", path, OURS)
    assert [(r.text, r.account_ref, r.contact_email, r.contact_name) for r in read.feedback] == [
        (
            "The audit trail doesn't show who reprinted a label.",
            None,
            "noor.haddad@initech.example",
            "Noor Haddad",
        )
    ]


def test_a_call_recorders_stub_is_a_bot_and_a_dash_sign_off_is_cut(tmp_path: Path) -> None:
    """What a recorder's integration logs ("Call recorded with Gong: <link>", "Gong call
    recorded: <link> (no summary available)") is only a link: bot. A note that says a call was
    recorded and what was said is a note. A note signed "-- Tom" loses the sign-off; a last
    bullet ("- Needs a credit") is the note's."""
    path = _write(
        tmp_path,
        "notes.csv",
        NOTES_HEADER
        + '1,2026-12-03 17:00,"<p>Call recorded with Gong: <a href=""https://app.gong.io/call?'
        'id=7"">https://app.gong.io/call?id=7</a></p>",Gong,Hooli Cloud,1,,\n'
        "2,2026-12-04 10:00,Gong call recorded: https://app.gong.io/call?id=8 (no summary "
        "available),Gong,Acme Robotics,2,,\n"
        "3,2026-12-04 11:00,Recorded the call. They need the rate limit raised to 300/min for "
        "the nightly sync.,Tom Becker,Hooli Cloud,1,,\n"
        '4,2026-12-04 16:00,"<p>The rate limit is too low.</p><p><br></p><p>-- Tom</p>",'
        "Tom Becker,Hooli Cloud,1,,\n"
        '5,2026-12-04 17:00,"Renewal risk:\n- Needs a credit",Sam Ortiz,Globex Freight,3,,\n',
    )
    read = read_clean("hubspot", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Recorded the call. They need the rate limit raised to 300/min for the nightly sync.",
        "The rate limit is too low.",
        "Renewal risk:\n- Needs a credit",
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["bot", "bot"]


def test_a_salesforce_ids_15_and_18_character_forms_are_one_record() -> None:
    """Salesforce's 15-character id is case-sensitive; the 18-character one adds three
    characters spelling which of the 15 are capitals. Either gives both."""
    assert id_forms("001Dn00000Q7wXz") == ("001Dn00000Q7wXz", "001Dn00000Q7wXzIAJ")
    assert id_forms("001Dn00000Q7wXzIAJ") == ("001Dn00000Q7wXz", "001Dn00000Q7wXzIAJ")
    assert id_forms("Brightwater Labs") == ()


DATA_LOADER = (
    '"ID","PARENTID","PARENT.NAME","PARENT.TYPE","TITLE","BODY","ISDELETED","CREATEDDATE"\n'
    '"002Dn0000012kQ4IAE","001Dn00000Q7wXzIAJ","Brightwater Labs","Account","Security review",'
    '"Brightwater want audit trails exported to their SIEM.","false","2026-12-01T13:20:00.000Z"\n'
    '"002Dn0000012kQ5IAE","001Dn00000Q7wXz","","","Follow-up","Their CISO would accept a daily '
    'CSV drop as a stopgap.","false","2026-12-03T16:45:00.000Z"\n'
)


def test_an_unknown_account_by_both_id_forms_is_one_created_account(
    session: Session, tmp_path: Path
) -> None:
    """Data Loader's notes with "Parent.Name": an account Huddle does not know, named beside
    its 18-character id on one row and given by its 15-character id alone on another (a row
    pasted from a report), is one account: created once by its name with create_accounts,
    both notes on it."""
    admin = actor(session, "admin")
    path = _write(tmp_path, "Note.csv", DATA_LOADER)
    report = run(session, admin, "salesforce", path, create_accounts=True)
    assert report.created_accounts == ["Brightwater Labs"] and report.unmatched_accounts == {}
    account = session.scalar(select(Account).where(Account.name == "Brightwater Labs"))
    assert account is not None
    stored = session.scalars(select(Feedback).order_by(Feedback.external_id)).all()
    assert [f.account_id for f in stored] == [account.id, account.id]


LIGHTNING = (
    '"Activity ID","Subject","Activity Type","Date","Company / Account","Opportunity",'
    '"Comments","Full Comments"\n'
)


def test_a_lightning_activities_report(tmp_path: Path) -> None:
    """A Lightning "Details Only" activities report: the account in "Company / Account"; the
    words from "Full Comments", not "Comments" (cut at 255 characters); a Teams invitation
    pasted under an event's notes is cut, but notes that go on after a "Meeting ID:" line are
    the team's."""
    long = "Budget is flat. " * 16 + "The Terraform timeouts are the main renewal risk."
    path = _write(
        tmp_path,
        "activities.csv",
        LIGHTNING + f'"00T1","Call - renewal","Call","12/1/2026","Hooli Cloud","","{long[:255]}",'
        f'"{long}"\n'
        '"00U1","Roadmap preview","Meeting","12/4/2026","Umbrella Retail","","",'
        '"Carmen asked for store-level budget caps.\n\n'
        "________________________________________________________________________________\n"
        "Microsoft Teams meeting\nJoin on your computer, mobile app or room device\n"
        "Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19>\n"
        "Meeting ID: 291 774 018 332\nPasscode: Qm4kT9\n"
        '________________________________________________________________________________"\n'
        '"00U2","Zoom debrief","Meeting","12/4/2026","Globex Freight","","","Meeting ID: 881 '
        "2231 0099\nDispatch wants the dock slots to respect each depot's cut-off time before "
        'the peak season starts."\n',
    )
    read = read_clean("salesforce", path, OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        (long, "Hooli Cloud"),
        ("Carmen asked for store-level budget caps.", "Umbrella Retail"),
        (
            "Meeting ID: 881 2231 0099\nDispatch wants the dock slots to respect each depot's "
            "cut-off time before the peak season starts.",
            "Globex Freight",
        ),
    ]


def test_a_lightning_report_without_full_comments_reads_comments(tmp_path: Path) -> None:
    """A report whose "Full Comments" column was left out: its "Comments" are the words, as
    far as they go; a row with no account names it in its opportunity's name."""
    path = _write(
        tmp_path,
        "activities.csv",
        '"Activity ID","Subject","Date","Company / Account","Opportunity","Comments"\n'
        '"00T2","Call","12/2/2026","","Globex Freight - Fleet 2027","Procurement wants '
        'two-person deliveries planned."\n',
    )
    read = read_clean("salesforce", path, OURS)
    assert [(r.text, r.account_ref, r.mentions) for r in read.feedback] == [
        (
            "Procurement wants two-person deliveries planned.",
            None,
            ("Globex Freight - Fleet 2027", "Call"),
        )
    ]
