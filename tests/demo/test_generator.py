"""The demo workspace reads like a real company's evidence and holds together as data."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from huddle.demo.generator import DEMO_PASSWORD, DemoWorkspace, generate
from huddle.insights.pii import mask_pii

NOW = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
TEAMS_BY_SOURCE = {
    "call": {"sales"},
    "ticket": {"support"},
    "chat": {"support"},
    "interview": {"product"},
    "survey": {"product", "marketing"},
    "review": {"marketing"},
    "email": {"sales", "support"},
    "internal": {"engineering", "product"},
}


@pytest.fixture(scope="module")
def demo() -> DemoWorkspace:
    return generate(7, now=NOW)


def test_same_seed_and_moment_give_the_same_workspace(demo: DemoWorkspace) -> None:
    # How fast it is, is the benchmark's business (bench/), not a test's.
    again = generate(7, now=NOW)
    assert again == demo
    assert generate(8, now=NOW).feedback != demo.feedback


def test_sizes_follow_the_arguments() -> None:
    small = generate(3, now=NOW, accounts=12, feedback=80)
    assert (len(small.accounts), len(small.feedback)) == (12, 80)
    assert len(generate(3, accounts=0, feedback=20).feedback) == 20


def test_a_user_for_every_team_and_role(demo: DemoWorkspace) -> None:
    assert DEMO_PASSWORD == "huddle-demo"
    roles = Counter(u.role for u in demo.users)
    teams = Counter(u.team for u in demo.users)
    assert roles["admin"] == 1 and any(u.email.startswith("admin@") for u in demo.users)
    assert 2 <= roles["pm"] <= 3 and roles["viewer"] >= 1
    assert teams["sales"] >= 4 and teams["support"] >= 2 and teams["engineering"] >= 2
    assert {"marketing", "finance", "leadership"} <= set(teams)
    assert len({u.email for u in demo.users}) == len(demo.users)


def test_accounts_look_like_a_real_customer_base(demo: DemoWorkspace) -> None:
    accounts = demo.accounts
    assert len(accounts) == 200
    assert len({a.name for a in accounts}) == len({a.domain for a in accounts}) == 200
    status = Counter(a.status for a in accounts)
    assert 0.8 <= status["customer"] / 200 <= 0.9 and status["prospect"] and status["churned"]
    assert 0.08 <= sum(a.at_risk for a in accounts) / 200 <= 0.16
    assert all(a.status == "customer" for a in accounts if a.at_risk)
    ranges = {"SMB": (3_000, 25_000), "Mid-market": (25_000, 150_000)}
    ranges["Enterprise"] = (150_000, 1_200_000)
    reps = {u.email for u in demo.users if u.team == "sales"}
    today = NOW.date()
    for account in accounts:
        low, high = ranges[account.segment]
        if account.status == "prospect":
            assert account.arr_minor == 0 and account.renewal_date is None
        else:
            assert low * 100 <= account.arr_minor <= high * 100
        if account.status == "customer":
            assert account.renewal_date is not None
            assert today < account.renewal_date <= today + timedelta(days=365)
        assert account.owner_email is None or account.owner_email in reps
        assert 1 <= len(account.contacts) <= 4
        assert all(c.email.endswith("@" + account.domain) for c in account.contacts)
    segments = Counter(a.segment for a in accounts)
    assert segments["SMB"] > segments["Mid-market"] > segments["Enterprise"] > 10


def test_problems_roll_up_to_causes_without_cycles(demo: DemoWorkspace) -> None:
    problems = {p.key: p for p in demo.problems}
    assert 20 <= len(problems) <= 30
    assert {p.status for p in demo.problems} == {
        "new",
        "validated",
        "planned",
        "solved",
        "wont_fix",
    }
    children = [p for p in demo.problems if p.parent_key]
    assert len(children) >= 4
    for problem in children:
        seen = {problem.key}
        parent = problem.parent_key
        while parent is not None:
            assert parent in problems and parent not in seen
            seen.add(parent)
            parent = problems[parent].parent_key


def test_links_quote_their_evidence_exactly(demo: DemoWorkspace) -> None:
    problems = {p.key for p in demo.problems}
    for item in demo.feedback:
        for link in item.links:
            assert link.problem_key in problems
            assert link.quote and link.quote in item.text
            assert link.problem_key in (item.latent_topic or "").split("+")
            # The loader masks PII; a quote must still be found in the masked text.
            assert link.quote in mask_pii(item.text)[0]
    linked = {link.problem_key for item in demo.feedback for link in item.links}
    assert linked == problems


def test_every_source_comes_from_its_team(demo: DemoWorkspace) -> None:
    feedback = demo.feedback
    assert len(feedback) == 3000
    assert {f.source for f in feedback} == set(TEAMS_BY_SOURCE)
    assert {f.team for f in feedback} >= {"sales", "support", "product", "marketing", "engineering"}
    users = {u.email: u for u in demo.users}
    accounts = {a.key: a for a in demo.accounts}
    for item in feedback:
        assert item.team in TEAMS_BY_SOURCE[item.source]
        assert users[item.submitter_email].team == item.team
        if item.contact_email is not None:
            assert item.account_key is not None
            assert item.contact_email in {c.email for c in accounts[item.account_key].contacts}
    assert len({f.key for f in feedback}) == len(feedback)


def test_a_fair_share_is_left_for_the_inbox(demo: DemoWorkspace) -> None:
    unlinked = sum(1 for f in demo.feedback if not f.links) / len(demo.feedback)
    assert 0.45 <= unlinked <= 0.55


def test_texts_vary_like_real_evidence(demo: DemoWorkspace) -> None:
    texts = [f.text for f in demo.feedback]
    assert len(set(texts)) / len(texts) > 0.97
    _, most = Counter(t[:40] for t in texts).most_common(1)[0]
    assert most <= 15
    lengths = sorted(len(t.split()) for t in texts)
    assert lengths[0] <= 10 and lengths[-1] >= 60
    assert sum("\n" in t for t in texts) > 500
    calls = [f for f in demo.feedback if f.source == "call" and f.latent_topic]
    assert sum("+" in (f.latent_topic or "") for f in calls) / len(calls) > 0.6
    surveys = [f.text for f in demo.feedback if f.source == "survey"]
    assert all(t.startswith(("NPS ", "CSAT ")) for t in surveys)
    assert all(f.title for f in demo.feedback if f.source in ("email", "ticket", "review"))
    assert sum(t == t.lower() for t in texts) > 100  # chat style


def test_topics_include_ones_without_a_problem_and_some_chatter(demo: DemoWorkspace) -> None:
    problems = {p.key for p in demo.problems}
    topics = Counter(
        key for f in demo.feedback if f.latent_topic for key in f.latent_topic.split("+")
    )
    assert len(topics) >= 30
    assert len(set(topics) - problems) >= 6
    chatter = sum(1 for f in demo.feedback if f.latent_topic is None) / len(demo.feedback)
    assert 0.05 <= chatter <= 0.11


def test_dates_span_the_last_year(demo: DemoWorkspace) -> None:
    for item in demo.feedback:
        assert item.occurred_at.tzinfo is not None and item.occurred_at.utcoffset() == timedelta(0)
        assert NOW - timedelta(days=365) <= item.occurred_at <= NOW
    months = {(f.occurred_at.year, f.occurred_at.month) for f in demo.feedback}
    assert len(months) >= 12


def _mentions(demo: DemoWorkspace, key: str, newest: int, oldest: int) -> int:
    return sum(
        1
        for f in demo.feedback
        if key in (f.latent_topic or "").split("+")
        and NOW - timedelta(days=oldest) <= f.occurred_at < NOW - timedelta(days=newest)
    )


def test_some_topics_rise_and_one_fades(demo: DemoWorkspace) -> None:
    rising = [
        key
        for key in ("card_declines", "tax_1099", "reports_slow")
        if _mentions(demo, key, 0, 30) >= 2 * max(1, _mentions(demo, key, 30, 60))
    ]
    assert rising
    assert _mentions(demo, "notifications", 0, 30) < _mentions(demo, "notifications", 90, 180) / 2


def test_large_and_at_risk_accounts_feel_the_painful_topics(demo: DemoWorkspace) -> None:
    accounts = {a.key: a for a in demo.accounts}

    def big_share(keys: set[str]) -> float:
        items = [
            accounts[f.account_key]
            for f in demo.feedback
            if f.account_key and keys & set((f.latent_topic or "").split("+"))
        ]
        return sum(a.segment == "Enterprise" or a.at_risk for a in items) / len(items)

    assert big_share({"sso", "netsuite_lines", "audit_log"}) > 1.4 * big_share(
        {"search", "dark_mode", "export"}
    )


def test_tags_are_few_and_sensible(demo: DemoWorkspace) -> None:
    tags = Counter(t for f in demo.feedback for t in f.tags)
    assert {"renewal", "blocker", "mobile", "competitor:Ramp"} <= set(tags)
    assert len(tags) <= 25
    for item in demo.feedback:
        for tag in item.tags:
            if tag.startswith("competitor:"):
                assert tag.removeprefix("competitor:") in item.text
