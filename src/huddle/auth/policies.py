"""Who may do what. Each policy answers None (allowed) or the reason it is refused."""

from huddle.auth.actor import Actor
from huddle.errors import NotPermitted
from huddle.models.enums import Role, Team, TokenScope

Reason = str | None


def _role(actor: Actor, role: Role, doing: str) -> Reason:
    if actor.scope != TokenScope.full:
        return f"this token may only add evidence, not {doing}"
    if not actor.at_least(role):
        return f"{doing} needs the {role.value} role (you are {actor.role.value})"
    return None


def may_read(actor: Actor) -> Reason:
    return _role(actor, Role.viewer, "reading the workspace")


def may_add_evidence(actor: Actor) -> Reason:
    if not actor.at_least(Role.contributor):
        return f"adding evidence needs the contributor role (you are {actor.role.value})"
    return None


def may_add_evidence_and_read(actor: Actor) -> Reason:
    """Adding evidence through an answer that shows it back (its account, its submitter)."""
    if actor.scope != TokenScope.full:
        return (
            "an ingest token adds evidence through POST /api/v1/ingest, whose answer "
            "carries only ids and statuses"
        )
    return may_add_evidence(actor)


def may_comment(actor: Actor) -> Reason:
    return _role(actor, Role.contributor, "commenting on problems")


def may_edit_evidence(actor: Actor, submitter_id: int | None) -> Reason:
    if actor.scope == TokenScope.full and submitter_id == actor.id:
        return may_add_evidence(actor)
    return _role(actor, Role.pm, "editing others' evidence")


def may_triage(actor: Actor) -> Reason:
    return _role(actor, Role.pm, "triaging evidence and problems")


def may_plan(actor: Actor) -> Reason:
    return _role(actor, Role.pm, "planning solutions")


# Teams that talk to customers read the roadmap they may show: the sales-safe one.
FACING_CUSTOMERS = frozenset({Team.sales.value, Team.support.value, Team.marketing.value})


def may_read_internal_roadmap(actor: Actor) -> Reason:
    refused = _role(actor, Role.viewer, "reading the roadmap")
    if refused is None and actor.user.team in FACING_CUSTOMERS and not actor.at_least(Role.pm):
        return (
            f"the internal roadmap is for the product team: the {actor.user.team} team "
            "reads the sales-safe roadmap, which shows only what sales leadership approved"
        )
    return refused


def may_review_for_sales(actor: Actor) -> Reason:
    """Seeing what awaits sales approval: sales leadership, and the product team."""
    if may_approve_for_sales(actor) is None:
        return None
    return may_plan(actor)


def may_approve_for_sales(actor: Actor) -> Reason:
    """Sales leadership approves what the sales-safe roadmap shows: an admin says who."""
    if actor.scope != TokenScope.full:
        return "this token may only add evidence, not approve the sales roadmap"
    if not actor.user.approves_for_sales:
        return (
            "approving the sales-safe roadmap is for sales leadership: an admin marks "
            "who approves it"
        )
    return None


def may_read_internal_notes(actor: Actor) -> Reason:
    return _role(actor, Role.pm, "reading the product team's internal notes")


def may_manage_accounts(actor: Actor) -> Reason:
    return _role(actor, Role.pm, "managing accounts")


def may_administer(actor: Actor) -> Reason:
    return _role(actor, Role.admin, "administering users and imports")


def require(reason: Reason) -> None:
    if reason is not None:
        raise NotPermitted(reason)
