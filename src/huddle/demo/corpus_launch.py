"""The demo's launches: where each solution stands in delivery, the experiments behind the
decisions, the go/no-go decisions themselves, the go-to-market plans and the product
team's effort. Solutions by title (corpus_solutions.py); people by email's name part."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoExperiment:
    name: str
    hypothesis: str
    metric: str
    # (variant, exposures, conversions): the control first.
    arms: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class DemoDecision:
    outcome: str  # go, no_go, wait
    reasons: str
    risks: str
    signed_off: tuple[str, ...]
    consulted: tuple[str, ...]
    days_ago: int
    review_in_days: int | None = None


@dataclass(frozen=True)
class DemoTask:
    team: str
    title: str
    owner: str | None
    due_in_days: int  # from the launch day (negative: before it)
    done: bool


@dataclass(frozen=True)
class DemoLaunch:
    stage: str
    # Gate items left open on the way (by stage: their positions, from 1), moved past with
    # the reason; the current stage's gate is ticked up to `ticked_now` items.
    left_open: dict[str, tuple[int, ...]] = field(default_factory=dict)
    reason: str = ""
    ticked_now: int = 0
    launch_in_days: int | None = None  # from today (negative: launched already)
    experiments: tuple[DemoExperiment, ...] = ()
    decisions: tuple[DemoDecision, ...] = ()
    tasks: tuple[DemoTask, ...] = ()
    set_aside_reason: str = ""
    # Delivery tickets: (url, status as the tool last sent it, done).
    tickets: tuple[tuple[str, str, bool], ...] = ()
    learned: str = ""  # what the launch taught the team (learning stage)


FULL_PLAN_DONE = (
    DemoTask("sales", "Sales enablement: pitch, demo script, objection handling", "sam", -10, True),
    DemoTask("support", "Support docs and macros", "rosa", -7, True),
    DemoTask("marketing", "Announcement: blog post, email, in-app message", "maya", 0, True),
    DemoTask("finance", "Pricing and packaging agreed", "hugo", -21, True),
    DemoTask("legal", "Legal review: terms, privacy, claims", None, -14, True),
    DemoTask("product", "Release notes and changelog entry", "priya", 0, True),
)

LAUNCHES = {
    "Notification digest and preferences": DemoLaunch(
        stage="learning",
        learned=(
            "Email notifications fell 62% in the first month without anyone missing an "
            "approval: the weekly digest carried what people had read one by one. Managers "
            "still want a push on mobile for urgent approvals; that is the next bet."
        ),
        left_open={"implementation": (2,)},
        reason="Design partners were on holiday; the beta group covered it",
        launch_in_days=-40,
        experiments=(
            DemoExperiment(
                "Weekly digest instead of instant emails",
                "If approvers get one digest instead of a stream of emails, more of them come "
                "back each week, because the noise stops.",
                "weekly active approvers",
                (("instant emails", 3100, 1240), ("weekly digest", 3080, 1340)),
            ),
        ),
        decisions=(
            DemoDecision(
                "go",
                "The digest keeps more approvers active each week and support tickets about "
                "email noise stopped in the beta.",
                "Some admins want instant emails for large bills: kept as a preference.",
                ("grace", "rosa"),
                ("maya", "dev"),
                days_ago=44,
                review_in_days=30,
            ),
        ),
        tasks=FULL_PLAN_DONE,
    ),
    "Approver-only seats at a lower price": DemoLaunch(
        stage="launched",
        left_open={"discovery": (1,)},
        reason="Finance's deal data stood in for the account interviews",
        launch_in_days=-6,
        experiments=(
            DemoExperiment(
                "Approver seat on the pricing page",
                "If the pricing page offers a cheaper approver-only seat, more trials convert, "
                "because teams stop sharing one login to approve.",
                "trial to paid conversion",
                (("current pricing", 6240, 312), ("approver seat", 6180, 383)),
            ),
        ),
        decisions=(
            DemoDecision(
                "go",
                "More trials convert with the approver seat and the sales team stopped "
                "discounting full seats to approvers.",
                "Some full seats may be downgraded at renewal; finance watches it monthly.",
                ("sam", "hugo"),
                ("rosa", "maya"),
                days_ago=9,
                review_in_days=60,
            ),
        ),
        tasks=(
            *FULL_PLAN_DONE,
            DemoTask(
                "marketing", "Update the pricing page and the comparison table", "maya", 0, True
            ),
        ),
    ),
    "SAML single sign-on (Okta, Azure AD)": DemoLaunch(
        stage="ready",
        left_open={"implementation": (2,)},
        reason="The design partner's Okta tenant is ready only after launch",
        ticked_now=2,
        launch_in_days=14,
        experiments=(
            DemoExperiment(
                "SSO prompt in enterprise trials",
                "If enterprise trials are offered SSO set-up on day one, more of them convert, "
                "because IT signs off sooner.",
                "enterprise trial to paid",
                (("no prompt", 1200, 96), ("sso prompt", 1180, 118)),
            ),
        ),
        decisions=(
            DemoDecision(
                "wait",
                "The trial test is not conclusive yet and legal wants SCIM reviewed before we "
                "promise it; decide again when the test has run two more weeks.",
                "Two enterprise deals wait on SSO: Sam keeps them warm.",
                ("grace",),
                ("sam", "dev", "olga"),
                days_ago=3,
                review_in_days=11,
            ),
        ),
        tasks=(
            DemoTask(
                "sales", "Sales enablement: pitch, demo script, objection handling", "sam", -7, True
            ),
            DemoTask("support", "Support docs and macros: IdP set-up guides", "rosa", -3, False),
            DemoTask(
                "marketing", "Announcement: blog post, email, in-app message", "maya", 0, False
            ),
            DemoTask("finance", "Pricing and packaging agreed", "hugo", -21, True),
            DemoTask("legal", "Legal review: SCIM terms and data processing", None, -16, False),
            DemoTask("product", "Release notes and changelog entry", "priya", 0, False),
            DemoTask("engineering", "Okta and Azure AD app gallery listings", "wen", -5, True),
        ),
        tickets=(
            ("https://linear.app/ledgerline/issue/ENG-412/saml-sp-initiated-login", "Done", True),
            ("https://linear.app/ledgerline/issue/ENG-418/jit-provisioning", "Done", True),
            ("https://github.com/ledgerline/app/pull/2291", "merged", True),
        ),
    ),
    "Vendor bank change verification": DemoLaunch(
        stage="implementation",
        ticked_now=1,
        launch_in_days=45,
        tickets=(
            ("https://ledgerline.atlassian.net/browse/PAY-311", "In Review", False),
            ("https://ledgerline.atlassian.net/browse/PAY-312", "Done", True),
        ),
    ),
    "Resilient sync engine with idempotent retries": DemoLaunch(
        stage="implementation",
        left_open={"planning": (2,)},
        reason="Design review folded into the RFC",
    ),
    "QuickBooks class and location mapping": DemoLaunch(stage="planning", ticked_now=1),
    "Audit trail and granular roles": DemoLaunch(stage="planning"),
    "Reporting overhaul: fast reports, cost-centre grouping, faithful exports": DemoLaunch(
        stage="discovery", ticked_now=2
    ),
    "Multi-step approval policies": DemoLaunch(stage="discovery", ticked_now=1),
    "Per-currency ledgers and FX revaluation": DemoLaunch(stage="discovery"),
    "Mobile approvals with push notifications": DemoLaunch(
        stage="parked",
        set_aside_reason="Waiting for the notification digest's results before a mobile app",
    ),
    "Premium analytics add-on": DemoLaunch(
        stage="stopped",
        experiments=(
            DemoExperiment(
                "Analytics add-on fake door",
                "If admins see an analytics add-on in the reports menu, enough of them ask for "
                "it to justify building it.",
                "asked for the add-on",
                (("no menu entry", 8000, 40), ("menu entry", 8000, 46)),
            ),
        ),
        decisions=(
            DemoDecision(
                "no_go",
                "Hardly anyone asked for the add-on; the reporting problems are better solved "
                "in the product for everyone.",
                "",
                ("grace",),
                ("hugo", "marco"),
                days_ago=20,
            ),
        ),
        set_aside_reason="No-go: the fake door found too little demand",
    ),
}

# Days per week of the last twelve, by PM: (discovery, implementation, launch).
EFFORT = {
    "priya": (2.5, 1.0, 1.5),
    "marco": (1.0, 3.0, 1.0),
}
