"""The changelog: release notes written from shipped solutions, newest first.

Inside the workspace it lists every shipped solution with what it answered (problems,
accounts); the public changelog, read without signing in once an admin opens it, lists only
those marked public, with their title, description, product area and the day they shipped,
as a page, as Markdown and as an Atom feed.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse
from xml.etree import ElementTree as ET

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, may_read, require
from huddle.config import get_settings
from huddle.errors import NotFound
from huddle.ideas.repository import SolutionRepository
from huddle.models.solution import Solution, SolutionProblem

PUBLIC_KEY = "changelog.public"
ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    id: int
    title: str
    description: str
    product_area: str | None
    shipped_at: datetime
    public: bool
    # Inside the workspace only: what it answered.
    problems: int | None = None
    accounts: int | None = None


def public_enabled(session: Session) -> bool:
    return bool((SolutionRepository(session).meta(PUBLIC_KEY) or {}).get("enabled"))


def set_public(session: Session, *, enabled: bool, actor: Actor) -> None:
    require(may_administer(actor))
    SolutionRepository(session).set_meta(PUBLIC_KEY, {"enabled": enabled})


def entries(session: Session, *, actor: Actor | None, public: bool = False) -> list[Entry]:
    """Shipped solutions, newest first. `actor` None reads the public changelog, which must
    be open; a member of the workspace may read (and export) the public one before."""
    if actor is None:
        if not public_enabled(session):
            raise NotFound("this workspace has no public changelog")
        public = True
    else:
        require(may_read(actor))
    statement = (
        select(Solution)
        .where(Solution.commitment == "shipped", Solution.shipped_at.is_not(None))
        .order_by(Solution.shipped_at.desc(), Solution.id.desc())
    )
    if public:
        statement = statement.where(Solution.public.is_(True))
    solutions = list(session.scalars(statement).unique())
    rows = session.execute(
        select(SolutionProblem.solution_id, func.count())
        .where(SolutionProblem.solution_id.in_([s.id for s in solutions]))
        .group_by(SolutionProblem.solution_id)
    )
    counts = {solution_id: count for solution_id, count in rows}
    return [
        Entry(
            id=s.id,
            title=s.title,
            description=s.description,
            product_area=s.product_area,
            shipped_at=s.shipped_at,  # type: ignore[arg-type]
            public=s.public,
            problems=None if public else counts.get(s.id, 0),
            accounts=None if public else s.accounts,
        )
        for s in solutions
    ]


def markdown(found: list[Entry], *, title: str = "Changelog") -> str:
    lines = [f"# {title}", ""]
    for entry in found:
        area = f" · {entry.product_area}" if entry.product_area else ""
        lines += [f"## {entry.title}", "", f"*Shipped {entry.shipped_at:%d %B %Y}{area}*", ""]
        if entry.description:
            lines += [entry.description, ""]
        if entry.problems is not None:
            lines += [
                f"Answers {entry.problems} problem(s) raised by {entry.accounts} account(s).",
                "",
            ]
    if not found:
        lines.append("Nothing shipped yet.")
    return "\n".join(lines).rstrip() + "\n"


def atom(found: list[Entry], *, title: str = "Changelog") -> bytes:
    """An Atom 1.0 feed (RFC 4287) of the public changelog."""
    base = get_settings().base_url.rstrip("/")
    host = urlparse(base).hostname or "huddle"
    ET.register_namespace("", ATOM)

    def child(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    child(feed, "title", title)
    child(feed, "id", f"{base}/public/changelog")
    child(feed, "link", href=f"{base}/public/changelog")
    child(feed, "link", rel="self", href=f"{base}/public/changelog.atom")
    newest = found[0].shipped_at if found else datetime(2000, 1, 1).astimezone()
    child(feed, "updated", newest.isoformat())
    child(child(feed, "author"), "name", title)
    for entry in found:
        item = child(feed, "entry")
        child(item, "title", entry.title)
        child(item, "id", f"tag:{host},{entry.shipped_at:%Y-%m-%d}:solution/{entry.id}")
        child(item, "updated", entry.shipped_at.isoformat())
        child(item, "link", href=f"{base}/public/changelog#release-{entry.id}")
        if entry.product_area:
            child(item, "category", term=entry.product_area)
        child(item, "summary", entry.description or entry.title)
    written: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return written
