"""The launch API: stages and gates (experiments, decisions, plans and effort beside)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from huddle.deps import RequireAdmin, RequirePlanner, RequireReader, SessionDep
from huddle.launch import decisions, delivery, effort, plans, raci, stages, trials
from huddle.launch import experiments as maths
from huddle.launch.schemas import (
    CalendarEntryRead,
    CalendarRead,
    ComparisonRead,
    ControlRead,
    DecisionCreate,
    DecisionList,
    DecisionRead,
    DeliveryLinkCreate,
    DeliveryLinkRead,
    DeliveryLinks,
    EffortCreate,
    EffortEntryRead,
    EffortRead,
    ExperimentCreate,
    ExperimentList,
    ExperimentRead,
    ExperimentResults,
    GateCheckIn,
    GateItemCreate,
    GateItemList,
    GateItemRead,
    GateLineRead,
    LaunchTaskCreate,
    LaunchTaskRead,
    LaunchTaskUpdate,
    PersonRead,
    PlanRead,
    RaciList,
    RaciRead,
    RaciUpdate,
    ReadinessRead,
    SplitIn,
    SpreadRead,
    StageMove,
    StageMoveRead,
    StageRead,
    VariantIn,
)
from huddle.models.launch import Decision, DeliveryLink, GateItem, LaunchTask, RaciActivity
from huddle.models.solution import Solution
from huddle.params import PathId, QueryDay, QueryId, QueryText
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1", tags=["launch"])


def _line(line: stages.GateLine) -> GateLineRead:
    return GateLineRead(
        id=line.item.id,
        label=line.item.label,
        done=line.done,
        checked_by=line.checked_by,
        checked_at=line.checked_at,
    )


def read_stage(found: stages.StageView) -> StageRead:
    return StageRead(
        solution_id=found.solution.id,
        stage=found.solution.stage,
        next_stage=found.next_stage,
        launch_on=found.solution.launch_on,
        learned=found.solution.learned,
        gate=[_line(line) for line in found.gate.lines] if found.gate else [],
        history=[StageMoveRead(**vars(m)) for m in found.history],
    )


def _item(item: GateItem) -> GateItemRead:
    return GateItemRead(id=item.id, stage=item.stage, label=item.label, position=item.position)


@router.get("/solutions/{solution_id}/stage", response_model=StageRead, responses=documented(404))
def get_stage(solution_id: PathId, session: SessionDep, actor: RequireReader) -> StageRead:
    """Its stage, the checklist to leave it with what is ticked, and every move so far."""
    return read_stage(stages.view(session, solution_id=solution_id, actor=actor))


@router.post("/solutions/{solution_id}/stage", response_model=StageRead, responses=documented(404))
def move_stage(
    solution_id: PathId, data: StageMove, session: SessionDep, actor: RequirePlanner
) -> StageRead:
    """Move it to a stage; past open gate items, or aside, only with a reason."""
    stages.move(session, solution_id=solution_id, to=data.stage, reason=data.reason, actor=actor)
    return read_stage(stages.view(session, solution_id=solution_id, actor=actor))


@router.put(
    "/solutions/{solution_id}/gate/{item_id}",
    response_model=GateLineRead,
    responses=documented(404),
)
def check_gate_item(
    solution_id: PathId,
    item_id: PathId,
    data: GateCheckIn,
    session: SessionDep,
    actor: RequirePlanner,
) -> GateLineRead:
    """Tick (or untick, with `done: false`) a gate item for this solution."""
    line = stages.set_check(
        session, solution_id=solution_id, gate_item_id=item_id, done=data.done, actor=actor
    )
    return _line(line)


@router.get("/gates", response_model=GateItemList)
def list_gate_items(session: SessionDep, actor: RequireReader) -> GateItemList:
    """The workspace's gate checklists, stage by stage."""
    found = stages.gate_items(session, actor=actor)
    return GateItemList(items=[_item(i) for items in found.values() for i in items])


@router.post("/gates", response_model=GateItemRead, status_code=201)
def add_gate_item(data: GateItemCreate, session: SessionDep, actor: RequirePlanner) -> GateItemRead:
    return _item(stages.add_gate_item(session, stage=data.stage, label=data.label, actor=actor))


@router.delete("/gates/{item_id}", status_code=204, responses=documented(404))
def remove_gate_item(item_id: PathId, session: SessionDep, actor: RequirePlanner) -> Response:
    stages.remove_gate_item(session, item_id=item_id, actor=actor)
    return Response(status_code=204)


# -- experiments -----------------------------------------------------------------------------


def _maths_variants(variants: list[VariantIn]) -> list[maths.Variant]:
    return [maths.Variant(v.name, v.exposures, v.conversions, v.expected_share) for v in variants]


def read_experiment(trial: trials.Trial) -> ExperimentRead:
    e = trial.experiment
    analysis = trial.analysis
    return ExperimentRead(
        id=e.id,
        solution_id=e.solution_id,
        name=e.name,
        hypothesis=e.hypothesis,
        primary_metric=e.primary_metric,
        control=ControlRead(**analysis.as_dict()["control"]) if analysis else None,
        variants=[ComparisonRead(**vars(c)) for c in analysis.comparisons] if analysis else [],
        srm_p_value=analysis.srm_p_value if analysis else None,
        verdict=analysis.verdict if analysis else f"No result yet: {trial.waiting}",
        created_at=e.created_at,
        updated_at=e.updated_at,
    )


@router.get(
    "/solutions/{solution_id}/experiments", response_model=ExperimentList, responses=documented(404)
)
def list_experiments(
    solution_id: PathId, session: SessionDep, actor: RequireReader
) -> ExperimentList:
    """The solution's experiments, newest first, each analysed."""
    found = trials.for_solution(session, solution_id=solution_id, actor=actor)
    return ExperimentList(items=[read_experiment(t) for t in found])


@router.post(
    "/solutions/{solution_id}/experiments",
    response_model=ExperimentRead,
    status_code=201,
    responses=documented(404),
)
def create_experiment(
    solution_id: PathId, data: ExperimentCreate, session: SessionDep, actor: RequirePlanner
) -> ExperimentRead:
    experiment = trials.create(
        session,
        solution_id=solution_id,
        name=data.name,
        hypothesis=data.hypothesis,
        primary_metric=data.primary_metric,
        variants=_maths_variants(data.variants),
        actor=actor,
    )
    return read_experiment(trials.analysed(experiment))


@router.get(
    "/experiments/{experiment_id}", response_model=ExperimentRead, responses=documented(404)
)
def get_experiment(
    experiment_id: PathId, session: SessionDep, actor: RequireReader
) -> ExperimentRead:
    return read_experiment(
        trials.analysed(trials.get(session, experiment_id=experiment_id, actor=actor))
    )


@router.put(
    "/experiments/{experiment_id}/results", response_model=ExperimentRead, responses=documented(404)
)
def set_experiment_results(
    experiment_id: PathId, data: ExperimentResults, session: SessionDep, actor: RequirePlanner
) -> ExperimentRead:
    """Replace the arms and their counts; bad counts change nothing."""
    experiment = trials.set_results(
        session, experiment_id=experiment_id, variants=_maths_variants(data.variants), actor=actor
    )
    return read_experiment(trials.analysed(experiment))


@router.delete("/experiments/{experiment_id}", status_code=204, responses=documented(404))
def delete_experiment(
    experiment_id: PathId, session: SessionDep, actor: RequirePlanner
) -> Response:
    trials.delete(session, experiment_id=experiment_id, actor=actor)
    return Response(status_code=204)


# -- decisions -------------------------------------------------------------------------------


def read_decision(decision: Decision, solution: Solution) -> DecisionRead:
    return DecisionRead(
        id=decision.id,
        solution_id=solution.id,
        solution_title=solution.title,
        decision=decision.outcome,
        reasons=decision.reasons,
        risks=decision.risks,
        evidence=decision.evidence,
        decided_by=decision.decided_by.name if decision.decided_by else None,
        signed_off=[PersonRead(**p) for p in decision.signed_off],
        consulted=[PersonRead(**p) for p in decision.consulted],
        review_on=decision.review_on,
        created_at=decision.created_at,
    )


@router.get("/decisions", response_model=DecisionList)
def list_decisions(
    session: SessionDep,
    actor: RequireReader,
    q: QueryText = None,
    decision: Annotated[str | None, Query(pattern="^(go|no_go|wait)$")] = None,
    solution_id: QueryId = None,
) -> DecisionList:
    """Decisions, newest first; `q` finds words in the solution's title, reasons or risks."""
    found = decisions.search(
        session, actor=actor, text=q, outcome=decision, solution_id=solution_id
    )
    return DecisionList(items=[read_decision(d, s) for d, s in found])


@router.post(
    "/solutions/{solution_id}/decisions",
    response_model=DecisionRead,
    status_code=201,
    responses=documented(404),
)
def record_decision(
    solution_id: PathId, data: DecisionCreate, session: SessionDep, actor: RequirePlanner
) -> DecisionRead:
    """Record a go/no-go decision with the evidence as it stands; `decision.made` is sent
    to the workspace's webhook."""
    made = decisions.record_decision(
        session,
        solution_id=solution_id,
        outcome=data.decision,
        reasons=data.reasons,
        risks=data.risks,
        signed_off_ids=data.signed_off_ids,
        consulted_ids=data.consulted_ids,
        review_on=data.review_on,
        actor=actor,
    )
    return read_decision(made, session.get_one(Solution, made.solution_id))


@router.get("/decisions/{decision_id}", response_model=DecisionRead, responses=documented(404))
def get_decision(decision_id: PathId, session: SessionDep, actor: RequireReader) -> DecisionRead:
    found = decisions.get(session, decision_id=decision_id, actor=actor)
    return read_decision(found, session.get_one(Solution, found.solution_id))


# -- go-to-market plans ----------------------------------------------------------------------


def _task(task: LaunchTask) -> LaunchTaskRead:
    return LaunchTaskRead(
        id=task.id,
        solution_id=task.solution_id,
        title=task.title,
        team=task.team,
        owner_id=task.owner_id,
        owner=task.owner.name if task.owner else None,
        due_on=task.due_on,
        done=task.done,
        done_at=task.done_at,
    )


def read_plan(found: plans.Plan) -> PlanRead:
    r = found.readiness
    return PlanRead(
        solution_id=found.solution.id,
        stage=found.solution.stage,
        launch_on=found.solution.launch_on,
        readiness=ReadinessRead(
            done=r.done,
            total=r.total,
            late=r.late,
            by_team={k: list(v) for k, v in r.by_team.items()},
        ),
        tasks=[_task(t) for t in found.tasks],
    )


@router.get("/solutions/{solution_id}/plan", response_model=PlanRead, responses=documented(404))
def get_plan(solution_id: PathId, session: SessionDep, actor: RequireReader) -> PlanRead:
    """The go-to-market plan: its tasks and how ready the launch is, by team."""
    return read_plan(plans.plan(session, solution_id=solution_id, actor=actor))


@router.post(
    "/solutions/{solution_id}/tasks",
    response_model=LaunchTaskRead,
    status_code=201,
    responses=documented(404),
)
def add_launch_task(
    solution_id: PathId, data: LaunchTaskCreate, session: SessionDep, actor: RequirePlanner
) -> LaunchTaskRead:
    task = plans.add_task(
        session,
        solution_id=solution_id,
        title=data.title,
        team=data.team,
        owner_id=data.owner_id,
        due_on=data.due_on,
        actor=actor,
    )
    return _task(task)


@router.patch("/tasks/{task_id}", response_model=LaunchTaskRead, responses=documented(404))
def update_launch_task(
    task_id: PathId, data: LaunchTaskUpdate, session: SessionDep, actor: RequirePlanner
) -> LaunchTaskRead:
    sent = data.model_fields_set
    task = plans.update_task(
        session,
        task_id=task_id,
        actor=actor,
        done=data.done,
        title=data.title,
        team=data.team,
        owner_id=data.owner_id,
        clear_owner="owner_id" in sent and data.owner_id is None,
        due_on=data.due_on,
        clear_due="due_on" in sent and data.due_on is None,
    )
    return _task(task)


@router.delete("/tasks/{task_id}", status_code=204, responses=documented(404))
def delete_launch_task(task_id: PathId, session: SessionDep, actor: RequirePlanner) -> Response:
    plans.delete_task(session, task_id=task_id, actor=actor)
    return Response(status_code=204)


@router.get("/launches/calendar", response_model=CalendarRead)
def launch_calendar(
    session: SessionDep,
    actor: RequireReader,
    since: QueryDay = None,
    until: QueryDay = None,
) -> CalendarRead:
    """Planned launches and their tasks' due days, in order, from `since` to `until`."""
    found = plans.calendar(session, actor=actor, start=since, end=until)
    return CalendarRead(items=[CalendarEntryRead(**vars(e)) for e in found])


# -- responsibilities and effort -------------------------------------------------------------


def _raci(row: RaciActivity) -> RaciRead:
    return RaciRead(
        id=row.id,
        phase=row.phase,
        activity=row.activity,
        responsible=row.responsible,
        accountable=row.accountable,
        consulted=row.consulted,
        informed=row.informed,
    )


@router.get("/raci", response_model=RaciList)
def get_raci(session: SessionDep, actor: RequireReader) -> RaciList:
    """Who is responsible, accountable, consulted and informed, per activity of each phase."""
    found = raci.matrix(session, actor=actor)
    return RaciList(items=[_raci(r) for rows in found.values() for r in rows])


@router.patch("/raci/{activity_id}", response_model=RaciRead, responses=documented(404))
def update_raci(
    activity_id: PathId, data: RaciUpdate, session: SessionDep, actor: RequirePlanner
) -> RaciRead:
    row = raci.update(session, activity_id=activity_id, actor=actor, **data.model_dump())
    return _raci(row)


def _spread(spread: effort.Spread) -> SpreadRead:
    return SpreadRead(
        name=spread.name,
        days=spread.days,
        shares={p: round(spread.share(p), 4) for p in stages.PHASES},
    )


def read_effort(found: effort.EffortSummary) -> EffortRead:
    return EffortRead(
        people=[_spread(p) for p in found.people],
        overall=_spread(found.overall),
        intended=found.intended,
    )


@router.get("/effort", response_model=EffortRead)
def get_effort(session: SessionDep, actor: RequireReader, since: QueryDay = None) -> EffortRead:
    """Days per phase by each product person and overall, beside the intended split."""
    return read_effort(effort.summary(session, actor=actor, since=since))


@router.post("/effort", response_model=EffortEntryRead, status_code=201)
def log_effort(data: EffortCreate, session: SessionDep, actor: RequirePlanner) -> EffortEntryRead:
    entry = effort.log(session, actor=actor, **data.model_dump())
    return EffortEntryRead(
        id=entry.id,
        user_id=entry.user_id,
        solution_id=entry.solution_id,
        phase=entry.phase,
        days=entry.days,
        week_of=entry.week_of,
        estimated=entry.estimated,
        note=entry.note,
    )


@router.put("/effort/split", response_model=EffortRead)
def set_effort_split(data: SplitIn, session: SessionDep, actor: RequireAdmin) -> EffortRead:
    """The split of the product team's time the workspace intends (any scale)."""
    effort.set_intended_split(session, split=data.model_dump(), actor=actor)
    return read_effort(effort.summary(session, actor=actor))


# -- delivery links --------------------------------------------------------------------------


def _link(link: DeliveryLink) -> DeliveryLinkRead:
    return DeliveryLinkRead(
        id=link.id,
        solution_id=link.solution_id,
        tool=link.tool,
        url=link.url,
        key=link.key,
        status=link.status,
        done=link.done,
        status_at=link.status_at,
    )


@router.get(
    "/solutions/{solution_id}/links", response_model=DeliveryLinks, responses=documented(404)
)
def list_links(solution_id: PathId, session: SessionDep, actor: RequireReader) -> DeliveryLinks:
    """Its tickets in Jira, Linear or GitHub, with the status their tools last sent."""
    found = delivery.links(session, solution_id=solution_id, actor=actor)
    return DeliveryLinks(items=[_link(x) for x in found.links], all_done=found.all_done)


@router.post(
    "/solutions/{solution_id}/links",
    response_model=DeliveryLinkRead,
    status_code=201,
    responses=documented(404, 409),
)
def add_link(
    solution_id: PathId, data: DeliveryLinkCreate, session: SessionDep, actor: RequirePlanner
) -> DeliveryLinkRead:
    return _link(delivery.add_link(session, solution_id=solution_id, url=data.url, actor=actor))


@router.delete("/links/{link_id}", status_code=204, responses=documented(404))
def remove_link(link_id: PathId, session: SessionDep, actor: RequirePlanner) -> Response:
    delivery.remove_link(session, link_id=link_id, actor=actor)
    return Response(status_code=204)
