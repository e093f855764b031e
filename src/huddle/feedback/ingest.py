"""Evidence pushed in real time: `POST /api/v1/ingest`, one item or `{"items": [...]}`.

- **Who:** any API token (or signed-in session) of a contributor or above; an `ingest`-scope
  token is made for this: it may push and read nothing back.
- **Idempotent** by (origin, external_id) within the sender's own namespace; an item
  without an external id is known again by its text, account and date (when given), so a
  retried batch changes nothing ("unchanged") instead of duplicating.
- **All or nothing** per request: every item is checked (fields, then account references)
  before any is written; errors name the item's index and field.
- **Rate limit:** a token bucket per credential, in this process: bursts up to
  `BURST_ITEMS` items, refilled at `ITEMS_PER_SECOND`; each request costs its item count
  (at least one). Over the limit the answer is 429 with `Retry-After` seconds. Several web
  processes each keep their own buckets, so the effective limit multiplies with them.
"""

import hashlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from huddle.activity import record as record_activity
from huddle.auth.actor import Actor
from huddle.auth.policies import may_add_evidence, require
from huddle.deps import RequireContributor, SessionDep
from huddle.errors import Invalid
from huddle.feedback import intake
from huddle.feedback.schemas import IngestBatch, IngestItem, IngestOutcome, IngestResult
from huddle.imports.records import FeedbackRecord
from huddle.models.feedback import Feedback
from huddle.web.errors import ErrorRead, ValidationErrorRead

MAX_ITEMS = 1000
ITEMS_PER_SECOND = 50.0
BURST_ITEMS = 2000


class IngestRejected(Invalid):
    """Some items are bad; nothing was written. `problems` name each item's index and field."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        count = len({p["index"] for p in problems})
        super().__init__(f"{count} item{'s' if count != 1 else ''} refused; nothing was stored")
        self.problems = problems


def parse_items(payload: Any) -> list[IngestItem]:
    """One item, or `{"items": [...]}`; every bad field of every item is reported at once."""
    if isinstance(payload, dict) and "items" in payload:
        raw = payload["items"]
        if set(payload) != {"items"}:
            raise IngestRejected([_problem(None, "", "a batch holds only 'items'")])
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_ITEMS:
            raise IngestRejected([_problem(None, "items", f"a list of 1 to {MAX_ITEMS} items")])
    else:
        raw = [payload]
    items: list[IngestItem] = []
    problems: list[dict[str, Any]] = []
    for index, value in enumerate(raw):
        try:
            items.append(IngestItem.model_validate(value))
        except ValidationError as error:
            for found in error.errors():
                where = ".".join(str(part) for part in found["loc"])
                problems.append(_problem(index, where, found["msg"]))
    if problems:
        raise IngestRejected(problems)
    return items


def _problem(index: int | None, field_name: str, reason: str) -> dict[str, Any]:
    return {"index": index, "field": field_name, "reason": reason}


def ingest(session: Session, *, items: list[IngestItem], actor: Actor) -> IngestResult:
    """Checks every item against the workspace, then writes them all; flushes, never commits.

    Through the intake every other way in uses, in the sender's own namespace: a sender can
    only ever update what it sent itself, and learns nothing about anyone else's items. An
    account reference that matches no account does not refuse the item (that answer would
    tell an ingest token which accounts exist): the item comes in unattached, with the
    reference kept for when the account is imported.
    """
    require(may_add_evidence(actor))
    by_origin: dict[str, list[FeedbackRecord]] = {}
    for index, item in enumerate(items):
        by_origin.setdefault(item.origin, []).append(
            FeedbackRecord(
                line=index,
                text=item.text,
                source=item.source.value,
                occurred_at=item.occurred_at,
                external_id=item.external_id,
                title=item.title,
                link_url=item.link_url,
                account_ref=item.account,
                contact_email=item.contact_email,
                contact_name=item.contact_name,
                team=item.team.value if item.team else None,
                tags=item.tags,
            )
        )
    outcomes: list[IngestOutcome] = []
    problems: list[dict[str, Any]] = []
    for origin, records in by_origin.items():
        taken = intake.take_in(
            session,
            records,
            origin=origin,
            namespace=intake.user_namespace(actor.id),
            channel="ingest",
            submitter=actor.user,
            unknown_account=intake.UnknownAccount.keep,
        )
        problems.extend(
            _problem(error.line, error.column or "", error.reason.replace(" as line ", " as item "))
            for error in taken.errors
        )
        outcomes.extend(
            IngestOutcome(index=o.line, id=o.id, status=o.status) for o in taken.outcomes
        )
    if problems:
        # Nothing of this request may stay: the route's transaction is rolled back.
        raise IngestRejected(sorted(problems, key=lambda p: p["index"]))
    outcomes.sort(key=lambda o: o.index)
    result = IngestResult(
        created=sum(1 for o in outcomes if o.status == "created"),
        updated=sum(1 for o in outcomes if o.status == "updated"),
        unchanged=sum(1 for o in outcomes if o.status == "unchanged"),
        items=outcomes,
    )
    if result.created or result.updated:
        first = session.get(Feedback, outcomes[0].id)
        if first is not None:
            record_activity(
                session,
                actor,
                "ingested",
                first,
                f"ingested {len(outcomes)} item(s) through the API: {result.created} new, "
                f"{result.updated} updated",
            )
    session.flush()
    return result


@dataclass
class TokenBucket:
    """Per-key buckets of `burst` tokens refilled at `rate` per second; thread-safe."""

    rate: float = ITEMS_PER_SECOND
    burst: float = BURST_ITEMS
    clock: Callable[[], float] = time.monotonic
    _levels: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, cost: float = 1.0) -> float:
        """Takes `cost` tokens and returns 0, or returns the seconds until they would be there."""
        cost = min(cost, self.burst)
        with self._lock:
            now = self.clock()
            level, then = self._levels.get(key, (self.burst, now))
            level = min(self.burst, level + (now - then) * self.rate)
            if level >= cost:
                self._levels[key] = (level - cost, now)
                return 0.0
            self._levels[key] = (level, now)
            return (cost - level) / self.rate


def limiter_of(request: Request) -> TokenBucket:
    state = request.app.state
    if not hasattr(state, "ingest_limiter"):
        state.ingest_limiter = TokenBucket()
    bucket: TokenBucket = state.ingest_limiter
    return bucket


def _credential(request: Request, actor: Actor) -> str:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:24]
    return f"user:{actor.id}"


router = APIRouter(prefix="/api/v1", tags=["ingest"])

EXAMPLE_BATCH = {
    "items": [
        {
            "text": "Customer asked for SAML SSO before renewal",
            "source": "call",
            "external_id": "crm-note-1182",
            "origin": "crm",
            "account": "acme.com",
            "occurred_at": "2026-10-14T15:00:00Z",
            "tags": ["sso"],
        }
    ]
}


# The body is parsed here, item by item, so that a refusal can name each item's index; the
# document still shows what it takes: one IngestItem, or an IngestBatch.
_BODY = TypeAdapter(IngestItem | IngestBatch).json_schema(
    ref_template="#/components/schemas/{model}"
)
BODY_COMPONENTS: dict[str, Any] = _BODY.pop("$defs", {})


@router.post(
    "/ingest",
    response_model=IngestResult,
    responses={
        422: {
            "model": ValidationErrorRead,
            "description": "Refused items: `detail` lists each item's index, field and reason; "
            "nothing was stored",
        },
        429: {"model": ErrorRead, "description": "Over the rate limit; retry after `Retry-After`"},
    },
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": _BODY}}}},
)
def ingest_route(
    request: Request,
    session: SessionDep,
    actor: RequireContributor,
    payload: Annotated[
        Any,
        Body(
            description="One IngestItem, or {'items': [IngestItem, …]} with up to 1000 items.",
            openapi_examples={
                "one": {"value": EXAMPLE_BATCH["items"][0]},
                "batch": {"value": EXAMPLE_BATCH},
            },
        ),
    ],
) -> Any:
    """Push evidence: one item or a batch, all or nothing, idempotent by (origin, external_id)."""
    try:
        items = parse_items(payload)
        wait = limiter_of(request).take(_credential(request, actor), max(1, len(items)))
        if wait > 0:
            return JSONResponse(
                {"detail": f"rate limit: retry in {math.ceil(wait)} s"},
                status_code=429,
                headers={"Retry-After": str(math.ceil(wait))},
            )
        return ingest(session, items=items, actor=actor)
    except IngestRejected as rejected:
        return JSONResponse({"detail": rejected.problems}, status_code=422)
