"""Experiments kept with a solution and go/no-go decisions: results entered or imported
(a bad row stores nothing), a decision keeps the evidence as it stood, is searchable, and
reaches the workspace's webhook signed (a real HTTP receiver on loopback), with a delivery
an admin replays."""

import hashlib
import hmac
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from huddle.auth.actor import Actor
from huddle.cli.main import app as cli
from huddle.errors import Invalid, NotPermitted
from huddle.jobs.runner import run_until_idle
from huddle.launch import decisions, stages, trials
from huddle.launch.experiments import Variant
from huddle.models import Decision, Experiment, ExperimentVariant
from huddle.models.message import Message
from tests.factories import create_solution, create_user
from tests.helpers import bearer, client, login
from tests.notify.conftest import SECRET, Receiver, receiver  # noqa: F401

ARMS = [Variant("control", 5000, 500), Variant("checklist", 5000, 600)]


def _pm(session: Session) -> Actor:
    return Actor(create_user(session, role="pm", name="Pat PM"))


def _rows(session: Session) -> list[tuple[str, int, int]]:
    found = session.execute(
        select(
            ExperimentVariant.name, ExperimentVariant.exposures, ExperimentVariant.conversions
        ).order_by(ExperimentVariant.experiment_id, ExperimentVariant.position)
    ).all()
    return [tuple(r) for r in found]  # type: ignore[misc]


def test_results_are_analysed_and_bad_counts_change_nothing(session: Session) -> None:
    pm = _pm(session)
    solution = create_solution(session, title="Onboarding checklist")
    made = trials.create(
        session,
        solution_id=solution.id,
        name="Checklist A/B",
        primary_metric="activation in 7 days",
        variants=[Variant("control", 0, 0), Variant("checklist", 0, 0)],
        actor=pm,
    )
    [waiting] = trials.for_solution(session, solution_id=solution.id, actor=pm)
    assert waiting.analysis is None and "empty" in (waiting.waiting or "")
    trials.set_results(session, experiment_id=made.id, variants=ARMS, actor=pm)
    [trial] = trials.for_solution(session, solution_id=solution.id, actor=pm)
    assert trial.analysis is not None
    assert trial.analysis.verdict.startswith("Supports shipping checklist")
    assert trial.analysis.comparisons[0].effect == pytest.approx(0.02)
    before = _rows(session)
    with pytest.raises(Invalid, match="line 3 \\(checklist\\): conversions: 7000 is more"):
        trials.import_csv(
            session,
            experiment_id=made.id,
            text="variant,exposures,conversions\ncontrol,6000,600\nchecklist,6000,7000\n",
            actor=pm,
        )
    session.expire_all()
    assert _rows(session) == before == [("control", 5000, 500), ("checklist", 5000, 600)]
    trials.import_csv(
        session,
        experiment_id=made.id,
        text="variant,exposures,conversions\ncontrol,6000,600\nchecklist,6000,690\n",
        actor=pm,
    )
    assert _rows(session) == [("control", 6000, 600), ("checklist", 6000, 690)]


def test_a_viewer_may_not_enter_results(session: Session) -> None:
    viewer = Actor(create_user(session, role="viewer"))
    solution = create_solution(session)
    with pytest.raises(NotPermitted):
        trials.create(session, solution_id=solution.id, name="x", variants=ARMS, actor=viewer)


def test_a_decision_keeps_the_evidence_as_it_stood(session: Session) -> None:
    pm = _pm(session)
    lead = create_user(session, role="contributor", team="sales", name="Sam Sales")
    eng = create_user(session, role="viewer", team="engineering", name="Eve Eng")
    solution = create_solution(session, title="Onboarding checklist")
    experiment = trials.create(
        session, solution_id=solution.id, name="Checklist A/B", variants=ARMS, actor=pm
    )
    stages.move(session, solution_id=solution.id, to="ready", reason="Pilot ran", actor=pm)
    with pytest.raises(Invalid, match="reasons: say why"):
        decisions.record_decision(
            session, solution_id=solution.id, outcome="go", reasons="  ", actor=pm
        )
    with pytest.raises(Invalid, match="signed_off: no user 999999"):
        decisions.record_decision(
            session,
            solution_id=solution.id,
            outcome="go",
            reasons="x",
            signed_off_ids=[999999],
            actor=pm,
        )
    with pytest.raises(Invalid, match="'maybe' is not a decision"):
        decisions.record_decision(
            session, solution_id=solution.id, outcome="maybe", reasons="x", actor=pm
        )
    assert session.scalar(select(func.count()).select_from(Decision)) == 0
    made = decisions.record_decision(
        session,
        solution_id=solution.id,
        outcome="go",
        reasons="Activation up two points",
        risks="Support macros late",
        signed_off_ids=[lead.id],
        consulted_ids=[eng.id],
        review_on=date(2027, 3, 1),
        actor=pm,
    )
    assert made.signed_off == [{"id": lead.id, "name": "Sam Sales"}]
    assert made.consulted == [{"id": eng.id, "name": "Eve Eng"}]
    kept = made.evidence
    assert kept["stage"] == "ready"
    assert kept["gate"]["stage"] == "ready" and kept["gate"]["done"] == 0
    assert kept["gate"]["total"] == len(stages.DEFAULT_GATES["ready"])
    [result] = kept["experiments"]
    assert result["name"] == "Checklist A/B" and result["verdict"].startswith("Supports shipping")
    assert result["variants"][0]["effect"] == pytest.approx(0.02)
    # Later results do not rewrite what the decision saw.
    trials.set_results(
        session,
        experiment_id=experiment.id,
        variants=[Variant("control", 5000, 600), Variant("checklist", 5000, 500)],
        actor=pm,
    )
    session.commit()
    session.expire_all()
    again = session.get_one(Decision, made.id)
    assert again.evidence["experiments"][0]["variants"][0]["effect"] == pytest.approx(0.02)


def test_decisions_are_searchable(session: Session) -> None:
    pm = _pm(session)
    sso = create_solution(session, title="SAML single sign-on")
    dark = create_solution(session, title="Dark mode")
    decisions.record_decision(
        session, solution_id=sso.id, outcome="go", reasons="Enterprise deals wait on it", actor=pm
    )
    decisions.record_decision(
        session,
        solution_id=dark.id,
        outcome="no_go",
        reasons="Nobody pays for it",
        risks="Churn of designers",
        actor=pm,
    )
    decisions.record_decision(
        session, solution_id=dark.id, outcome="wait", reasons="Revisit in Q3", actor=pm
    )

    def titles(**kw: object) -> list[tuple[str, str]]:
        return [(s.title, d.outcome) for d, s in decisions.search(session, actor=pm, **kw)]  # type: ignore[arg-type]

    assert titles(text="saml") == [("SAML single sign-on", "go")]
    assert titles(text="designers") == [("Dark mode", "no_go")]
    assert titles(text="dark") == [("Dark mode", "wait"), ("Dark mode", "no_go")]
    assert titles(outcome="go") == [("SAML single sign-on", "go")]
    assert titles(text="100%_") == []


def _verified(headers: dict[str, str], body: bytes) -> bool:
    expected = hmac.new(
        SECRET.encode(), headers["X-Huddle-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(headers["X-Huddle-Signature"], f"sha256={expected}")


def test_a_decision_reaches_the_webhook_signed_and_is_replayable(
    database_url: str,
    session: Session,
    receiver: Receiver,  # noqa: F811
) -> None:
    pm = create_user(session, role="pm", name="Pat PM")
    lead = create_user(session, role="contributor", team="sales", name="Sam Sales")
    admin = create_user(session, role="admin")
    solution = create_solution(session, title="Audit log")
    headers = bearer(session, pm)
    session.commit()
    api = client(database_url)
    answer = api.post(
        f"/api/v1/solutions/{solution.id}/decisions",
        json={
            "decision": "go",
            "reasons": "SOC 2 auditors asked",
            "signed_off_ids": [lead.id],
            "review_on": "2027-02-01",
        },
        headers=headers,
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["signed_off"] == [{"id": lead.id, "name": "Sam Sales"}]
    run_until_idle(database_url)
    [(sent_headers, body)] = receiver.posts
    assert sent_headers["X-Huddle-Event"] == "decision.made"
    assert _verified(sent_headers, body)
    sent = json.loads(body)
    assert sent["event"] == "decision.made"
    assert sent["data"]["decision"] == "go" and sent["data"]["reasons"] == "SOC 2 auditors asked"
    assert sent["data"]["solution_id"] == solution.id and sent["data"]["review_on"] == "2027-02-01"
    assert sent["data"]["evidence"]["stage"] == "discovery"
    # The person who signed off hears it in the app; the PM who decided does not.
    app_messages = session.scalars(select(Message).where(Message.channel == "app")).all()
    assert [(m.recipient_id, m.subject) for m in app_messages] == [(lead.id, "Go for “Audit log”")]
    # Handled again (a job run twice), nothing is sent twice.
    from huddle.notify.service import decision_made

    assert decision_made(session, answer.json()["id"]) == []
    # Logged for the admin, who replays it under the same delivery key.
    [delivery] = session.scalars(select(Message).where(Message.channel == "webhook")).all()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    assert "decision.made" in browser.get("/admin/deliveries").text
    browser.post(f"/admin/deliveries/{delivery.id}/replay", data={"csrf_token": csrf})
    run_until_idle(database_url)
    replays = receiver.events("decision.made")
    assert len(replays) == 2 and len({h["X-Huddle-Delivery"] for h, _ in replays}) == 1


def test_api_refuses_bad_counts_naming_the_field(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    solution = create_solution(session)
    headers = bearer(session, pm)
    session.commit()
    api = client(database_url)
    url = f"/api/v1/solutions/{solution.id}/experiments"
    body = {"name": "Price page", "variants": [{"name": "control"}, {"name": "new"}]}
    made = api.post(url, json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["verdict"].startswith("No result yet")
    results = f"/api/v1/experiments/{made.json()['id']}/results"
    negative = {"variants": [{"name": "control", "exposures": -1}, {"name": "new"}]}
    assert api.put(results, json=negative, headers=headers).status_code == 422
    over = {
        "variants": [
            {"name": "control", "exposures": 100, "conversions": 10},
            {"name": "new", "exposures": 100, "conversions": 101},
        ]
    }
    refused = api.put(results, json=over, headers=headers)
    assert refused.status_code == 422 and "conversions" in refused.text
    empty = {"variants": [{"name": "control", "exposures": 100}, {"name": "new"}]}
    refused = api.put(results, json=empty, headers=headers)
    assert refused.status_code == 422 and "empty" in refused.text
    good = {
        "variants": [
            {"name": "control", "exposures": 80, "conversions": 48},
            {"name": "new", "exposures": 70, "conversions": 56},
        ]
    }
    done = api.put(results, json=good, headers=headers).json()
    [row] = done["variants"]
    assert (round(row["ci_low"], 4), round(row["ci_high"], 4)) == (0.0575, 0.3425)
    assert api.get(url, headers=headers).json()["items"][0]["id"] == done["id"]
    assert session.scalar(select(func.count()).select_from(Experiment)) == 1


def test_page_records_a_decision_and_lists_it(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    viewer = create_user(session, role="viewer")
    solution = create_solution(session, title="Bulk edit")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    page = browser.post(
        f"/solutions/{solution.id}/experiments",
        data={
            "csrf_token": csrf,
            "name": "Bulk edit pilot",
            "results": "variant,exposures,conversions\ncontrol,2000,200\nbulk,2000,260\n",
        },
    )
    assert "Supports shipping bulk" in page.text
    refused = browser.post(
        f"/solutions/{solution.id}/decisions",
        data={"csrf_token": csrf, "decision": "go", "reasons": ""},
        follow_redirects=False,
    )
    assert "error=reasons" in refused.headers["location"]
    done = browser.post(
        f"/solutions/{solution.id}/decisions",
        data={
            "csrf_token": csrf,
            "decision": "go",
            "reasons": "Pilot won",
            "signed_off": str(viewer.id),
        },
    )
    assert "Decision recorded" in done.text and "Pilot won" in done.text
    listed = browser.get("/decisions?q=pilot")
    assert "Bulk edit" in listed.text and "1 decision" in listed.text
    assert "0 decisions" in browser.get("/decisions?q=nowhere").text


def test_cli_imports_results_and_records_a_decision(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    pm = create_user(session, role="pm")
    lead = create_user(session, role="contributor", team="sales")
    solution = create_solution(session)
    session.commit()
    file = tmp_path / "pricing.csv"
    file.write_text("variant,exposures,conversions\ncontrol,80,48\nannual,70,56\n")
    runner = CliRunner()
    base = ["--db", database_url, "--as", pm.email]
    imported = runner.invoke(
        cli,
        [
            *base,
            "experiments",
            "import",
            str(solution.id),
            str(file),
            "--metric",
            "upgrades",
            "--json",
        ],
    )
    assert imported.exit_code == 0, imported.output
    # By hand: pooled 104/150, z = 0.2 / 0.0755 = 2.65, two-sided p = 0.0080.
    assert json.loads(imported.output)["variants"][0]["p_value"] == pytest.approx(0.0080, abs=1e-4)
    bad = tmp_path / "bad.csv"
    bad.write_text("variant,exposures,conversions\ncontrol,80,-1\nannual,70,56\n")
    refused = runner.invoke(cli, [*base, "experiments", "import", str(solution.id), str(bad)])
    assert (
        refused.exit_code == 1
        and "line 2 (control): conversions: must not be negative" in refused.output
    )
    recorded = runner.invoke(
        cli,
        [
            *base,
            "decisions",
            "record",
            str(solution.id),
            "--decision",
            "go",
            "--reasons",
            "Annual wins",
            "--signed-off",
            lead.email,
            "--json",
        ],
    )
    assert recorded.exit_code == 0, recorded.output
    listed = runner.invoke(cli, [*base, "decisions", "list", "--q", "annual", "--json"])
    assert [d["reasons"] for d in json.loads(listed.output)] == ["Annual wins"]
    assert session.scalar(select(func.count()).select_from(Experiment)) == 1
