"""Sales approval of a roadmap item: what it covers, and whether it still holds.

Sales leadership approves the fields sales may show a customer, as they are at that moment;
their fingerprint is kept with the approval. A change to any of them (a new title, another
column, a firmer or weaker commitment, another quarter) makes the fingerprint differ, and the
item is back awaiting approval: sales never shows what nobody approved.
"""

import hashlib
import json
from enum import StrEnum

from huddle.models.solution import Solution

SALES_FIELDS = ("title", "description", "product_area", "horizon", "commitment", "quarter")


class Approval(StrEnum):
    approved = "approved"
    changed = "changed"  # approved once, changed since: awaiting approval again
    awaiting = "awaiting"
    off_roadmap = "off_roadmap"


def shown_to_sales(solution: Solution) -> dict[str, str | None]:
    return {name: getattr(solution, name) for name in SALES_FIELDS}


def fingerprint(fields: dict[str, str | None]) -> str:
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def approval(solution: Solution) -> Approval:
    if solution.horizon is None:
        return Approval.off_roadmap
    if solution.sales_approved_hash is None:
        return Approval.awaiting
    if solution.sales_approved_hash == fingerprint(shown_to_sales(solution)):
        return Approval.approved
    return Approval.changed
