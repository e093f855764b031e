"""Messages made from events. Each message is written before anything is sent, under a key
made of the event and the person ("shipped:12:email:7"): an event handled twice (its job run
again after a crash) finds its messages there and writes none, so nobody hears twice.

- A solution ships: each account owner whose accounts asked for it gets one message listing
  those accounts with what they said and a note to send them; each person whose evidence fed
  it is told what became of it.
- A problem's status changes: its owner and followers are told, with the reason (not the
  person who changed it).

Every event is also posted to the workspace's webhook when one is set (notify/webhooks.py).
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, may_read, require
from huddle.config import get_settings
from huddle.errors import NotFound
from huddle.ideas.approval import Approval, approval
from huddle.kit.money import format_money
from huddle.kit.text import truncate
from huddle.kit.time import utcnow
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.launch import Decision
from huddle.models.message import Message
from huddle.models.problem import FeedbackLink, Problem, ProblemPerson
from huddle.models.solution import Solution, SolutionProblem
from huddle.models.user import User
from huddle.notify import delivery, preferences
from huddle.notify.follows import followers

SHIPPED = "shipped"
PROBLEM_STATUS = "problem-status"
QUOTES_PER_ACCOUNT = 2


@dataclass
class _Asked:
    account: Account
    quotes: list[str] = field(default_factory=list)


def _evidence(session: Session, solution_id: int) -> list[tuple[Feedback, str | None]]:
    """The evidence linked to the problems the solution addresses, with each link's quote."""
    problems = select(SolutionProblem.problem_id).where(SolutionProblem.solution_id == solution_id)
    statement = (
        select(Feedback, FeedbackLink.quote)
        .join(FeedbackLink, FeedbackLink.feedback_id == Feedback.id)
        .where(FeedbackLink.problem_id.in_(problems))
        .order_by(Feedback.occurred_at.desc(), Feedback.id)
    )
    seen: set[int] = set()
    found = []
    for item, quote in session.execute(statement).unique():
        if item.id not in seen:
            seen.add(item.id)
            found.append((item, quote))
    return found


def _write(
    session: Session,
    *,
    key: str,
    channel: str,
    user: User | None,
    address: str,
    subject: str,
    body: str,
    data: dict[str, object],
) -> Message | None:
    """The message under `key`, unless it exists already (then None). In the app it is
    delivered as written; the others are queued for delivery (notify/delivery.py)."""
    if session.scalar(select(Message.id).where(Message.key == key)) is not None:
        return None
    sent = channel == "app"
    message = Message(
        key=key,
        event=key.split(":", 1)[0],
        channel=channel,
        recipient_id=user.id if user else None,
        address=address,
        subject=subject[:300],
        body=body,
        data=data,
        status="sent" if sent else "queued",
        attempts=0,
        last_error="",
        sent_at=utcnow() if sent else None,
    )
    session.add(message)
    session.flush()
    return message


def _to(
    session: Session,
    key: str,
    user: User,
    channel: str,
    subject: str,
    body: str,
    data: dict[str, object],
) -> Message | None:
    address = {"email": user.email, "chat": user.chat_webhook_url or ""}.get(channel, "")
    return _write(
        session,
        key=f"{key}:{channel}:{user.id}",
        channel=channel,
        user=user,
        address=address,
        subject=subject,
        body=body,
        data=data,
    )


def send_to(
    session: Session, key: str, user: User, subject: str, body: str, data: dict[str, object]
) -> list[int]:
    """In the app always; by email too when mail is set up and the person wants it, and to
    their chat webhook when they set one. The ids of messages to send."""
    _to(session, key, user, "app", subject, body, data)
    wanted = ["chat"] if preferences.wants_chat(user, key) else []
    if get_settings().smtp_host and preferences.wants_email(user, key):
        wanted.append("email")
    return [
        m.id for channel in wanted if (m := _to(session, key, user, channel, subject, body, data))
    ]


def webhook(session: Session, key: str, event: str, payload: dict[str, object]) -> list[int]:
    """The event for the workspace's webhook, when one is set: the ids to send."""
    url = get_settings().webhook_url
    if not url:
        return []
    body = {"event": event, "delivery": key, "at": utcnow().isoformat(), "data": payload}
    message = _write(
        session,
        key=key,
        channel="webhook",
        user=None,
        address=url,
        subject=event,
        body=json.dumps(body, ensure_ascii=False, sort_keys=True),
        data=payload,
    )
    return [message.id] if message is not None else []


def _owner_message(solution: Solution, asked: Sequence[_Asked], link: str) -> tuple[str, str]:
    count = len(asked)
    subject = (
        f"Shipped: “{solution.title}”, asked for by {count} of your account"
        f"{'s' if count != 1 else ''}"
    )
    lines = [
        f"“{solution.title}” has shipped.",
        *([solution.description] if solution.description else []),
        "",
        "Your accounts that asked for it:",
    ]
    for entry in asked:
        arr = format_money(entry.account.arr_minor or 0, entry.account.currency or "USD")
        lines.append(f"- {entry.account.name} ({arr} ARR)")
        lines += [f"    “{truncate(q, 200)}”" for q in entry.quotes]
    first = asked[0].account.name if asked else "there"
    lines += [
        "",
        "A note you could send them:",
        "",
        f"    Hi {first} team, you told us this mattered to you, and it is live now: "
        f"{solution.title}. We would love to hear how it works for you.",
        "",
        f"The solution in Huddle: {link}",
    ]
    return subject, "\n".join(lines)


def _contributor_message(
    solution: Solution, items: int, accounts: list[str], link: str
) -> tuple[str, str]:
    subject = f"What became of your evidence: “{solution.title}” shipped"
    where = f", from {', '.join(accounts[:5])}" if accounts else ""
    body = "\n".join(
        [
            f"Thank you: {items} piece{'s' if items != 1 else ''} of evidence you added{where} "
            f"helped the product team decide, and “{solution.title}” has shipped.",
            *([solution.description] if solution.description else []),
            "",
            f"The solution in Huddle: {link}",
        ]
    )
    return subject, body


@dataclass
class _WhoAsked:
    accounts: dict[int, Account]
    by_owner: dict[int, list[_Asked]]  # owner -> their accounts that asked, largest ARR first
    by_submitter: dict[int, list[Feedback]]
    users: dict[int, User]  # the active owners and submitters


def _who_asked(session: Session, solution_id: int) -> _WhoAsked:
    """The accounts behind the problems a solution addresses, by owner, with their quotes,
    and the evidence by who added it."""
    evidence = _evidence(session, solution_id)
    wanted = {f.account_id for f, _ in evidence if f.account_id}
    accounts = {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(wanted)))}
    owners: dict[int, dict[int, _Asked]] = {}
    by_submitter: dict[int, list[Feedback]] = {}
    for item, quote in evidence:
        account = accounts.get(item.account_id or 0)
        if account is not None and account.owner_id:
            asked = owners.setdefault(account.owner_id, {}).setdefault(account.id, _Asked(account))
            if len(asked.quotes) < QUOTES_PER_ACCOUNT:
                asked.quotes.append(quote or item.text)
        if item.submitter_id:
            by_submitter.setdefault(item.submitter_id, []).append(item)
    people = {*owners, *by_submitter}
    users = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_(people), User.is_active))
    }
    by_owner = {
        owner: sorted(found.values(), key=lambda a: -(a.account.arr_minor or 0))
        for owner, found in owners.items()
    }
    return _WhoAsked(accounts, by_owner, by_submitter, users)


def solution_shipped(session: Session, solution_id: int) -> list[int]:
    """Write the messages of a shipped solution (none twice); the ids of emails and webhooks to send."""
    solution = session.get(Solution, solution_id)
    if solution is None or solution.commitment != "shipped":
        return []
    link = f"{get_settings().base_url.rstrip('/')}/solutions/{solution.id}"
    who = _who_asked(session, solution.id)
    accounts, by_owner, by_submitter, users = (
        who.accounts,
        who.by_owner,
        who.by_submitter,
        who.users,
    )
    outgoing: list[int] = []
    data: dict[str, object] = {"solution_id": solution.id}
    outgoing += webhook(
        session,
        f"{SHIPPED}:{solution.id}:webhook",
        "solution.shipped",
        {
            "solution_id": solution.id,
            "title": solution.title,
            "description": solution.description,
            "url": link,
            "problem_ids": sorted(
                {
                    p
                    for p in session.scalars(
                        select(SolutionProblem.problem_id).where(
                            SolutionProblem.solution_id == solution.id
                        )
                    )
                }
            ),
            "account_ids": sorted(accounts),
        },
    )
    for owner_id, ranked in by_owner.items():
        if owner_id in users:
            subject, body = _owner_message(solution, ranked, link)
            outgoing += send_to(
                session,
                f"{SHIPPED}:{solution.id}:owner",
                users[owner_id],
                subject,
                body,
                {**data, "account_ids": [a.account.id for a in ranked]},
            )
    for submitter_id, items in by_submitter.items():
        if submitter_id in users:
            names = sorted({accounts[i.account_id].name for i in items if i.account_id in accounts})
            subject, body = _contributor_message(solution, len(items), names, link)
            outgoing += send_to(
                session,
                f"{SHIPPED}:{solution.id}:contributor",
                users[submitter_id],
                subject,
                body,
                {**data, "feedback_ids": [i.id for i in items]},
            )
    return outgoing


DECISION = "decision"
OUTCOME_LABELS = {"go": "Go", "no_go": "No-go", "wait": "Not yet"}


def decision_made(session: Session, decision_id: int) -> list[int]:
    """A go/no-go decision: those who signed off and were consulted hear it in the app (and
    by their channels), and the workspace's webhook gets `decision.made`; the ids to send."""
    decision = session.get(Decision, decision_id)
    solution = session.get(Solution, decision.solution_id) if decision else None
    if decision is None or solution is None:
        return []
    settings = get_settings()
    link = f"{settings.base_url.rstrip('/')}/solutions/{solution.id}/launch"
    outcome = OUTCOME_LABELS.get(decision.outcome, decision.outcome)
    who = decision.decided_by.name if decision.decided_by else "Someone"
    subject = f"{outcome} for “{solution.title}”"
    body = "\n".join(
        [
            f"{who} recorded a {outcome.lower()} decision on “{solution.title}”.",
            f"Why: {decision.reasons}",
            *([f"Risks: {decision.risks}"] if decision.risks else []),
            *([f"Review on {decision.review_on.isoformat()}."] if decision.review_on else []),
            "",
            f"The launch in Huddle: {link}",
        ]
    )
    data: dict[str, object] = {
        "decision_id": decision.id,
        "solution_id": solution.id,
        "decision": decision.outcome,
    }
    people = {p["id"] for p in [*decision.signed_off, *decision.consulted]}
    outgoing: list[int] = []
    for user in session.scalars(select(User).where(User.id.in_(people), User.is_active)).unique():
        if user.id != decision.decided_by_id:
            outgoing += send_to(session, f"{DECISION}:{decision.id}", user, subject, body, data)
    outgoing += webhook(
        session,
        f"{DECISION}:{decision.id}:webhook",
        "decision.made",
        {
            **data,
            "title": solution.title,
            "reasons": decision.reasons,
            "risks": decision.risks,
            "signed_off": decision.signed_off,
            "consulted": decision.consulted,
            "review_on": decision.review_on.isoformat() if decision.review_on else None,
            "decided_by": who,
            "evidence": decision.evidence,
            "url": link,
        },
    )
    return outgoing


def _change_message(
    session: Session,
    *,
    event: str,
    prefix: str,
    hook: str,
    what: str,
    subject_id: int,
    name: str,
    link: str,
    change: str,
    reason: str,
    people: list[User],
    actor_id: int | None,
    data: dict[str, object],
    subject: str = "",
    said: str = "",
) -> list[int]:
    """Tell `people` (not the person who made it) that `name` changed, and why; `subject` and
    `said` (the first sentence, after who did it) word it when "changed the … : …" does not."""
    who = session.get(User, actor_id) if actor_id else None
    body = "\n".join(
        [
            f"{who.name if who else 'Someone'} {said or f'changed the {what} “{name}”: {change}'}.",
            *([f"Why: {reason}"] if reason else []),
            "",
            f"In Huddle: {link}",
        ]
    )
    outgoing: list[int] = []
    for user in {u.id: u for u in people}.values():
        if user.id != actor_id:
            outgoing += send_to(
                session, f"{prefix}:{event}", user, subject or f"“{name}”: {change}", body, data
            )
    outgoing += webhook(
        session,
        f"{prefix}:{event}:webhook",
        hook,
        {**data, f"{what}_id": subject_id, "name": name, "reason": reason, "url": link},
    )
    return outgoing


def problem_status_changed(
    session: Session,
    problem_id: int,
    *,
    event: str,
    before: str,
    after: str,
    reason: str = "",
    actor_id: int | None = None,
) -> list[int]:
    """Tell a problem's owner and followers that its status changed, and why; the ids to
    send. `event` names this change: the same event handled twice tells nobody twice."""
    problem = session.get(Problem, problem_id)
    if problem is None:
        return []
    label = {"wont_fix": "won't fix"}
    was, now = label.get(before, before), label.get(after, after)
    people = session.scalars(
        select(User)
        .join(ProblemPerson, ProblemPerson.user_id == User.id)
        .where(ProblemPerson.problem_id == problem.id, User.is_active)
    ).unique()
    return _change_message(
        session,
        event=event,
        prefix=PROBLEM_STATUS,
        hook="problem.status_changed",
        what="problem",
        subject_id=problem.id,
        name=problem.title,
        link=f"{get_settings().base_url.rstrip('/')}/problems/{problem.id}",
        change=f"{was} → {now}",
        reason=reason,
        people=list(people),
        actor_id=actor_id,
        data={"problem_id": problem.id, "title": problem.title, "before": before, "after": after},
        subject=f"“{problem.title}” is now {now}",
        said=f"moved “{problem.title}” from {was} to {now}",
    )


def solution_commitment_changed(
    session: Session,
    solution_id: int,
    *,
    event: str,
    before: str,
    after: str,
    reason: str = "",
    actor_id: int | None = None,
) -> list[int]:
    """Tell a solution's followers that its commitment changed, and why."""
    solution = session.get(Solution, solution_id)
    if solution is None:
        return []
    link = f"{get_settings().base_url.rstrip('/')}/solutions/{solution.id}"
    outgoing: list[int] = []
    told: set[int] = set()
    # Account owners hear it too, except that it shipped (they get the shipped message).
    if after != "shipped":
        who = _who_asked(session, solution.id)
        cleared = approval(solution) == Approval.approved
        for owner_id, ranked in who.by_owner.items():
            if owner_id in who.users and owner_id != actor_id:
                names = ", ".join(a.account.name for a in ranked[:8])
                more = f" and {len(ranked) - 8} more" if len(ranked) > 8 else ""
                body = "\n".join(
                    [
                        f"“{solution.title}” is now {after} (it was {before}).",
                        *([f"Why: {reason}"] if reason else []),
                        f"Your accounts that asked for it: {names}{more}.",
                        "",
                        "It is on the sales-safe roadmap as sales leadership approved it."
                        if cleared
                        else "Sales leadership has not approved this for customers yet: "
                        "do not promise it until it is on the sales-safe roadmap.",
                        "",
                        f"In Huddle: {link}",
                    ]
                )
                told.add(owner_id)
                outgoing += send_to(
                    session,
                    f"solution-commitment:{event}:owner",
                    who.users[owner_id],
                    f"“{solution.title}” is now {after}: {len(ranked)} of your accounts asked",
                    body,
                    {"solution_id": solution.id, "account_ids": [a.account.id for a in ranked]},
                )
    return outgoing + _change_message(
        session,
        event=event,
        prefix="solution-commitment",
        hook="solution.commitment_changed",
        what="solution",
        subject_id=solution.id,
        name=solution.title,
        link=link,
        change=f"{before} → {after}",
        reason=reason,
        people=[u for u in followers(session, "solution", solution.id) if u.id not in told],
        actor_id=actor_id,
        data={"solution_id": solution.id, "before": before, "after": after},
    )


def account_changed(
    session: Session,
    account_id: int,
    *,
    event: str,
    changes: dict[str, list[object]],
    actor_id: int | None = None,
) -> list[int]:
    """Tell an account's owner and followers that its status or risk changed."""
    account = session.get(Account, account_id)
    if account is None:
        return []
    words = []
    if "status" in changes:
        words.append(f"now a {changes['status'][1]} (was {changes['status'][0]})")
    if "at_risk" in changes:
        words.append("marked at risk" if changes["at_risk"][1] else "no longer at risk")
    people = followers(session, "account", account.id)
    if account.owner is not None and account.owner.is_active:
        people.append(account.owner)
    return _change_message(
        session,
        event=event,
        prefix="account-change",
        hook="account.changed",
        what="account",
        subject_id=account.id,
        name=account.name,
        link=f"{get_settings().base_url.rstrip('/')}/accounts/{account.id}",
        change=", ".join(words),
        reason="",
        people=people,
        actor_id=actor_id,
        data={"account_id": account.id, "changes": {k: list(v) for k, v in changes.items()}},
    )


# -- the person's own messages ------------------------------------------------------------


def inbox(session: Session, *, actor: Actor, limit: int = 100) -> list[Message]:
    """The person's messages in the app, newest first."""
    require(may_read(actor))
    statement = (
        select(Message)
        .where(Message.recipient_id == actor.id, Message.channel == "app")
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def unread(session: Session, *, actor: Actor) -> int:
    statement = select(func.count(Message.id)).where(
        Message.recipient_id == actor.id, Message.channel == "app", Message.read_at.is_(None)
    )
    return int(session.scalar(statement) or 0)


def mark_read(session: Session, *, actor: Actor) -> int:
    require(may_read(actor))
    found = [m for m in inbox(session, actor=actor, limit=1000) if m.read_at is None]
    for message in found:
        message.read_at = utcnow()
    session.flush()
    return len(found)


# -- the admin's delivery log ------------------------------------------------------------


def deliveries(session: Session, *, actor: Actor, limit: int = 200) -> list[Message]:
    """Webhooks, emails and chat posts, newest first, with their status, attempts and last
    error."""
    require(may_administer(actor))
    statement = (
        select(Message)
        .where(Message.channel.in_(["webhook", "email", "chat"]))
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def replay(session: Session, *, message_id: int, actor: Actor) -> Message:
    """Send a webhook or email again, under the same key (the receiver may drop it as a
    copy: that is what the key is for)."""
    require(may_administer(actor))
    message = delivery.replay(session, message_id)
    if message is None:
        raise NotFound(f"no webhook or email {message_id}")
    record(session, actor, "replayed", message, f"replayed {message.subject} to {message.address}")
    return message
