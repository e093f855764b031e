"""What a demo topic is, and the words that fill the slots of its statements.

The demo company is Ledgerline, a spend-management and accounts-payable platform. Topics live
in `corpus_problems.py` and `corpus_problems_more.py` (those that have a problem) and
`corpus_open.py` (those nobody has made a problem of yet); the voices of each source in
`corpus_voice.py`; people and company names in `corpus_names.py`.

Statements are written one a line and may hold slots such as `{erp}` or `{secs}`, filled per
item, so the same complaint arrives with different numbers, systems and screens.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    title: str  # the problem's title; empty when the topic has no problem yet
    area: str
    description: str
    says: tuple[str, ...]  # the complaint in a customer's own words
    notes: tuple[str, ...]  # the same, as a colleague writes it down
    details: tuple[str, ...]  # concrete facts that can follow either
    asks: tuple[str, ...]  # what the customer would like instead
    subjects: tuple[str, ...]  # ticket and email subject lines
    problem: bool
    status: str
    parent: str | None
    weight: float
    trend: float  # > 0: more mentions in the last 30 days; < 0: fading away
    enterprise: bool  # hurts large and at-risk accounts most
    sources: tuple[str, ...]  # the sources it is most often heard from
    tags: tuple[str, ...]


def lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


def topic(
    key: str,
    title: str,
    area: str,
    *,
    says: str,
    notes: str,
    details: str = "",
    asks: str = "",
    subjects: str = "",
    description: str = "",
    problem: bool = True,
    status: str = "new",
    parent: str | None = None,
    weight: float = 1.0,
    trend: float = 0.0,
    enterprise: bool = False,
    sources: str = "",
    tags: str = "",
) -> Topic:
    return Topic(
        key=key,
        title=title,
        area=area,
        description=description,
        says=lines(says),
        notes=lines(notes),
        details=lines(details),
        asks=lines(asks),
        subjects=lines(subjects),
        problem=problem,
        status=status,
        parent=parent,
        weight=weight,
        trend=trend,
        enterprise=enterprise,
        sources=tuple(sources.split()),
        tags=tuple(tags.split()),
    )


# Word slots; numeric slots ({n}, {secs}, {amount}, …) are drawn by the generator.
WORDS: dict[str, tuple[str, ...]] = {
    "erp": ("NetSuite", "QuickBooks Online", "Xero", "Sage Intacct", "NetSuite", "QuickBooks"),
    "cur": ("EUR", "GBP", "CAD", "AUD", "CHF", "SEK", "JPY", "MXN"),
    "country": (
        "Germany",
        "France",
        "the UK",
        "Canada",
        "Australia",
        "the Netherlands",
        "Spain",
        "Mexico",
        "Ireland",
        "Poland",
    ),
    "device": (
        "iPhone 15",
        "iPhone 13",
        "iPhone SE",
        "Pixel 8",
        "Galaxy S23",
        "Galaxy A54",
        "iPad",
        "OnePlus",
    ),
    "os": ("iOS 17.4", "iOS 16", "Android 14", "Android 13", "iOS 17"),
    "browser": ("Chrome", "Safari", "Edge", "Firefox", "Chrome on Windows", "Safari on a Mac"),
    "team": (
        "Marketing",
        "Field Sales",
        "Engineering",
        "Operations",
        "HR",
        "Customer Success",
        "Facilities",
        "the warehouse team",
        "R&D",
        "Legal",
    ),
    "competitor": ("Ramp", "Brex", "Coupa", "Bill.com", "Airbase", "Tipalti", "Ramp", "Brex"),
    "vendor": (
        "AWS",
        "Staples",
        "Delta",
        "FedEx",
        "WeWork",
        "Dell",
        "Uline",
        "Grainger",
        "Salesforce",
        "Adobe",
        "Marriott",
        "Sysco",
        "a local print shop",
        "our cleaning company",
    ),
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "month": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "report": (
        "spend report",
        "AP aging report",
        "vendor spend report",
        "department budget view",
        "card transactions report",
        "accruals report",
        "monthly close dashboard",
    ),
    "field": ("cost centre", "project code", "GL account", "department", "location", "class"),
    "idp": ("Okta", "Azure AD", "Entra ID", "Google Workspace", "OneLogin", "JumpCloud"),
    "city": ("Austin", "Denver", "Toronto", "Leeds", "Lyon", "Rotterdam", "Dublin", "Chicago"),
    "hotel": (
        "a hotel in Lisbon",
        "a Hilton in Chicago",
        "an Airbnb in Berlin",
        "a hotel in Tokyo",
    ),
    "event": (
        "our sales kickoff",
        "a trade show",
        "the board offsite",
        "an industry conference",
        "a customer roadshow",
    ),
}
