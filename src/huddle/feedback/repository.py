from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    Text,
    and_,
    column,
    exists,
    false,
    func,
    literal,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.feedback.schemas import FeedbackFilter
from huddle.kit.bulk import in_lists
from huddle.kit.sql import among
from huddle.kit.time import utcnow
from huddle.kit.words import fts5_query, search_phrases
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink

TRIAGE_STATES = ("open", "snoozed", "dismissed")
# The index of the evidence's words (migration 20261203_0025), no model's: SQLite's FTS5
# table, PostgreSQL's stored tsvector of each text.
_WORDS = table("feedback_words", column("rowid"))
_STORED_WORDS: ColumnElement[Any] = literal_column("feedback.words")
# Fewer matches than this, and a page of a search by words reads them all (`has_words`).
LEAD_BELOW = 10_000
# What SQLite reads first of a statement with a search by words (`has_words`).
WordsLead = Literal["matches", "others", "fewest"]


def triage_state(state: str) -> ColumnElement[bool]:
    """Evidence in the inbox (`open`: not dismissed, not snoozed past now), snoozed, or
    dismissed."""
    now = utcnow()
    if state == "dismissed":
        return Feedback.dismissed_reason.is_not(None)
    snoozed = and_(Feedback.snoozed_until.is_not(None), Feedback.snoozed_until > now)
    if state == "snoozed":
        return and_(Feedback.dismissed_reason.is_(None), snoozed)
    return and_(Feedback.dismissed_reason.is_(None), ~snoozed)


class FeedbackRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, actor: Actor) -> Select[Feedback]:
        require(may_read(actor))
        return select(Feedback)

    def get(self, actor: Actor, feedback_id: int) -> Feedback | None:
        return self.session.scalar(self.readable(actor).where(Feedback.id == feedback_id))

    def set_aside_counts(self, actor: Actor) -> dict[str, int]:
        """How many unlinked items are snoozed and how many dismissed."""
        counts = {}
        for state in ("snoozed", "dismissed"):
            statement = (
                self.filtered(actor, FeedbackFilter(unlinked=True, triage=state))
                .with_only_columns(func.count())
                .order_by(None)
            )
            counts[state] = self.session.scalar(statement) or 0
        return counts

    def get_many(self, actor: Actor, ids: Sequence[int]) -> Sequence[Feedback]:
        if not ids:
            return []
        return self.session.scalars(self.readable(actor).where(Feedback.id.in_(list(ids)))).all()

    def filtered(
        self, actor: Actor, where: FeedbackFilter, *, words_lead: WordsLead = "fewest"
    ) -> Select[Feedback]:
        statement = self.readable(actor)
        source: SQLColumnExpression[str] = Feedback.source
        team: SQLColumnExpression[str | None] = Feedback.team
        if where.account_id is not None:
            # "|| ''" keeps the planner off the source and team indexes: an account's items
            # lead. They are few (the largest of a million items' accounts holds 0.7%), where
            # the newest of a source and team, kept when of the account, can be most of the
            # million (SQLite, without statistics, took the index of two columns for the
            # narrower one: 0.3 s where the account's index takes 2 ms).
            source, team = Feedback.source + "", Feedback.team + ""
        if where.source:
            statement = statement.where(source == where.source)
        if where.team:
            statement = statement.where(team == where.team)
        if where.account_id is not None:
            statement = statement.where(Feedback.account_id == where.account_id)
        if where.segment:
            # "+ 0" keeps the planner off the account index: a segment spans many accounts, and
            # reading the newest items in date order, keeping those of the segment, finds a
            # page among a million at once where gathering every item of every such account
            # and sorting them took 0.6 s (SQLite, which keeps no statistics to tell).
            statement = statement.where(
                (Feedback.account_id + 0).in_(
                    select(Account.id).where(Account.segment == where.segment)
                )
            )
        if where.since is not None:
            statement = statement.where(Feedback.occurred_at >= where.since)
        if where.until is not None:
            statement = statement.where(Feedback.occurred_at < where.until)
        if where.text:
            statement = statement.where(self.has_words(where.text, lead=words_lead))
        if where.ranked_ids is not None:
            statement = statement.where(among(Feedback.id, where.ranked_ids))
        if where.submitter_id is not None:
            statement = statement.where(Feedback.submitter_id == where.submitter_id)
        if where.unlinked:
            statement = statement.where(
                ~exists().where(FeedbackLink.feedback_id == Feedback.id),
                Feedback.duplicate_of_id.is_(None),
            )
        if where.triage is not None:
            statement = statement.where(triage_state(where.triage))
        if where.problem_id is not None:
            statement = statement.where(
                exists().where(
                    and_(
                        FeedbackLink.feedback_id == Feedback.id,
                        FeedbackLink.problem_id == where.problem_id,
                    )
                )
            )
        return statement

    def has_words(self, typed: str, *, lead: WordsLead = "fewest") -> ColumnElement[bool]:
        """Evidence whose text holds the words typed, read from each database's index of
        the words (huddle.kit.words says how a search is read).

        SQLite keeps no statistics to choose how to read the rest of a statement with it;
        `lead` says. "matches": read every match and look each item up (a count, which
        stops at its limit). "others": the statement's other conditions lead and the
        matches are looked up (the few items without a vector). "fewest": up to
        `LEAD_BELOW` matches lead (2 µs each, sorted for a page); past that the others do:
        a page in date order reads the newest items, keeping those that match, which finds
        a page of a word in 5% of a million texts in 10 ms where sorting its matches took
        0.1 s; counting that far costs a few milliseconds. "+ 0" stops the matches from
        leading, as for the segment. PostgreSQL's planner chooses by itself, from the
        statistics it keeps of 10,000 words of the texts (migration 20261203_0025)."""
        phrases = search_phrases(typed)
        if not phrases:
            return false()
        if self.session.get_bind().dialect.name == "postgresql":
            query = func.huddle_words_query(literal(phrases, ARRAY(Text)))
            return _STORED_WORDS.op("@@")(query)
        matching = select(_WORDS.c.rowid).where(
            literal_column("feedback_words").op("MATCH")(fts5_query(phrases))
        )
        if lead == "fewest":
            counted = select(func.count()).select_from(matching.limit(LEAD_BELOW).subquery())
            found = self.session.scalar(counted) or 0
            if found == 0:
                return false()
            lead = "matches" if found < LEAD_BELOW else "others"
        return Feedback.id.in_(matching) if lead == "matches" else (Feedback.id + 0).in_(matching)

    def rebuild_words_index(self) -> None:
        """SQLite's index of the words read again from every text (PostgreSQL keeps its
        index itself: nothing there can fall behind the texts)."""
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(
                sql("INSERT INTO feedback_words(feedback_words) VALUES ('rebuild')")
            )

    def search(
        self,
        actor: Actor,
        where: FeedbackFilter,
        *,
        limit: int = 50,
        offset: int = 0,
        count_up_to: int | None = None,
    ) -> tuple[Sequence[Feedback], int]:
        """A page of the items `where` selects, newest first, and how many it selects —
        counted only up to `count_up_to` + 1 when given (a count past it says "more than";
        counting every one of a million unlinked items takes a second)."""
        statement = self.filtered(actor, where)
        if where.ranked_ids is not None:
            return self._ranked_page(statement, where.ranked_ids, limit, offset, count_up_to)
        counted = (
            self.filtered(actor, where, words_lead="matches")
            .with_only_columns(Feedback.id)
            .order_by(None)
        )
        if count_up_to is not None:
            counted = counted.limit(count_up_to + 1)
        total = self.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
        page = statement.order_by(Feedback.occurred_at.desc(), Feedback.id.desc())
        return self.session.scalars(page.limit(limit).offset(offset)).all(), total

    def _ranked_page(
        self,
        statement: Select[Feedback],
        ranked_ids: Sequence[int],
        limit: int,
        offset: int,
        count_up_to: int | None,
    ) -> tuple[Sequence[Feedback], int]:
        """Best match first, in Python: the ranked list is bounded (a search by meaning's
        200 hits and the items waiting for a vector). Which of them the filters keep is one
        statement of ids, and their count its length; only the page's items are loaded, not
        every kept hit with its account and submitter."""
        kept = set(self.session.scalars(statement.with_only_columns(Feedback.id).order_by(None)))
        ordered = [i for i in ranked_ids if i in kept]
        total = len(ordered) if count_up_to is None else min(len(ordered), count_up_to + 1)
        shown = ordered[offset : offset + limit]
        if not shown:
            return [], total
        loaded = {
            item.id: item
            for item in self.session.scalars(statement.where(among(Feedback.id, shown)))
        }
        return [loaded[i] for i in shown if i in loaded], total

    def unembedded_matching_ids(self, actor: Actor, text: str, *, limit: int) -> list[int]:
        """Items holding the words of `text` that have no vector yet (search by meaning
        cannot find them until the embedding job ran). Only those: embedded ones are found by
        their meaning, and a common word is in most of a million texts."""
        statement = (
            self.filtered(actor, FeedbackFilter(text=text), words_lead="others")
            .with_only_columns(Feedback.id)
            .where(Feedback.embedded_at.is_(None))
        )
        return list(self.session.scalars(statement.order_by(Feedback.id.desc()).limit(limit)))

    def problem_ids_for(self, feedback_ids: Sequence[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        if not feedback_ids:
            return found
        statement = select(FeedbackLink.feedback_id, FeedbackLink.problem_id).where(
            FeedbackLink.feedback_id.in_(list(feedback_ids))
        )
        for feedback_id, problem_id in self.session.execute(statement):
            found.setdefault(feedback_id, []).append(problem_id)
        return found

    # Lookups of the intake, by the idempotency key (namespace, origin, external id).
    def by_external_ids(
        self, namespace: str, origin: str, external_ids: set[str]
    ) -> dict[str, Feedback]:
        ids = self.ids_by_external_ids(namespace, origin, external_ids)
        found: dict[str, Feedback] = {}
        for chunk in in_lists(ids.values()):
            for item in self.session.scalars(select(Feedback).where(Feedback.id.in_(chunk))):
                found[item.external_id or ""] = item
        return found

    def ids_by_external_ids(
        self, namespace: str, origin: str, external_ids: set[str]
    ) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in in_lists(external_ids):
            for external_id, feedback_id in self.session.execute(
                self._by_key(namespace, origin, chunk)
            ):
                found[external_id or ""] = feedback_id
        return found

    def _by_key(
        self, namespace: str, origin: str, external_ids: list[str]
    ) -> Select[str | None, int]:
        """(external id, id) of the items with these keys, each key one probe of the unique
        index of the key. PostgreSQL's planner answers `external_id IN (500 ids)` by reading
        every item of the namespace and origin and filtering on the ids whenever it expects
        few of them: always inside the transaction of an import of a new origin (its
        statistics cannot see the rows being imported), so that each chunk of an import read
        every row the chunks before it wrote (~1 s a lookup 150,000 rows into a 997,000-row
        import, and growing). A lateral lookup per id leaves it no such plan (1 ms a
        lookup). SQLite probes the index per id."""
        key = (Feedback.namespace == namespace, Feedback.origin == origin)
        if self.session.get_bind().dialect.name != "postgresql":
            return select(Feedback.external_id, Feedback.id).where(
                *key, Feedback.external_id.in_(external_ids)
            )
        wanted = (
            func.unnest(literal(external_ids, ARRAY(Text)))
            .table_valued("external_id")
            .render_derived(name="wanted")
        )
        match = (
            select(Feedback.external_id, Feedback.id)
            .where(*key, Feedback.external_id == wanted.c.external_id)
            # The key is unique; the limit also keeps the subquery from being flattened
            # into a join the planner could answer by reading the namespace and origin.
            .limit(1)
            .lateral("match")
        )
        return select(match.c.external_id, match.c.id).select_from(wanted).join(match, true())

    def add(self, feedback: Feedback) -> Feedback:
        self.session.add(feedback)
        self.session.flush()
        return feedback
