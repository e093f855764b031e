# The demo's and customers' text is typeset with en and em dashes.
# ruff: noqa: RUF001
import pytest

from huddle.insights.boilerplate import strip_boilerplate

CASES = [
    # survey prefixes
    ("NPS 8 – Exports time out on large reports", "Exports time out on large reports"),
    ("CSAT: 2/5 - the mobile app logs me out", "the mobile app logs me out"),
    ("CSAT 4/5 – Search misses partial names.", "Search misses partial names."),
    ("[NPS 9] Love the digest", "Love the digest"),
    ("Rating: 3/5 — approvals are slow", "approvals are slow"),
    ("5/5 stars - great support", "great support"),
    # greetings and pleasantries
    ("Hi team,\nThe CSV export times out.", "The CSV export times out."),
    ("Hello lovely support team, the sync fails again", "the sync fails again"),
    ("Hi team, hope you're well.\nSSO with Okta is broken.", "SSO with Okta is broken."),
    ("Hi there!\nDark mode please", "Dark mode please"),
    ("Dear Maria,\n\nWe need SAML single sign-on.", "We need SAML single sign-on."),
    ("hiya the export cuts off after 6,900 rows", "the export cuts off after 6,900 rows"),
    ("Good morning,\nBills are paid twice.", "Bills are paid twice."),
    ("To whom it may concern,\nThe app crashes on launch.", "The app crashes on launch."),
    # sign-offs and signatures
    (
        "The CSV export times out on large reports.\n\nThanks,\nMaria\n\nSent from my iPhone",
        "The CSV export times out on large reports.",
    ),
    (
        "Reports are slow.\n\nKind regards,\nYusuf Abbott\nPayroll Manager, Alvarez & Adeyemi",
        "Reports are slow.",
    ),
    ("Please add dark mode. Thanks, Maria", "Please add dark mode."),
    ("Exports fail on big reports\n– Kenji", "Exports fail on big reports"),
    ("can you add dark mode? thx", "can you add dark mode?"),
    ("Approvals get stuck. Any update would be appreciated.", "Approvals get stuck."),
    ("The export is broken. Screenshot attached. Please fix.", "The export is broken. Please fix."),
    # quoted replies
    (
        "Still broken for us.\n\nOn Mon, 3 Nov 2026 at 10:12, Support wrote:\n> Could you retry?",
        "Still broken for us.",
    ),
    # chat transcripts
    (
        "Paula: quick q\nPaula: cards fail abroad even with travel mode on\nPaula: ok",
        "cards fail abroad even with travel mode on",
    ),
    # meeting-note headers and field names
    (
        "Discovery interview with Bianca Weber (Aurora Group)\nPain point: sync failures are silent",
        "sync failures are silent",
    ),
    ("Noting for planning: 429s during backfills.", "429s during backfills."),
    (
        "Recurring theme in churn interviews: they need SCIM to offboard leavers",
        "they need SCIM to offboard leavers",
    ),
    (
        "Pros: Clean UI. Cons: The scanner misreads totals.",
        "Clean UI. The scanner misreads totals.",
    ),
    (
        "What do you like best? Clean UI.\nWhat do you dislike? Exports time out.",
        "Clean UI.\nExports time out.",
    ),
    # everything stacked
    (
        "NPS 6 – Hi team,\nThe budget view takes a minute to load.\nThanks in advance\nSent from my Android",
        "The budget view takes a minute to load.",
    ),
    # a note's header and its next steps (the writer's to-do list)
    (
        "Weekly sync Wren Corp\nTheir budgets live in spreadsheets.\nNext call in 6 weeks",
        "Their budgets live in spreadsheets.",
    ),
    (
        "Call with Ana at Pinecrest\n- approvals stall when Ana is away\n"
        "- Booked a follow-up for Friday\n- Ana to confirm budget by end of April\n"
        "- Action: open a ticket for the export issue",
        "approvals stall when Ana is away",
    ),
    (
        "Renewal prep call, Elm Foods / Freya\nBill amounts can be edited after approval. "
        "Freya to confirm budget by end of February. Proposal goes out Friday.",
        "Bill amounts can be edited after approval.",
    ),
    (
        "Orchard Clinics check-in. Attendees: Ana Reyes (Controller) and me\nSearch misses notes.",
        "Search misses notes.",
    ),
    (
        "Interview – Payroll Manager, Compass\nContext: small finance team of 9.\n"
        "Pain point: approvals above a threshold need two people",
        "approvals above a threshold need two people",
    ),
    (
        "Discovery call with Wren Supply. Spoke to Diego Becker, Senior Accountant.\n"
        "Search misses notes.",
        "Search misses notes.",
    ),
    (
        "Pricing discussion with Chloe at Compass\nSeats are too expensive.",
        "Seats are too expensive.",
    ),
    # ... which a text of one line never is, nor a product line that opens a note
    ("Next call in 6 weeks", "Next call in 6 weeks"),
    (
        "QuickBooks sync fails every night\nIt drops the class field",
        "QuickBooks sync fails every night\nIt drops the class field",
    ),
    (
        "Follow-up emails are sent twice\nto every approver",
        "Follow-up emails are sent twice\nto every approver",
    ),
]

KEPT = [
    # content that looks a little like boilerplate stays
    "Error: the sync failed",
    "SAML SSO: broken since Monday",
    "We pass audits thanks to the export",
    "Support never thanked us, and the sync is still broken",
    "The NPS survey email goes to the wrong contact",
    "Hi-res receipts are rejected by the scanner",
    "Best practice templates are missing for approvals",
    "Issue with the export: it times out",
    # nothing but boilerplate: kept whole rather than emptied
    "Thanks!",
    "Sent from my iPhone",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_boilerplate_is_removed(text: str, expected: str) -> None:
    assert strip_boilerplate(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_content_is_kept(text: str) -> None:
    assert strip_boilerplate(text) == text


def test_stripping_twice_changes_nothing_more() -> None:
    for text, _ in CASES:
        once = strip_boilerplate(text)
        assert strip_boilerplate(once) == once
