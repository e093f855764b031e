from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Row,
    Select,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    select,
    union,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.kit.bulk import in_lists
from huddle.kit.sql import year_month
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.problem import (
    FeedbackLink,
    Problem,
    ProblemComment,
    ProblemFigures,
    ProblemMerge,
    ProblemPerson,
    ProblemQuestion,
)
from huddle.models.solution import SolutionProblem
from huddle.problems.severity import AccountFacts, Evidence, Mentions, Reason, Severity


class ProblemRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, actor: Actor) -> Select[Problem]:
        require(may_read(actor))
        return select(Problem)

    def get(self, actor: Actor, problem_id: int) -> Problem | None:
        return self.session.scalar(self.readable(actor).where(Problem.id == problem_id))

    def by_ids(self, actor: Actor, problem_ids: Collection[int]) -> dict[int, Problem]:
        statement = self.readable(actor).where(Problem.id.in_(sorted(problem_ids)))
        return {p.id: p for p in self.session.scalars(statement)} if problem_ids else {}

    def children(self, actor: Actor, problem_id: int) -> Sequence[Problem]:
        return self.session.scalars(
            self.readable(actor).where(Problem.parent_id == problem_id).order_by(Problem.id)
        ).all()

    def link_count(self, problem_id: int) -> int:
        statement = select(func.count()).where(FeedbackLink.problem_id == problem_id)
        return self.session.scalar(statement) or 0

    def all(self, actor: Actor) -> Sequence[Problem]:
        return self.session.scalars(self.readable(actor).order_by(Problem.id)).all()

    def add(self, problem: Problem) -> Problem:
        self.session.add(problem)
        self.session.flush()
        return problem

    def record_merge(self, source_id: int, target_id: int) -> None:
        self.session.execute(
            update(ProblemMerge)
            .where(ProblemMerge.target_id == source_id)
            .values(target_id=target_id)
        )
        self.session.add(ProblemMerge(source_id=source_id, target_id=target_id))
        # The solutions that addressed it address the problem that absorbed it.
        already = select(SolutionProblem.solution_id).where(SolutionProblem.problem_id == target_id)
        self.session.execute(
            update(SolutionProblem)
            .where(
                SolutionProblem.problem_id == source_id, SolutionProblem.solution_id.not_in(already)
            )
            .values(problem_id=target_id)
        )
        self.session.execute(delete(SolutionProblem).where(SolutionProblem.problem_id == source_id))
        self.session.flush()

    def merged_into(self, actor: Actor, problem_id: int) -> int | None:
        require(may_read(actor))
        return self.session.scalar(
            select(ProblemMerge.target_id).where(ProblemMerge.source_id == problem_id)
        )

    def product_areas(self, actor: Actor) -> list[str]:
        require(may_read(actor))
        statement = select(Problem.product_area).where(Problem.product_area.is_not(None)).distinct()
        return sorted(area for area in self.session.scalars(statement) if area)

    def parents(self, actor: Actor) -> dict[int, int | None]:
        require(may_read(actor))
        return {
            row.id: row.parent_id
            for row in self.session.execute(select(Problem.id, Problem.parent_id))
        }

    def evidence(self, actor: Actor, problem_ids: Collection[int] | None = None) -> list[Evidence]:
        """Every link with what severity needs of its item; only those of `problem_ids` if given."""
        require(may_read(actor))
        return _evidence(self.session, problem_ids)

    def account_facts(
        self, actor: Actor, account_ids: Collection[int] | None = None
    ) -> dict[int, AccountFacts]:
        require(may_read(actor))
        return _account_facts(self.session, account_ids)


def _evidence(session: Session, problem_ids: Collection[int] | None) -> list[Evidence]:
    statement = select(
        FeedbackLink.problem_id,
        FeedbackLink.feedback_id,
        Feedback.occurred_at,
        Feedback.account_id,
        Feedback.sentiment,
        Feedback.dated,
    ).join(Feedback, Feedback.id == FeedbackLink.feedback_id)
    if problem_ids is None:
        return [Evidence(*row) for row in session.execute(statement)]
    found: list[Evidence] = []
    for chunk in _chunks(sorted(problem_ids)):
        rows = session.execute(statement.where(FeedbackLink.problem_id.in_(chunk)))
        found.extend(Evidence(*row) for row in rows)
    return found


def _account_facts(
    session: Session, account_ids: Collection[int] | None
) -> dict[int, AccountFacts]:
    statement = select(
        Account.id,
        Account.arr_minor,
        Account.segment,
        Account.at_risk,
        Account.renewal_date,
        Account.status,
    )
    chunks = (
        [statement]
        if account_ids is None
        else [statement.where(Account.id.in_(chunk)) for chunk in _chunks(sorted(account_ids))]
    )
    return {
        row[0]: AccountFacts(row[1], row[2], row[3], row[4], row[5] == "churned")
        for chunk in chunks
        for row in session.execute(chunk)
    }


def _chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


FIGURE_COLUMNS = (
    "mentions",
    "accounts",
    "arr_minor",
    "arr_at_risk_minor",
    "segments",
    "recent",
    "previous",
    "sentiment",
    "score",
)
# Read only by a problem's page, one row at a time (not by the ranked list).
MENTIONS_COLUMNS = ("mentions_by_month", "mentions_by_account")


class Mark(NamedTuple):
    """What the refresh job reads of a kept row before it computes."""

    times: int
    stale: bool
    as_of: date
    has_mentions: bool


class FiguresRepository:
    """The kept severity figures (`problem_figures`), which database triggers mark stale as
    their inputs change (migration 20261202_0005; see huddle.problems.figures)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, actor: Actor) -> Sequence[Row[Any]]:
        require(may_read(actor))
        table: Table = ProblemFigures.__table__  # type: ignore[assignment]
        columns = [c for c in table.c if c.name not in MENTIONS_COLUMNS]
        return self.session.execute(select(*columns)).all()

    def mentions(self, actor: Actor, problem_id: int, family: Collection[int]) -> Mentions | None:
        """The kept counts of `problem_id` (whose family is `family`: itself and every problem
        below it), if they hold: no member's row is stale or missing. One statement, so that
        the rows it judges by are the rows it reads."""
        require(may_read(actor))
        own = ProblemFigures.problem_id == problem_id
        statement = select(
            ProblemFigures.problem_id,
            ProblemFigures.stale,
            case((own, ProblemFigures.mentions_by_month)),
            case((own, ProblemFigures.mentions_by_account)),
        ).where(ProblemFigures.problem_id.in_(sorted(family)))
        rows = self.session.execute(statement).all()
        if len(rows) != len(family) or any(row.stale for row in rows):
            return None
        by_month, by_account = next((r[2], r[3]) for r in rows if r.problem_id == problem_id)
        if by_month is None or by_account is None:
            return None
        return Mentions(
            by_month=dict(by_month), by_account={int(a): n for a, n in by_account.items()}
        )

    def parents(self) -> dict[int, int | None]:
        return {
            row.id: row.parent_id
            for row in self.session.execute(select(Problem.id, Problem.parent_id))
        }

    def evidence(self, problem_ids: Collection[int]) -> list[Evidence]:
        return _evidence(self.session, problem_ids)

    def account_facts(self, account_ids: Collection[int]) -> dict[int, AccountFacts]:
        return _account_facts(self.session, account_ids)

    def any_stale(self) -> bool:
        found = self.session.scalar(
            select(ProblemFigures.problem_id).where(ProblemFigures.stale.is_(True)).limit(1)
        )
        return found is not None

    def marks(self) -> dict[int, Mark]:
        """Per problem: how often it was marked, whether it is stale, the day it is for, and
        whether its row holds the page's counts yet."""
        statement = select(
            ProblemFigures.problem_id,
            ProblemFigures.marks,
            ProblemFigures.stale,
            ProblemFigures.as_of,
            ProblemFigures.mentions_by_month.is_not(None),
        )
        return {row[0]: Mark(*row[1:]) for row in self.session.execute(statement)}

    def store(
        self,
        figures: Collection[Severity],
        mentions: Mapping[int, Mentions],
        *,
        as_of: date,
        read_marks: dict[int, int],
        computed_at: datetime,
    ) -> int:
        """Write figures (and the page's counts, computed from the same evidence) computed
        after reading `read_marks`: a row is written only if no trigger marked it since (it
        stays stale for the next run); a problem without a row gets one. Returns how many
        rows were written."""
        existing = [f for f in figures if f.problem_id in read_marks]
        missing = [f for f in figures if f.problem_id not in read_marks]
        written = 0
        table: Table = ProblemFigures.__table__  # type: ignore[assignment]
        if existing:
            statement = (
                update(table)
                .where(
                    and_(
                        table.c.problem_id == bindparam("row_id"),
                        table.c.marks == bindparam("read_marks"),
                    )
                )
                .values(
                    {
                        name: bindparam(f"new_{name}")
                        for name in (*FIGURE_COLUMNS, *MENTIONS_COLUMNS)
                    }
                    | {
                        "reasons": bindparam("new_reasons"),
                        "as_of": as_of,
                        "stale": False,
                        "computed_at": computed_at,
                    }
                )
            )
            rows = [
                {
                    "row_id": f.problem_id,
                    "read_marks": read_marks[f.problem_id],
                    **{f"new_{k}": v for k, v in _values(f, mentions[f.problem_id]).items()},
                }
                for f in existing
            ]
            for start in range(0, len(rows), 2000):
                result = self.session.connection().execute(statement, rows[start : start + 2000])
                written += int(result.rowcount)
        if missing:
            dialect = self.session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            # A problem deleted meanwhile has no row to write; its id is simply skipped.
            present = set(
                self.session.scalars(
                    select(Problem.id).where(Problem.id.in_([f.problem_id for f in missing]))
                )
            )
            for f in missing:
                if f.problem_id not in present:
                    continue
                adding = (
                    insert(ProblemFigures)
                    .values(
                        problem_id=f.problem_id,
                        as_of=as_of,
                        stale=False,
                        marks=0,
                        computed_at=computed_at,
                        **_values(f, mentions[f.problem_id]),
                    )
                    .on_conflict_do_nothing(index_elements=[ProblemFigures.problem_id])
                )
                written += int(self.session.execute(adding).rowcount)  # type: ignore[attr-defined]
        return written


def _values(severity: Severity, mentions: Mentions) -> dict[str, Any]:
    values = {name: getattr(severity, name) for name in FIGURE_COLUMNS}
    values["segments"] = list(severity.segments)
    values["reasons"] = [asdict(reason) for reason in severity.reasons]
    values["mentions_by_month"] = dict(sorted(mentions.by_month.items()))
    # JSON keys are strings.
    values["mentions_by_account"] = {str(a): n for a, n in sorted(mentions.by_account.items())}
    return values


def severity_of(row: Row[Any]) -> Severity:
    """The Severity a row of `problem_figures` holds."""
    return Severity(
        problem_id=row.problem_id,
        mentions=row.mentions,
        accounts=row.accounts,
        arr_minor=row.arr_minor,
        arr_at_risk_minor=row.arr_at_risk_minor,
        segments=list(row.segments),
        recent=row.recent,
        previous=row.previous,
        sentiment=row.sentiment,
        score=row.score,
        reasons=[Reason(**reason) for reason in row.reasons],
    )


AnySelect = TypeVar("AnySelect", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class QuoteFilter:
    """Which of a problem's evidence to list: from one account, segment or source."""

    account_id: int | None = None
    segment: str | None = None
    source: str | None = None


def _filtered(statement: AnySelect, where: QuoteFilter) -> AnySelect:
    """`statement` (which reads `feedback`) narrowed to the evidence `where` asks for."""
    if where.source is not None:
        statement = statement.where(Feedback.source == where.source)
    if where.account_id is not None:
        statement = statement.where(Feedback.account_id == where.account_id)
    if where.segment is not None:
        statement = statement.join(Account, Account.id == Feedback.account_id).where(
            Account.segment == where.segment
        )
    return statement


# The most problems whose newest links one statement merges (SQLite allows 500 parts in a
# compound SELECT).
MERGED_MEMBERS = 400


class LinkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_problems(
        self,
        actor: Actor,
        problem_ids: Sequence[int],
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> Sequence[FeedbackLink]:
        require(may_read(actor))
        statement = (
            select(FeedbackLink)
            .join(Feedback, Feedback.id == FeedbackLink.feedback_id)
            .where(FeedbackLink.problem_id.in_(list(problem_ids)))
            .order_by(Feedback.occurred_at.desc(), FeedbackLink.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return self.session.scalars(statement).all()

    def feedback_ids(self, problem_id: int) -> set[int]:
        statement = select(FeedbackLink.feedback_id).where(FeedbackLink.problem_id == problem_id)
        return set(self.session.scalars(statement))

    def existing(self, problem_id: int, feedback_ids: Sequence[int]) -> set[int]:
        statement = select(FeedbackLink.feedback_id).where(
            FeedbackLink.problem_id == problem_id, FeedbackLink.feedback_id.in_(list(feedback_ids))
        )
        return set(self.session.scalars(statement))

    def add_all(self, links: list[FeedbackLink]) -> None:
        self.session.add_all(links)
        self.session.flush()

    def remove(self, problem_id: int, feedback_ids: Sequence[int]) -> int:
        result = self.session.execute(
            delete(FeedbackLink).where(
                FeedbackLink.problem_id == problem_id,
                FeedbackLink.feedback_id.in_(list(feedback_ids)),
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def move(self, source_id: int, target_id: int) -> None:
        """Re-point every link of one problem to another, dropping pairs that already exist."""
        already = set(
            self.session.scalars(
                select(FeedbackLink.feedback_id).where(FeedbackLink.problem_id == target_id)
            )
        )
        for link in self.session.scalars(
            select(FeedbackLink).where(FeedbackLink.problem_id == source_id)
        ):
            if link.feedback_id in already:
                self.session.delete(link)
            else:
                link.problem_id = target_id
        self.session.flush()

    def _family_items(self, problem_ids: Collection[int]) -> Select[int]:
        return select(FeedbackLink.feedback_id).where(
            FeedbackLink.problem_id.in_(sorted(problem_ids))
        )

    def family_page(
        self,
        actor: Actor,
        problem_id: int,
        family: Collection[int],
        *,
        where: QuoteFilter,
        limit: int,
        offset: int,
        known_total: int | None = None,
    ) -> tuple[list[FeedbackLink], int]:
        """One page of the evidence linked to a problem or any problem below it, newest
        first, each piece once (through its link to this problem where it has one), and how
        many there are in all under the filter (`known_total` when the caller knows it from
        the counts it keeps)."""
        require(may_read(actor))
        total = known_total
        if total is None:
            chosen = _filtered(
                select(Feedback.id).where(Feedback.id.in_(self._family_items(family))), where
            )
            total = self.session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
        ids = self._newest(family, where, limit=limit, offset=offset)
        links = self.session.scalars(
            select(FeedbackLink).where(
                FeedbackLink.feedback_id.in_(ids), FeedbackLink.problem_id.in_(sorted(family))
            )
        ).all()
        best: dict[int, FeedbackLink] = {}
        for link in links:
            held = best.get(link.feedback_id)
            if held is None or (link.problem_id == problem_id and held.problem_id != problem_id):
                best[link.feedback_id] = link
        return [best[i] for i in ids if i in best], total

    def _newest(
        self, family: Collection[int], where: QuoteFilter, *, limit: int, offset: int
    ) -> list[int]:
        """Ids of one page of the family's evidence, newest first (by date, then id).

        Each member's links are read in the order of the index on (problem, date, item),
        at most `offset + limit` of them: every item before the page's last one in the
        family's order comes before it in its own member's order too, so the first
        `offset + limit` of each member hold the page. The database merges them and drops
        an item linked to two members (the same item, the same date)."""
        order = (FeedbackLink.occurred_at.desc(), FeedbackLink.feedback_id.desc())
        members = sorted(family)
        if len(members) > MERGED_MEMBERS:
            # Past what one compound statement may hold: the whole family, sorted.
            statement = _filtered(
                select(FeedbackLink.occurred_at, FeedbackLink.feedback_id)
                .distinct()
                .join(Feedback, Feedback.id == FeedbackLink.feedback_id)
                .where(FeedbackLink.problem_id.in_(members)),
                where,
            )
            return [
                row.feedback_id
                for row in self.session.execute(
                    statement.order_by(*order).limit(limit).offset(offset)
                )
            ]

        def newest_of(member: int) -> Select[datetime | None, int]:
            statement = select(FeedbackLink.occurred_at, FeedbackLink.feedback_id).where(
                FeedbackLink.problem_id == member
            )
            if where != QuoteFilter():
                statement = _filtered(
                    statement.join(Feedback, Feedback.id == FeedbackLink.feedback_id), where
                )
            return statement.order_by(*order)

        if len(members) == 1:
            statement = newest_of(members[0]).limit(limit).offset(offset)
            return [row.feedback_id for row in self.session.execute(statement)]
        merged = union(
            *(select(newest_of(m).limit(offset + limit).subquery()) for m in members)
        ).subquery()
        statement = (
            select(merged.c.feedback_id)
            .order_by(merged.c.occurred_at.desc(), merged.c.feedback_id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(self.session.scalars(statement))

    def family_months(self, family: Collection[int]) -> dict[str, int]:
        """Pieces of evidence per month ('YYYY-MM', UTC) across a problem and those below it;
        undated items (dated by their import) are not in any month."""
        month = year_month(Feedback.occurred_at)
        statement = (
            select(month, func.count())
            .where(Feedback.id.in_(self._family_items(family)), Feedback.dated.is_(True))
            .group_by(month)
        )
        return {m: n for m, n in self.session.execute(statement).all()}

    def family_accounts(self, family: Collection[int]) -> dict[int, int]:
        """Pieces of evidence per account across a problem and those below it."""
        statement = (
            select(Feedback.account_id, func.count())
            .where(Feedback.id.in_(self._family_items(family)), Feedback.account_id.is_not(None))
            .group_by(Feedback.account_id)
        )
        return {a: n for a, n in self.session.execute(statement).all() if a is not None}

    def of_feedback(self, actor: Actor, feedback_id: int) -> list[tuple[FeedbackLink, Problem]]:
        """The links of one piece of evidence, with their problems, most severe problem last
        linked first."""
        require(may_read(actor))
        statement = (
            select(FeedbackLink, Problem)
            .join(Problem, Problem.id == FeedbackLink.problem_id)
            .where(FeedbackLink.feedback_id == feedback_id)
            .order_by(FeedbackLink.id.desc())
        )
        return [(link, problem) for link, problem in self.session.execute(statement).all()]


class TeamRepository:
    """Comments on problems, the people on them (owner, followers), and the questions to ask
    the accounts behind them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def questions(self, problem_ids: Collection[int]) -> list[ProblemQuestion]:
        found: list[ProblemQuestion] = []
        for chunk in in_lists(sorted(problem_ids)):
            statement = (
                select(ProblemQuestion)
                .where(ProblemQuestion.problem_id.in_(chunk))
                .order_by(ProblemQuestion.id)
            )
            found += self.session.scalars(statement)
        return sorted(found, key=lambda q: q.id)

    def comments(
        self, actor: Actor, problem_id: int, *, limit: int | None = None, offset: int = 0
    ) -> Sequence[ProblemComment]:
        require(may_read(actor))
        statement = (
            select(ProblemComment)
            .where(ProblemComment.problem_id == problem_id)
            .order_by(ProblemComment.id)
            .limit(limit)
            .offset(offset)
        )
        return self.session.scalars(statement).all()

    def add_comment(self, comment: ProblemComment) -> ProblemComment:
        self.session.add(comment)
        self.session.flush()
        return comment

    def people(self, actor: Actor, problem_id: int) -> Sequence[ProblemPerson]:
        require(may_read(actor))
        statement = select(ProblemPerson).where(ProblemPerson.problem_id == problem_id)
        return self.session.scalars(statement.order_by(ProblemPerson.user_id)).all()

    def person(self, problem_id: int, user_id: int) -> ProblemPerson | None:
        return self.session.get(ProblemPerson, (problem_id, user_id))

    def owner(self, problem_id: int) -> ProblemPerson | None:
        statement = select(ProblemPerson).where(
            ProblemPerson.problem_id == problem_id, ProblemPerson.role == "owner"
        )
        return self.session.scalar(statement)

    def put(self, problem_id: int, user_id: int, role: str) -> None:
        found = self.person(problem_id, user_id)
        if found is None:
            self.session.add(ProblemPerson(problem_id=problem_id, user_id=user_id, role=role))
        else:
            found.role = role
        self.session.flush()

    def remove(self, person: ProblemPerson) -> None:
        self.session.delete(person)
        self.session.flush()
