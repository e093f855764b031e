"""Incoming webhooks of Jira, Linear and GitHub, at `/hooks/{tool}`: outside `/api/`, whose
writes need a Huddle credential, because each tool signs its deliveries with a shared
secret instead (launch/delivery.py verifies it)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request

from huddle.deps import SessionDep
from huddle.launch import delivery
from huddle.launch.schemas import HookReceipt

router = APIRouter(prefix="/hooks", tags=["launch"])


@router.post("/{tool}", response_model=HookReceipt)
async def tool_webhook(
    tool: Annotated[str, Path(pattern="^(jira|linear|github)$")],
    request: Request,
    session: SessionDep,
) -> HookReceipt:
    """A Jira, Linear or GitHub webhook delivery, signed with that tool's secret
    (`HUDDLE_{TOOL}_WEBHOOK_SECRET`): the status of every linked ticket it names is set. A
    delivery taken before is answered `replay` and changes nothing."""
    body = await request.body()
    receipt = delivery.receive(session, tool=tool, headers=request.headers, body=body)
    return HookReceipt(outcome=receipt.outcome, links_changed=receipt.links_changed)
