"""The demo's solutions: what Ledgerline's product team is weighing for the problems its
evidence shows, with the estimates a PM would give (reach left to the evidence where a
solution is about known problems), and the value each delivers or derives."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoSolution:
    title: str
    description: str
    problems: tuple[str, ...]
    product_area: str
    value_tags: tuple[str, ...]
    estimates: dict[str, float] = field(default_factory=dict)
    internal_notes: str = ""


SOLUTIONS = (
    DemoSolution(
        "SAML single sign-on (Okta, Azure AD)",
        "SP-initiated SAML 2.0 with just-in-time provisioning; SCIM later.",
        ("sso",),
        "Permissions & SSO",
        ("privacy", "pain", "revenue"),
        {
            "impact": 3,
            "confidence": 0.8,
            "effort": 3,
            "business_value": 13,
            "time_criticality": 8,
            "risk_reduction": 8,
            "ease": 5,
        },
        "Two enterprise deals are blocked on this; legal wants SCIM in the same quarter.",
    ),
    DemoSolution(
        "Resilient sync engine with idempotent retries",
        "Rebuild the NetSuite and QuickBooks sync on an outbox with idempotency keys, so a "
        "retry never duplicates a bill and line items are never dropped.",
        ("sync", "dup_invoices", "netsuite_lines"),
        "Integrations",
        ("reliability", "pain"),
        {
            "impact": 3,
            "confidence": 0.5,
            "effort": 8,
            "business_value": 13,
            "time_criticality": 13,
            "risk_reduction": 13,
            "ease": 2,
        },
    ),
    DemoSolution(
        "QuickBooks class and location mapping",
        "Keep class and location through a round trip; map them in the sync settings.",
        ("qbo_mapping",),
        "Integrations",
        ("pain",),
        {
            "impact": 1,
            "confidence": 0.8,
            "effort": 1,
            "business_value": 5,
            "time_criticality": 3,
            "risk_reduction": 2,
            "ease": 8,
        },
    ),
    DemoSolution(
        "Audit trail and granular roles",
        "Every change recorded with who, when and what; roles per entity and cost centre.",
        ("controls", "roles", "audit_log"),
        "Permissions & SSO",
        ("privacy", "pain"),
        {
            "impact": 2,
            "confidence": 0.8,
            "effort": 5,
            "business_value": 8,
            "time_criticality": 5,
            "risk_reduction": 13,
            "ease": 4,
        },
    ),
    DemoSolution(
        "Vendor bank change verification",
        "Call-back verification and a second approver before new bank details are paid.",
        ("vendor_bank",),
        "Billing",
        ("privacy", "reliability"),
        {
            "impact": 2,
            "confidence": 1.0,
            "effort": 1,
            "business_value": 5,
            "time_criticality": 8,
            "risk_reduction": 13,
            "ease": 8,
        },
    ),
    DemoSolution(
        "Multi-step approval policies",
        "Approval chains with conditions on amount, department and vendor.",
        ("approval_chains",),
        "Approvals",
        ("usability", "pain"),
        {
            "impact": 2,
            "confidence": 0.8,
            "effort": 4,
            "business_value": 8,
            "time_criticality": 5,
            "risk_reduction": 3,
            "ease": 5,
        },
    ),
    DemoSolution(
        "Mobile approvals with push notifications",
        "Approve or reject from a notification, with the receipt and policy inline.",
        ("approvals_mobile",),
        "Mobile app",
        ("usability", "cross_platform"),
        {
            "impact": 1,
            "confidence": 0.8,
            "effort": 2,
            "business_value": 5,
            "time_criticality": 3,
            "risk_reduction": 1,
            "ease": 6,
        },
    ),
    DemoSolution(
        "Reporting overhaul: fast reports, cost-centre grouping, faithful exports",
        "Pre-aggregated report tables, group-by on any dimension, XLSX exports that keep "
        "columns and formatting.",
        ("reporting", "reports_slow", "report_filters", "export"),
        "Reporting",
        ("speed", "usability", "pain"),
        {
            "impact": 2,
            "confidence": 0.5,
            "effort": 6,
            "business_value": 8,
            "time_criticality": 5,
            "risk_reduction": 2,
            "ease": 3,
        },
    ),
    DemoSolution(
        "Per-currency ledgers and FX revaluation",
        "",
        ("currency",),
        "Billing",
        ("reliability",),
        {
            "impact": 2,
            "confidence": 0.5,
            "effort": 5,
            "business_value": 5,
            "time_criticality": 3,
            "risk_reduction": 5,
            "ease": 3,
        },
    ),
    DemoSolution(
        "Approver-only seats at a lower price",
        "A cheaper seat for people who only approve; upsell path to full seats.",
        ("pricing",),
        "Billing",
        ("pricing", "revenue", "monetisation"),
        {
            "impact": 2,
            "confidence": 0.8,
            "effort": 1,
            "business_value": 13,
            "time_criticality": 5,
            "risk_reduction": 1,
            "ease": 8,
        },
        "Finance modelled a 4% ARR dip in year one before expansion; keep it internal.",
    ),
    DemoSolution(
        "Premium analytics add-on",
        "Benchmarks against peers and spend forecasts, sold as an add-on.",
        (),
        "Reporting",
        ("revenue", "monetisation", "engagement"),
        {
            "reach": 40,
            "impact": 1,
            "confidence": 0.5,
            "effort": 4,
            "business_value": 8,
            "time_criticality": 2,
            "risk_reduction": 1,
            "ease": 4,
        },
    ),
    DemoSolution(
        "Notification digest and preferences",
        "One daily digest instead of an email per event; per-person preferences.",
        ("notifications",),
        "Notifications",
        ("usability", "engagement"),
        {
            "impact": 1,
            "confidence": 1.0,
            "effort": 1,
            "business_value": 3,
            "time_criticality": 2,
            "risk_reduction": 1,
            "ease": 9,
        },
    ),
    DemoSolution(
        "Webhooks for approvals and payments, higher API limits",
        "",
        ("webhooks", "api_limits"),
        "API",
        ("reliability",),
        {"impact": 1, "confidence": 0.8, "effort": 2},
    ),
)


@dataclass(frozen=True)
class DemoPlan:
    """Where a solution stands on the roadmap: its column, commitment, quarter (as quarters
    from now: the demo follows the clock), whether it is public, and what sales leadership
    approved: nothing (awaiting), "no date", "quarter" (the quarter shared), or "changed"
    (approved, then its commitment firmed up: back awaiting approval)."""

    horizon: str
    commitment: str
    quarter: int | None
    public: bool = False
    sales: str | None = None


# By title; a solution not named here is not on the roadmap yet.
ROADMAP = {
    "Notification digest and preferences": DemoPlan("now", "shipped", -1, True, "quarter"),
    "SAML single sign-on (Okta, Azure AD)": DemoPlan("now", "committed", 0, True, "quarter"),
    "Vendor bank change verification": DemoPlan("now", "committed", 0, True, "no date"),
    "Resilient sync engine with idempotent retries": DemoPlan(
        "now", "committed", 1, True, "no date"
    ),
    "QuickBooks class and location mapping": DemoPlan("next", "planned", 1, True, "quarter"),
    "Audit trail and granular roles": DemoPlan("next", "planned", 1, False, "changed"),
    "Approver-only seats at a lower price": DemoPlan("next", "planned", 1, False, "quarter"),
    "Reporting overhaul: fast reports, cost-centre grouping, faithful exports": DemoPlan(
        "next", "planned", 2, True
    ),
    "Multi-step approval policies": DemoPlan("next", "exploring", 2),
    "Mobile approvals with push notifications": DemoPlan(
        "later", "exploring", None, True, "no date"
    ),
    "Per-currency ledgers and FX revaluation": DemoPlan("later", "exploring", 3),
    "Premium analytics add-on": DemoPlan("later", "exploring", None),
}


# "Dig deeper" questions the PMs attached to problems, by problem key: on the call brief of
# every account behind them (notify/brief.py).
QUESTIONS = {
    "sync": (
        "When the sync fails, how do you find out, and how long until someone notices?",
        "What do you do today to check what the sync wrote?",
    ),
    "sso": ("Which identity provider, and how many people would sign in through it?",),
    "reporting": ("Which report do you rebuild in Excel, and for whom?",),
    "approvals_mobile": ("What are you doing when an approval reaches you on the phone?",),
    "vendor_bank": ("Who checks a vendor's new bank details today, and how?",),
}
