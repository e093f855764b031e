"""Intercom conversations: the customer's words only, linked to the inbox, idempotent."""

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Feedback
from tests.connectors.helpers import refused, round_trip
from tests.factories import actor, create_account


def conversation(cid: str, *, customer_first: bool = True) -> dict[str, object]:
    user = {"type": "user", "id": "u1", "name": "Mia Chen", "email": "mia@initech.com"}
    admin = {"type": "admin", "id": "a1", "name": "Support Bot", "email": "help@huddle-vendor.io"}
    return {
        "type": "conversation",
        "id": cid,
        "created_at": 1760000000,
        "title": None,
        "source": {
            "type": "conversation",
            "subject": "",
            "body": "<p>Hi! Is there a way to <b>bulk archive</b> old projects?</p>"
            if customer_first
            else "<p>Hi Mia, how is the trial going?</p>",
            "author": user if customer_first else admin,
        },
        "tags": {"type": "tag.list", "tags": [{"type": "tag", "name": "Feature request"}]},
        "conversation_parts": {
            "type": "conversation_part.list",
            "conversation_parts": [
                {
                    "part_type": "comment",
                    "body": "<p>Let me check with the team.</p>",
                    "author": admin,
                },
                {
                    "part_type": "comment",
                    "body": "<p>We have 400 of them, archiving one by one is painful.</p>",
                    "author": user,
                },
                {"part_type": "close", "body": None, "author": admin},
            ],
        },
    }


def test_conversations_import(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    initech = create_account(session, name="Initech", domain="initech.com")
    path = tmp_path / "conversations.json"
    page = {
        "type": "conversation.list",
        "conversations": [conversation("101"), conversation("102", customer_first=False)],
    }
    path.write_text(json.dumps(page))
    round_trip(session, admin, "intercom", path, mapping={"app_id": "abc123"})
    first = session.scalar(select(Feedback).where(Feedback.external_id == "101"))
    assert first is not None and first.source == "chat" and first.account_id == initech.id
    assert "bulk archive" in first.text and "one by one is painful" in first.text
    assert "check with the team" not in first.text
    assert first.link_url == "https://app.intercom.com/a/apps/abc123/inbox/inbox/conversation/101"
    assert first.tags == ["feature request"]
    second = session.scalar(select(Feedback).where(Feedback.external_id == "102"))
    assert second is not None and "how is the trial" not in second.text


def test_bad_conversations_are_refused(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    broken = conversation("103")
    broken["created_at"] = "soon"
    path = tmp_path / "c.json"
    path.write_text(json.dumps([conversation("101"), broken], indent=1))
    failure = refused(session, admin, "intercom", path)
    assert failure.report.errors[0].column == "created_at"
    assert "conversation 103" in failure.report.errors[0].reason
    cut = tmp_path / "cut.json"
    cut.write_text(json.dumps([conversation("101")] * 5, indent=1)[:-300])
    assert "truncated" in refused(session, admin, "intercom", cut).report.errors[0].reason
