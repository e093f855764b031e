"""What round 24's record exports showed, each on a small input of its own: GLPI's ticket
list (semicolons, every cell quoted, entities as paths under the root, ids grouped by the
locale, people surname first), in English and French; Formbricks' responses (numbered
questions, a choice question beside its option ids, the team's notes and tags); Odoo's
chatter messages (notes, mails either way, the system's tracking, an activity's feedback),
in English and French; a HubSpot form's submissions."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.imports.rows import csv_format
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, refused, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("zentro.io",), staff_names=("Mira Patel",))

# GLPI writes every cell quoted and followed by the separator, so each line ends with one.
GLPI_EN = (
    "\ufeff"
    '"ID";"Title";"Entity";"Status";"Opening date";"Requester - Requester";'
    '"Request source";"Description";\n'
    '"1,204";"Label printer drops the lot number";"Root entity > Customers > Brightline '
    'Bakeries";"Processing (assigned)";"2026-10-05 08:40";"Okafor Dami";"E-Mail";"Hello,\n'
    "the label printer drops the lot number on every second label, so we reprint them by "
    'hand, about forty a day.\n\nDami Okafor\nProduction lead, Brightline Bakeries";\n'
    '"1,207";"Routing rules";"Root entity";"New";"2026-10-06 10:00";"ops@kestrel.example";'
    '"E-Mail";"Your routing rules ignore the depot\'\'s closing time; vans arrive after we '
    'lock up.";\n'
)


def test_glpi_in_english_reads_its_semicolons_paths_and_grouped_ids(tmp_path: Path) -> None:
    path = tmp_path / "glpi.csv"
    path.write_text(GLPI_EN, encoding="utf-8")
    first, second = read_clean("tickets", path, OURS).feedback
    assert (first.external_id, first.account_ref, first.title, first.contact_name) == (
        "1204",
        "Brightline Bakeries",
        "Label printer drops the lot number",
        "Okafor Dami",
    )
    assert first.occurred_at is not None and first.occurred_at.isoformat().startswith("2026-10-05")
    # The requester signs given name first: the signature is no part of their words.
    assert first.text == (
        "Hello,\nthe label printer drops the lot number on every second label, so we reprint "
        "them by hand, about forty a day."
    )
    # A ticket on the root itself names no customer; a requester known by address is one.
    assert (second.account_ref, second.contact_email, second.contact_name) == (
        None,
        "ops@kestrel.example",
        None,
    )


def test_a_semicolon_file_whose_quoted_cells_run_over_lines_with_commas_is_cut_at_semicolons() -> (
    None
):
    # Cut at commas, each of a description's lines is a row of two cells: more rows of one
    # width than the records are, but every one read by bending a quote.
    rows = "".join(
        f'"{n}";"Ticket {n}";"One, two\nthree, four\nfive, six\nseven, eight"\n' for n in range(6)
    )
    assert csv_format('"ID";"Title";"Description"\n' + rows)[0] == ";"
    # Descriptions so long that the sample read ends inside one: still semicolons.
    long = "".join(f'"{n}";"Ticket {n}";"' + "One, two\n" * 300 + '"\n' for n in range(40))
    sample = ('"ID";"Title";"Description"\n' + long)[: 64 * 1024]
    assert csv_format(sample)[0] == ";"


def test_glpi_in_french_creates_the_customers_entities_and_not_the_root(
    session: Session, tmp_path: Path
) -> None:
    create_account(session, name="Kestrel Vans", domain="kestrel.example")
    path = tmp_path / "glpi_fr.csv"
    path.write_text(
        '"ID";"Titre";"Entité";"Statut";"Date d\'ouverture";"Demandeur - Demandeur";'
        '"Source de la demande";"Description";\n'
        '"2 310";"Export des tournées";"Racine > Transports Vidal";"Nouveau";"05-10-2026 09:12";'
        '"Vidal Hugo";"Helpdesk";"L\'export des tournées ne contient pas les créneaux, nous '
        "les recopions à la main chaque soir.\n\nHugo Vidal\nResponsable d'exploitation, "
        'Transports Vidal";\n'
        '"2 311";"Question";"Racine";"Nouveau";"06-10-2026 10:00";"Fabre Lucie";"Helpdesk";'
        '"Pouvez-vous ajouter un filtre par dépôt dans le planning des chauffeurs ?";\n'
        '"2 312";"Planning";"Racine > Kestrel Vans";"Nouveau";"07-10-2026 11:30";"Ndiaye Awa";'
        '"E-Mail";"Le planning ne montre pas les congés des chauffeurs.";\n',
        encoding="utf-8",
    )
    report = run(session, actor(session, "admin"), "tickets", path, create_accounts=True)
    assert (report.errors, report.created_accounts) == ([], ["Transports Vidal"])
    on = {
        text[:20]: (name, when.date().isoformat())
        for text, name, when in session.execute(
            select(Feedback.text, Account.name, Feedback.occurred_at).outerjoin(
                Account, Account.id == Feedback.account_id
            )
        )
    }
    # "Racine" is the root every customer's entity hangs under: no account is made of it.
    assert on == {
        "L'export des tournée": ("Transports Vidal", "2026-10-05"),
        "Pouvez-vous ajouter ": (None, "2026-10-06"),
        "Le planning ne montr": ("Kestrel Vans", "2026-10-07"),
    }
    said = session.scalars(select(Feedback.text).where(Feedback.text.like("L'export%"))).one()
    assert said.endswith("chaque soir.")


FORMBRICKS = (
    '"No.","Response ID","Timestamp","Finished","Survey ID","Formbricks ID (internal)",'
    '"User ID","Notes","Tags","url","userAgent - browser","1. How likely are you to recommend '
    'Zentro to a colleague?","2. What should we improve first?","2. What should we improve '
    'first? - Option ID","3. What could we do better?","email","company"\n'
    '"1","r1","2026-10-02 09:00:00","Yes","s1","c1","u1","Mira Patel: called back",'
    '"detractor","https://app.zentro.io/home","Chrome","4","Reporting","opt_reports",'
    '"Exports time out once a month has more than 5,000 rows.","li@harbor.example","Harbor"\n'
    '"2","r2","2026-10-02 10:00:00","Yes","s1","c2","u2","","test","https://app.zentro.io/home",'
    '"Chrome","9","Mobile app","opt_mobile","Love the new shift view.","ben@quay.example","Quay"\n'
    '"3","r3","2026-10-03 11:00:00","No","s1","c3","u3","","","https://app.zentro.io/home",'
    '"Safari","7","Mobile app","opt_mobile","","ana@quay.example","Quay"\n'
)


def test_formbricks_responses_by_their_numbered_questions(tmp_path: Path) -> None:
    path = tmp_path / "formbricks.csv"
    path.write_text(FORMBRICKS, encoding="utf-8")
    read = read_clean("survey", path, OURS)
    (item,) = read.feedback
    # The open question's words; not the option chosen, its id, nor the team's note.
    assert item.text == "NPS 4 \u2013 Exports time out once a month has more than 5,000 rows."
    assert (item.account_ref, item.contact_email, item.external_id) == (
        "Harbor",
        "li@harbor.example",
        "r1",
    )
    # The team tagged their own try "test".
    assert left_out_of(read) == [("test", "NPS 9 \u2013 Love the new shift view.")]


ODOO = (
    '"Date","Message Record Name","Related Document Model","Related Document ID","Author",'
    '"Email From","Type","Subtype","Subject","Contents"\n'
    '"2026-10-01 09:00:00","Harbor Freight Co, Li Wei","res.partner","77","Zentro, Mira Patel",'
    '"""Mira Patel"" <mira@zentro.io>","Comment","Note","","<p>Li says the depot board '
    'freezes when more than 40 vans are live.</p>"\n'
    '"2026-10-02 09:00:00","Quay Stores: handheld rollout","crm.lead","12","Quay Stores, Ben '
    'Ortiz","""Ben Ortiz"" <ben@quay.example>","Incoming Email","Discussions","Re: rollout",'
    '"<div>We need the scanner app to work offline in the cold store.</div><div>Ben</div>'
    '<div class=""gmail_quote"">On Thu, Oct 1, 2026 at 4:10 PM Mira Patel &lt;mira@zentro.io'
    '&gt; wrote:<blockquote>Here is the rollout plan.</blockquote></div>"\n'
    '"2026-10-02 10:00:00","Quay Stores: handheld rollout","crm.lead","12","Zentro, Mira Patel",'
    '"""Mira Patel"" <mira@zentro.io>","Outgoing Email","Discussions","Re: rollout",'
    '"<p>Thanks Ben, noted.</p>"\n'
    '"2026-10-02 11:00:00","Quay Stores: handheld rollout","crm.lead","12","Zentro, Mira Patel",'
    '"""Mira Patel"" <mira@zentro.io>","Comment","Discussions","","<p>Sending the offline '
    'build next week.</p>"\n'
    '"2026-10-03 08:00:00","Quay Stores: handheld rollout","crm.lead","12","Zentro, Mira Patel",'
    '"""Mira Patel"" <mira@zentro.io>","System notification","Stage Changed","",'
    '"<p>Stage changed</p>"\n'
    '"2026-10-04 08:00:00","Harbor Freight Co","res.partner","70","Zentro, Mira Patel",'
    '"""Mira Patel"" <mira@zentro.io>","System notification","Activities","","<div><p>Call '
    'done</p><p>Feedback: they want the board on a TV in the yard.</p></div>"\n'
)


def test_odoo_messages_notes_mail_and_an_activitys_feedback_not_the_systems_tracking(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mail_message.csv"
    path.write_text(ODOO, encoding="utf-8")
    read = read_clean("salesforce", path, OURS)
    said = [(item.text, item.account_ref, item.contact_email) for item in read.feedback]
    assert said == [
        # A note on a contact: the company Odoo names before the person.
        (
            "Li says the depot board freezes when more than 40 vans are live.",
            "Harbor Freight Co",
            None,
        ),
        # A customer's mail on an opportunity: their words, its account left to the title.
        ("We need the scanner app to work offline in the cold store.", None, "ben@quay.example"),
        (
            "Call done\n\nFeedback: they want the board on a TV in the yard.",
            "Harbor Freight Co",
            None,
        ),
    ]
    assert read.feedback[1].mentions[0] == "Quay Stores: handheld rollout"
    # The team's mail and their message to the followers; the stage change is skipped.
    assert [reason for reason, _ in left_out_of(read)] == ["internal", "internal"]
    assert read.skipped_rows == 1


def test_an_opportunitys_thread_of_mails_alone_is_read_as_odoos_messages(
    tmp_path: Path,
) -> None:
    path = tmp_path / "thread.csv"
    path.write_text(
        '"Date","Message Record Name","Related Document Model","Related Document ID","Author",'
        '"Email From","Type","Subtype","Subject","Contents"\n'
        '"2026-10-02 09:00:00","Quay Stores: handheld rollout","crm.lead","12","Quay Stores, '
        'Ben Ortiz","ben@quay.example","Incoming Email","Discussions","Re: rollout","<p>Can '
        'the scanner app keep working when the cold store has no signal?</p>"\n'
        '"2026-10-02 11:00:00","Quay Stores: handheld rollout","crm.lead","12","Zentro, Mira '
        'Patel","mira@zentro.io","Comment","Discussions","","<p>Sending the offline build next '
        'week.</p>"\n',
        encoding="utf-8",
    )
    read = read_clean("salesforce", path, OURS)
    assert [(i.text, i.contact_email) for i in read.feedback] == [
        ("Can the scanner app keep working when the cold store has no signal?", "ben@quay.example")
    ]
    assert left_out_of(read) == [("internal", "Sending the offline build next week.")]


def test_odoo_in_french_with_a_tracking_only_row(tmp_path: Path) -> None:
    path = tmp_path / "messages_fr.csv"
    path.write_text(
        '"Date","Nom de l\'enregistrement du message","Modèle de document concerné",'
        '"ID du document associé","Auteur","De","Type","Sous-type","Sujet","Contenu"\n'
        '"2026-10-05 09:00:00","Transports Vidal","res.partner","31","Zentro, Mira Patel",'
        '"mira@zentro.io","Commentaire","Note","","<p>Hugo veut exporter les tournées avec '
        'les créneaux horaires.</p>"\n'
        '"2026-10-05 09:30:00","Transports Vidal - renouvellement","crm.lead","8",'
        '"Zentro, Mira Patel","mira@zentro.io","Notification Système","Étape modifiée","",""\n'
        '"2026-10-05 09:31:00","Transports Vidal - renouvellement","crm.lead","8",'
        '"Zentro, Mira Patel","mira@zentro.io","Notification Système","Étape modifiée","",'
        '"<p>Qualifié → Proposition</p>"\n',
        encoding="utf-8",
    )
    read = read_clean("salesforce", path, OURS)
    assert [(i.text, i.account_ref) for i in read.feedback] == [
        ("Hugo veut exporter les tournées avec les créneaux horaires.", "Transports Vidal")
    ]
    assert (read.left_out, read.skipped_rows) == ([], 2)


HUBSPOT_FORM = (
    "\ufeffConversion Date,Conversion Page,Conversion Title,First Name,Last Name,Email,"
    "Company Name,How can we help?,Subscribe to updates?\r\n"
    "2026-10-01 10:00,https://zentro.io/contact,Contact us,Li,Wei,li.wei@gmail.com,Harbor "
    'Freight Co,"The depot board freezes with more than 40 vans live, so dispatch reloads it '
    'every hour.",Yes\r\n'
    "2026-10-02 11:00,https://zentro.io/contact,Contact us,Ben,Ortiz,ben@quay.example,,"
    "Can the scanner app work offline in a cold store?,No\r\n"
    "2026-10-02 12:00,https://zentro.io/contact,Contact us,Ana,Lopes,ana@nordsee.example,"
    "Nordsee Fisch GmbH,We need the delivery notes in German and Portuguese.,Yes\r\n"
    "2026-10-03 09:00,https://zentro.io/contact,Contact us,test,test,mira@zentro.io,Zentro,"
    "test - ignore,No\r\n"
    "2026-10-03 10:00,https://zentro.io/contact,Contact us,Sam,Lee,sam@rank-up.example,RankUp,"
    '"We sell guest posts and backlinks, boost your SEO fast.",Yes\r\n'
)


def test_a_hubspot_forms_submissions_are_the_customers_words(
    session: Session, tmp_path: Path
) -> None:
    harbor = create_account(session, name="Harbor Freight Co", domain="harbor.example")
    quay = create_account(session, name="Quay Stores", domain="quay.example")
    path = tmp_path / "form_submissions.csv"
    path.write_text(HUBSPOT_FORM, encoding="utf-8", newline="")
    read = read_clean("hubspot", path, OURS)
    assert [(i.contact_name, i.account_ref, i.link_url) for i in read.feedback] == [
        ("Li Wei", "Harbor Freight Co", "https://zentro.io/contact"),
        ("Ben Ortiz", None, "https://zentro.io/contact"),
        ("Ana Lopes", "Nordsee Fisch GmbH", "https://zentro.io/contact"),
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["test", "spam"]
    report = run(session, actor(session, "admin"), "hubspot", path, internal_domains=("zentro.io",))
    assert (report.created, report.errors, report.unmatched_accounts) == (
        3,
        [],
        {"Nordsee Fisch GmbH": 1},
    )
    # A blank company: the submitter's address names the account.
    assert sorted(session.scalars(select(Feedback.account_id)), key=str) == sorted(
        [harbor.id, quay.id, None], key=str
    )


def test_a_notes_export_naming_a_conversion_is_still_notes(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        "Activity ID,Activity date,Note body,Associated Company,Recent Conversion Date,"
        "Conversion Page\n"
        "501,2026-10-01 10:00,<p>They want the board on a TV in the yard.</p>,Harbor Freight Co,"
        "2026-09-30,https://zentro.io/demo\n",
        encoding="utf-8",
    )
    (item,) = read_clean("hubspot", path, OURS).feedback
    assert (item.text, item.account_ref, item.external_id) == (
        "They want the board on a TV in the yard.",
        "Harbor Freight Co",
        "501",
    )


def test_a_glpi_export_cut_inside_a_description_is_refused_naming_its_line(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "glpi_cut.csv"
    path.write_text(GLPI_EN[: GLPI_EN.index("forty a day") + 5], encoding="utf-8")
    failure = refused(session, actor(session, "admin"), "tickets", path)
    ((line, reason),) = [(e.line, e.reason) for e in failure.report.errors]
    assert line == 2 and "cut short" in reason
