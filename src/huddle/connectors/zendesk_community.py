"""Zendesk Help Center community posts, read as the tickets the zendesk reader knows.

`GET /api/v2/community/posts.json?include=users` answers `{"posts": [...], "users": [...],
"next_page": …}`: each post has a `title`, its words in HTML `details`, its `author_id` (the
side-loaded user: `name`, `role`, no email unless the caller is an admin), `created_at`,
`html_url`, `topic_id`, `status` (planned, not_planned, answered, completed, none) and
`pinned`/`featured`. A post by an agent or admin is the team's own (a roadmap update, an
announcement); the author's organisation, when the user carries one, is the account it is
attached to, else it comes in unattached.
"""

from typing import Any

from huddle.connectors.record_values import as_text

# The roles of the help desk's own people, who write for the vendor.
_TEAM_ROLES = {"agent", "admin"}


def is_community_post(record: Any) -> bool:
    """A Help Center community post: a topic's post with its author, not a ticket."""
    return (
        isinstance(record, dict)
        and record.get("topic_id") is not None
        and "details" in record
        and record.get("author_id") is not None
    )


def post_ticket(post: dict[str, Any], users: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A community post as the ticket the zendesk reader knows: its author the requester
    (with their organisation), its status a tag, its page on the help centre its link; by one
    of the team, the team's words."""
    author_id = as_text(post.get("author_id"))
    author = users.get(author_id or "", {})
    status = as_text(post.get("status"))
    team = author.get("role") in _TEAM_ROLES or author.get("agent") is True
    return {
        "id": f"post-{post.get('id')}",
        "subject": post.get("title"),
        "description": post.get("details"),
        "created_at": post.get("created_at"),
        "requester_id": author_id,
        "organization_id": author.get("organization_id"),
        "tags": ["community-post", *([f"post:{status}"] if status and status != "none" else [])],
        "url": as_text(post.get("html_url")) or as_text(post.get("url")),
        "_verdict": "internal" if team else None,
    }
