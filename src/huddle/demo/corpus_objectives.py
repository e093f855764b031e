"""The demo's objectives for the current quarter: what Ledgerline's product team means to
move, each key result with its check-ins over the last weeks (oldest first, in weeks before
now) and the demo solutions expected to move it, by title."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoKeyResult:
    title: str
    unit: str
    start: float
    target: float
    # (weeks ago, value, note), oldest first; the last is the current value.
    check_ins: tuple[tuple[int, float, str], ...]
    solutions: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoObjective:
    title: str
    description: str
    status: str
    key_results: tuple[DemoKeyResult, ...]


OBJECTIVES = (
    DemoObjective(
        "Win the enterprise deals we keep losing on security",
        "Enterprise prospects stall at the security review: single sign-on, an audit trail "
        "and roles fine enough for their auditors.",
        "on_track",
        (
            DemoKeyResult(
                "Enterprise deals blocked at security review",
                "deals",
                9,
                2,
                (
                    (9, 9, "from the CRM's lost-reason field"),
                    (6, 8, ""),
                    (3, 6, "SSO beta"),
                    (1, 5, ""),
                ),
                ("SAML single sign-on (Okta, Azure AD)", "Audit trail and granular roles"),
            ),
            DemoKeyResult(
                "Accounts signing in through SSO",
                "accounts",
                0,
                40,
                ((8, 0, ""), (4, 6, "beta opened"), (2, 14, ""), (0, 19, "")),
                ("SAML single sign-on (Okta, Azure AD)",),
            ),
        ),
    ),
    DemoObjective(
        "Make accounting sync something finance teams stop checking",
        "Duplicated bills and dropped lines are the most expensive problem in the evidence.",
        "at_risk",
        (
            DemoKeyResult(
                "Sync runs that need a manual fix",
                "%",
                12,
                1,
                (
                    (10, 12, ""),
                    (7, 11, ""),
                    (4, 9.5, "retries idempotent"),
                    (1, 10, "NetSuite outage"),
                ),
                ("Resilient sync engine with idempotent retries",),
            ),
            DemoKeyResult(
                "QuickBooks accounts mapping classes and locations",
                "accounts",
                0,
                120,
                ((9, 0, ""), (5, 18, ""), (2, 31, "")),
                ("QuickBooks class and location mapping",),
            ),
            DemoKeyResult(
                "Support tickets about sync each week",
                "tickets",
                48,
                15,
                ((10, 48, ""), (6, 44, ""), (3, 39, ""), (0, 36, "")),
                ("Resilient sync engine with idempotent retries",),
            ),
        ),
    ),
    DemoObjective(
        "Reports that finance trusts and opens daily",
        "Slow reports and exports that do not match the ledger send finance back to spreadsheets.",
        "on_track",
        (
            DemoKeyResult(
                "p95 report load time",
                "ms",
                9000,
                2000,
                ((11, 9000, ""), (8, 7400, "query plan fixed"), (5, 5100, ""), (2, 3900, "cache")),
                ("Reporting overhaul: fast reports, cost-centre grouping, faithful exports",),
            ),
            DemoKeyResult(
                "Weekly active report viewers",
                "%",
                22,
                45,
                ((11, 22, ""), (7, 25, ""), (3, 31, "")),
                (
                    "Reporting overhaul: fast reports, cost-centre grouping, faithful exports",
                    "Premium analytics add-on",
                ),
            ),
        ),
    ),
)
