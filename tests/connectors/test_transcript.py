"""Call transcripts: the customer's feedback comes out, linked to the account and the moment."""

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.transcript import connector
from huddle.connectors.transcript_lexicon import classify
from huddle.models import Account, Contact, Feedback
from tests.connectors.helpers import SAMPLES, refused, round_trip, run
from tests.factories import actor, create_account


def _by_time(session: Session) -> list[Feedback]:
    return list(session.scalars(select(Feedback).order_by(Feedback.occurred_at)))


def test_a_sales_call_yields_the_customers_feedback_at_its_moment(session: Session) -> None:
    admin = actor(session, "admin")
    acme = create_account(session, name="Acme Freight", domain="acme-freight.com")
    report = round_trip(session, admin, "transcript", SAMPLES / "sales_call.vtt")
    assert report.errors == []
    items = _by_time(session)
    texts = [item.text for item in items]
    assert len(items) == 3, texts
    bulk, power_bi, praise = items
    assert "bulk-reassign late loads" in bulk.text and "by hand" in bulk.text
    assert "Power BI" in power_bi.text and "timing out" in power_bi.text
    assert "offline mode" in praise.text
    # The vendor's lines never become evidence, nor the customer's small talk.
    everything = " ".join(texts)
    for vendor_said in ("Our exports stream", "walk me through", "send it today"):
        assert vendor_said.lower() not in everything.lower()
    assert "pricing sheet" not in everything and "loud and clear" not in everything
    assert all(item.account_id == acme.id and item.source == "call" for item in items)
    assert [item.link_url for item in items] == [
        "https://calls.example.com/rec/8841#t=00:19",
        "https://calls.example.com/rec/8841#t=00:48",
        "https://calls.example.com/rec/8841#t=01:20",
    ]
    assert bulk.occurred_at.isoformat().startswith("2026-10-14T15:00:19")
    assert set(bulk.tags) == {"feedback:complaint", "feedback:request"}
    assert "feedback:question" in power_bi.tags and praise.tags == ["feedback:praise"]
    speakers = {c.email: c.account_id for c in session.scalars(select(Contact))}
    assert speakers == {"sam.ortiz@acme-freight.com": acme.id, "priya@acme-freight.com": acme.id}


def test_srt_without_metadata_tells_the_sides_apart_by_discovery_questions(
    session: Session, tmp_path: Path
) -> None:
    output = connector.read(SAMPLES / "support_call.srt", ConnectorOptions())
    assert output.errors == []
    said = {(r.contact_name, r.link_url) for r in output.feedback}
    assert said == {
        ("Lena Fischer", "support_call.srt#t=00:09"),
        ("Lena Fischer", "support_call.srt#t=00:27"),
    }
    texts = " ".join(r.text for r in output.feedback)
    assert "mobile app" in texts and "saves us hours" in texts and "Marco" not in texts


def test_plain_text_with_header_and_internal_domain(session: Session) -> None:
    admin = actor(session, "admin")
    globex = create_account(session, name="Globex", domain="globex.io")
    run(
        session,
        admin,
        "transcript",
        SAMPLES / "onboarding_call.txt",
        internal_domains=("huddle-vendor.io",),
    )
    items = _by_time(session)
    assert [i.link_url for i in items] == [
        "https://calls.example.com/rec/5120#t=00:20",
        "https://calls.example.com/rec/5120#t=00:45",
    ]
    assert "really slow" in items[0].text and "schedule the weekly report" in items[1].text
    assert all(i.account_id == globex.id for i in items)


def test_call_recorder_json_shapes(session: Session) -> None:
    admin = actor(session, "admin")
    create_account(session, name="Initech", domain="initech.com")
    umbrella = create_account(session, name="Umbrella", domain="umbrella.example")
    run(session, admin, "transcript", SAMPLES / "gong_calls.json")
    run(session, admin, "transcript", SAMPLES / "call_utterances.json")
    items = {i.link_url: i for i in session.scalars(select(Feedback))}
    assert set(items) == {
        "https://app.gong.example/call?id=7781#t=00:05",
        "https://app.gong.example/call?id=7781#t=01:05",
        "https://zoom.example/rec/99102#t=00:09",
        "https://zoom.example/rec/99102#t=00:21",
    }
    sso = items["https://app.gong.example/call?id=7781#t=00:05"]
    assert "SAML" in sso.text and sso.account is not None and sso.account.name == "Initech"
    assert items["https://zoom.example/rec/99102#t=00:21"].account_id == umbrella.id


@pytest.mark.parametrize(
    ("name", "content", "line", "words"),
    [
        (
            "bad.vtt",
            "WEBVTT\n\n1\n00:00:01.000 --> soon\n<v A>Hello there friend\n",
            4,
            "cue timing",
        ),
        ("bad.vtt", "1\n00:00:01.000 --> 00:00:02.000\nA: hi\n", 1, "WEBVTT"),
        ("cut.json", '{"title": "x", "utterances": [{"speaker": "A", "te', 1, "JSON"),
        ("empty.json", '{"title": "no words", "participants": []}', 1, "utterances"),
        ("calls.json", '{"calls": [{"id": "1", "utterances": [{"speaker": "A"', 1, "truncated"),
        ("notes.txt", "just some notes without any speaker\nand more\n", 1, "Speaker: text"),
    ],
)
def test_malformed_transcripts_are_refused_by_line(
    session: Session, tmp_path: Path, name: str, content: str, line: int, words: str
) -> None:
    admin = actor(session, "admin")
    path = tmp_path / name
    path.write_text(content)
    failure = refused(session, admin, "transcript", path)
    assert failure.report.errors[0].line == line, failure.report.errors
    assert words in str(failure.report.errors[0]), failure.report.errors


def test_wrong_encoding_is_named(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "latin1.txt"
    path.write_bytes(
        "Ana: Olá, como está?\nTom: Não funciona, é muito lento demais.\n".encode("cp1252")
    )
    failure = refused(session, admin, "transcript", path)
    assert "encoding" in str(failure.report.errors[0])
    output = connector.read(path, ConnectorOptions(encoding="cp1252"))
    assert output.errors == [] and output.rows_read == 2


def test_classifier_precision_and_recall_on_the_labelled_sample() -> None:
    rows = [
        line.rstrip("\n").split("\t")
        for line in (SAMPLES / "feedback_statements.tsv").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    found = [(label == "1", classify(text) is not None) for label, text in rows]
    true_positive = sum(1 for want, got in found if want and got)
    precision = true_positive / sum(1 for _, got in found if got)
    recall = true_positive / sum(1 for want, _ in found if want)
    assert len(rows) >= 50
    # Measured 0.96 / 0.82 when the sample was written; see docs/connectors.md.
    assert precision >= 0.9 and recall >= 0.75, (precision, recall)


def test_accounts_untouched_by_transcripts(session: Session) -> None:
    admin = actor(session, "admin")
    create_account(session, name="Acme Freight", domain="acme-freight.com")
    before = session.scalar(select(Account.arr_minor))
    run(session, admin, "transcript", SAMPLES / "sales_call.vtt")
    assert session.scalar(select(Account.arr_minor)) == before


def test_an_interviewer_is_the_vendor_even_with_a_colleague_sitting_in() -> None:
    """A workspace user observes; the interviewer is known only by the questions she asks."""
    from huddle.connectors.transcript_rules import Speaker, assign_sides

    speakers = {name: Speaker(name) for name in ("Sam Ortiz", "Nadia Brandt", "Priya Shah")}
    said = [
        ("Nadia Brandt", "Thanks for joining. Can you walk me through how you code receipts?"),
        ("Priya Shah", "Sure, I export them to a spreadsheet every Friday."),
        ("Nadia Brandt", "How do you find out a receipt is missing?"),
        ("Priya Shah", "Usually the cardholder tells me, weeks later. How does the nudge work?"),
        ("Nadia Brandt", "What does month end look like for you?"),
        ("Priya Shah", "Two days of chasing people."),
        ("Nadia Brandt", "Who else is involved in approving them?"),
    ]
    assign_sides(speakers, said, (), staff_names=("Sam Ortiz",))
    assert {n: s.side for n, s in speakers.items()} == {
        "Sam Ortiz": "vendor",
        "Nadia Brandt": "vendor",
        "Priya Shah": "customer",
    }


def test_a_customer_asking_about_the_product_is_not_taken_for_the_interviewer() -> None:
    """A demo: the vendor introduces himself and shows; the customer asks how the product
    works and what it costs, and introduces her colleague "from our IT team". Her questions
    are about the product, not discovery: both stay the customer's (round t11's demo had all
    three speakers on the vendor's side, and not one sentence came in)."""
    assert _sides(
        [
            ("Jonah Whitaker", "Hi both. I'm Jonah, I'm a solutions engineer at OurCo."),
            ("Maribel Ortega", "Hi Jonah. Greg from our IT team is here too."),
            ("Greg Haddad", "Hi, I'll mostly listen."),
            ("Jonah Whitaker", "So this is the request board."),
            ("Maribel Ortega", "How does it decide who gets which job?"),
            ("Maribel Ortega", "Could I see how long each job took, from the report to done?"),
            ("Maribel Ortega", "And roughly what would this cost us for nine communities?"),
            ("Greg Haddad", "Do you support single sign-on with Google Workspace?"),
        ]
    ) == {"Jonah Whitaker": "vendor", "Maribel Ortega": "customer", "Greg Haddad": "customer"}


def _sides(said: list[tuple[str, str]], staff: tuple[str, ...] = ()) -> dict[str, str | None]:
    from huddle.connectors.transcript_rules import Speaker, assign_sides

    speakers = {name: Speaker(name) for name, _ in said}
    assign_sides(speakers, said, ("ourco.com",), staff_names=staff)
    return {n: s.side for n, s in speakers.items()}


def test_the_vendor_known_by_what_the_call_says() -> None:
    """No workspace user speaks and no one asks discovery questions: the vendor is who
    introduces themselves as from OurCo, and a colleague introduced takes the side of the one
    who introduced them, either way round."""
    assert _sides(
        [
            ("Nadia Brooks", "Hi both. I'm Nadia, I'm a solutions engineer on the OurCo side."),
            ("Jorge Alvarez", "Hi. We approve every PO in a spreadsheet today."),
            ("Kim Sato", "And matching is done by hand, it's painful."),
        ]
    ) == {"Nadia Brooks": "vendor", "Jorge Alvarez": "customer", "Kim Sato": "customer"}
    assert _sides(
        [
            ("Jonah Weiss", "Hi all. Priya from our product team is joining us today."),
            ("Priya Raman", "Hi everyone, just here to listen."),
            ("Carla Mendes", "The bulk upload keeps rejecting our CSV."),
        ],
        staff=("Priya Raman",),
    ) == {"Jonah Weiss": "vendor", "Priya Raman": "vendor", "Carla Mendes": "customer"}
    assert _sides(
        [
            ("Marcus Hale", "I've brought Jess Park from our solutions team today."),
            ("Ingrid Solberg", "Good. Twelve percent is more than our CFO expected."),
            ("Marcus Hale", "Your contract is up in January. Let me walk you through it."),
            ("Jess Park", "When you say silently, is there no error in the log?"),
        ]
    ) == {"Marcus Hale": "vendor", "Ingrid Solberg": "customer", "Jess Park": "vendor"}
    assert _sides(
        [
            ("Dana Lee", "I've brought Chris, he's on the support engineering team here."),
            ("Chris Albers", "So loads created after the twelfth are not reaching the board?"),
            ("Wendell Price", "Right, and nobody told us for a week."),
        ],
        staff=("Dana Lee",),
    ) == {"Dana Lee": "vendor", "Chris Albers": "vendor", "Wendell Price": "customer"}
    # A customer bringing their own colleague, and saying where they work, stays a customer.
    assert _sides(
        [
            ("Dana Lee", "Thanks for joining. How do you approve bills today?"),
            ("Raj Malhotra", "I'm Raj, I run AP at Wayne Bio. I brought Ana from our IT team."),
            ("Ana Ruiz", "We need SSO before anyone else logs in."),
        ],
        staff=("Dana Lee",),
    ) == {"Dana Lee": "vendor", "Raj Malhotra": "customer", "Ana Ruiz": "customer"}
    # Greeting the other side is not introducing a colleague (round 7): "I've got" someone
    # is a colleague only "with me".
    assert _sides(
        [
            ("Kim Abbott", "Hi, this is Kim from OurCo support, I think I've got Lou and Ray?"),
            ("Lou Baker", "Yes, hi Kim, it's Lou, and Ray is here too."),
            ("Kim Abbott", "I've also got Sam Cole with me, one of our engineers."),
            ("Sam Cole", "Hi everyone."),
            ("Lou Baker", "The board stops updating every afternoon."),
        ]
    ) == {"Kim Abbott": "vendor", "Lou Baker": "customer", "Sam Cole": "vendor"}
    # A colleague introduced by a role of more than one word (round 8).
    assert _sides(
        [
            ("Dana Lee", "Quick intro: this is Wes, one of our onboarding specialists."),
            ("Wes Park", "Hi everyone. Today I'd like to set up the routing rules."),
            ("Keisha Brandt", "Right now Tomasz forwards those by email and chases people."),
        ],
        staff=("Dana Lee",),
    ) == {"Dana Lee": "vendor", "Wes Park": "vendor", "Keisha Brandt": "customer"}


def test_a_header_date_with_its_zone_and_otters_speakers_block(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    otter = tmp_path / "otter.txt"
    otter.write_text(
        "OurCo / Acme Robotics - Q4 business review\n"
        "Wed, Dec 2, 2026 2:00PM • 3:37\n\nSPEAKERS\nAlex Moreno, Maya Chen\n\n"
        "Alex Moreno  0:03\nHow has the quarter been?\n\n"
        "Maya Chen  0:12\nThe approval emails never arrive on time, we chase them by hand.\n"
    )
    run(session, admin, "transcript", otter)
    dated = tmp_path / "dated.txt"
    dated.write_text(
        "Date: 2026-11-30 15:00 (America/Chicago)\n\n"
        "Maya Chen (00:07): The approval emails never arrive on time, we chase them by hand.\n"
    )
    run(session, admin, "transcript", dated)
    items = sorted(session.scalars(select(Feedback)), key=lambda i: i.occurred_at)
    assert [i.occurred_at.strftime("%Y-%m-%d %H:%M") for i in items] == [
        "2026-11-30 15:00",
        "2026-12-02 14:00",
    ]
    # The title names a known account: the call is attached to it; the call with no title
    # and no account stays unattached.
    assert [i.account.name if i.account else None for i in items] == [None, "Acme Robotics"]


def test_a_question_about_the_product_is_told_by_its_form() -> None:
    """Round 6's lesson: a question asks about the product when its main clause asks whether
    something other than the speaker can, does or would (after fillers, a leading clause or a
    comma), whatever its words; not one about the call, its logistics, or put to a person by
    name. (Written for this test; none is in the labelled calls.)"""
    from huddle.connectors.transcript_lexicon import classify, is_product_question

    about_the_product = [
        "Can the dashboard show last year's numbers next to this year's?",
        "Is there a cap on how many vendors we can load?",
        "Would our auditors need their own login?",
        "Oh, one question, does the mobile app work without signal?",
        "If we add a second warehouse, can it keep separate stock counts?",
        "What's the timeline on the Xero connector?",
        "So the vendors see it too, can a buyer hide the target price?",
    ]
    about_the_call = [
        "Can we do the Tuesday after instead?",
        "Marta, does the team still meet on Fridays?",
        "Did I miss anything on the billing side?",
        "Is that the one with the blue header?",
        "Would the afternoon work better for your team?",
        "Can I raise the renewal question now or later?",
        "Does it?",  # too short to tell
        "The dashboard shows last year's numbers next to this year's.",  # not a question
    ]
    assert [is_product_question(s) for s in about_the_product] == [True] * 7
    assert [classify(s) for s in about_the_product] == ["question"] * 7
    assert [is_product_question(s) for s in about_the_call] == [False] * 8


def test_round_sevens_lessons_a_renewal_at_risk_what_a_problem_costs_and_the_calls_turns() -> None:
    """After round 7 was measured: a renewal at risk, a problem told by what it costs, "what
    happens if…" and a price asked for by "can I ask" are feedback; asking for the floor is
    not. (Written for this test; none is in the labelled calls.)"""
    from huddle.connectors.transcript_lexicon import classify

    assert [
        classify(s)
        for s in (
            "We're evaluating Brightline this quarter and I'm not sure we renew.",
            "That bug is costing us real money every week.",
            "Our coordinator spends most of Monday rebuilding the rota.",
            "What happens if the driver loses signal halfway through a route?",
            "Can I ask how much the audit add-on would be?",
            "Can I talk about the reports, because that's the big one for us?",
            "We are looking at Denver for the offsite this spring.",
            # Praise of the vendor's people is not product evidence; praise of the product is.
            "Honestly your onboarding team has been great with us.",
            "He was excellent once he got going on the migration.",
            "Your dispatch board is great for the night shift.",
        )
    ] == [
        "complaint",
        "complaint",
        "complaint",
        "question",
        "question",
        None,
        None,
        None,
        None,
        "praise",
    ]


def test_the_lexicon_reads_what_costs_and_what_is_done_by_hand() -> None:
    """Rounds 4 and 5's lessons: a question about price, hosting, sharing or the roadmap is a
    question about the product, work done by hand and what a problem cost are complaints, a
    rival's lower price is one, and asking to speak or for the deck is not feedback."""
    from huddle.connectors.transcript_lexicon import classify

    assert [
        classify(s)
        for s in (
            "Do you price the PO module separately?",
            "How much would budgets add to our current plan?",
            "Is there any way to see a log of who changed a supplier record?",
            "Right now I run a report every Monday and freeze the cards manually.",
            "Honestly I'm worried about another tool for the nurses to learn.",
            "Can I jump in on SSO?",
            "How much snow did you get this weekend?",
            "Do you host in the EU?",
            "Is consignment on the roadmap?",
            "Can we share templates between the two workspaces?",
            "Can you share the deck with us?",
            "We had to reschedule two appointments because of that.",
            "It came in about thirty percent under you.",
        )
    ] == [
        "question",
        "question",
        "question",
        "complaint",
        "complaint",
        None,
        None,
        "question",
        "question",
        "question",
        None,
        "complaint",
        "complaint",
    ]


def test_the_lexicon_reads_churn_risk_broken_promises_and_security_questions() -> None:
    """Round 9's lessons: a renewal at risk and a promise not kept are complaints, a need said
    for later or for someone else is a request, and a question about compliance paperwork,
    languages, what is being built or which tools are supported is about the product; asking
    to come back to a topic or for something in writing is about the call. (Written for this
    test; none is in the labelled calls.)"""
    from huddle.connectors.transcript_lexicon import classify

    assert [
        classify(s)
        for s in (
            "Honestly we're talking about not renewing in March.",
            "We're looking hard at alternatives before the budget round.",
            "You promised that fix last quarter, and again in October.",
            "Last year you told us there would be an audit trail by now.",
            "We opened a case and it sat for two weeks before anyone looked at it.",
            "Nobody told us the API limit had changed.",
            "Our security team will insist on SSO before any rollout.",
            "Do you have a SOC 2 report we could see?",
            "Can it translate the comments into English?",
            "Which ticketing tools do you integrate with?",
            "After the import, how often does it refresh the scores?",
            "Can I come back to the rollout plan later?",
            "Can we get the uptime figure in writing?",
            "As you said, the export itself is fine.",
        )
    ] == [
        "complaint",
        "complaint",
        "complaint",
        "complaint",
        "complaint",
        "complaint",
        "request",
        "question",
        "question",
        "question",
        "question",
        None,
        None,
        None,
    ]
