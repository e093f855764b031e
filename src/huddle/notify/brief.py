"""Before a call: a one-page brief for an account, and its answers back as evidence.

The brief holds the account's renewal and risk, its open problems (the problems its own
evidence backs, not solved or won't fix) with their status and how often it raised each,
what shipped that it asked for, and the "dig deeper" questions product managers attached to
those problems: questions that turn a symptom into a cause. Answers typed after the call
come in as call evidence from the account, through the one intake every item takes, each
linked to its question's problem.
"""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from huddle.accounts import service as accounts
from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_add_evidence_and_read, may_read, may_triage, require
from huddle.errors import Invalid, NotFound
from huddle.feedback import service as feedback
from huddle.feedback.schemas import FeedbackCreate
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink, Problem, ProblemQuestion
from huddle.models.solution import Solution, SolutionProblem
from huddle.problems import service as problems
from huddle.problems.team import questions_of

CLOSED = ("solved", "wont_fix")
MAX_QUESTION = 500


@dataclass
class BriefProblem:
    problem: Problem
    mentions: int  # items of this account that back it
    score: float
    rank: int
    questions: list[ProblemQuestion] = field(default_factory=list)
    planned: list[Solution] = field(default_factory=list)


@dataclass
class Brief:
    account: Account
    problems: list[BriefProblem]
    shipped: list[Solution]

    @property
    def questions(self) -> list[tuple[ProblemQuestion, Problem]]:
        return [(q, p.problem) for p in self.problems for q in p.questions]


def add_question(session: Session, *, problem_id: int, text: str, actor: Actor) -> ProblemQuestion:
    require(may_triage(actor))
    problem = problems.get_problem(session, problem_id=problem_id, actor=actor)
    cleaned = " ".join(text.split())
    if not cleaned:
        raise Invalid("write the question", field="text")
    if len(cleaned) > MAX_QUESTION:
        raise Invalid(f"a question is at most {MAX_QUESTION} characters", field="text")
    question = ProblemQuestion(problem_id=problem.id, text=cleaned, created_by_id=actor.id)
    session.add(question)
    session.flush()
    record(session, actor, "asked", problem, f"question for calls: {cleaned}")
    return question


def remove_question(session: Session, *, problem_id: int, question_id: int, actor: Actor) -> None:
    require(may_triage(actor))
    gone = session.execute(
        delete(ProblemQuestion).where(
            ProblemQuestion.id == question_id, ProblemQuestion.problem_id == problem_id
        )
    )
    if not gone.rowcount:  # type: ignore[attr-defined]
        raise NotFound(f"no question {question_id} on problem {problem_id}")


def brief(session: Session, *, account_id: int, actor: Actor) -> Brief:
    require(may_read(actor))
    account = accounts.get_account(session, account_id=account_id, actor=actor)
    rows = session.execute(
        select(FeedbackLink.problem_id)
        .join(Feedback, Feedback.id == FeedbackLink.feedback_id)
        .where(Feedback.account_id == account.id)
    )
    mentions = Counter(problem_id for (problem_id,) in rows)
    ranked = {p.id: p for p in problems.ranked_problems(session, actor=actor)}
    chosen = [ranked[i] for i in mentions if i in ranked]
    solutions: dict[int, list[Solution]] = {}
    statement = (
        select(SolutionProblem.problem_id, Solution)
        .join(Solution, Solution.id == SolutionProblem.solution_id)
        .where(SolutionProblem.problem_id.in_(list(mentions)))
    )
    for problem_id, solution in session.execute(statement).unique():
        solutions.setdefault(problem_id, []).append(solution)
    asked = questions_of(session, [p.id for p in chosen])
    found = []
    shipped: dict[int, Solution] = {}
    for item in chosen:
        for solution in solutions.get(item.id, []):
            if solution.commitment == "shipped":
                shipped[solution.id] = solution
        if item.status in CLOSED:
            continue
        problem = session.get(Problem, item.id)
        assert problem is not None
        found.append(
            BriefProblem(
                problem=problem,
                mentions=mentions[item.id],
                score=item.severity.score,
                rank=item.rank,
                questions=asked.get(item.id, []),
                planned=[s for s in solutions.get(item.id, []) if s.commitment != "shipped"],
            )
        )
    found.sort(key=lambda b: (b.rank, b.problem.id))
    return Brief(account, found, sorted(shipped.values(), key=lambda s: s.title.lower()))


def log_answers(
    session: Session, *, account_id: int, answers: dict[int, str], actor: Actor
) -> list[int]:
    """Each answer becomes call evidence from the account, linked to its question's problem;
    the new items' ids."""
    require(may_add_evidence_and_read(actor))
    account = accounts.get_account(session, account_id=account_id, actor=actor)
    given = {qid: " ".join(text.split()) for qid, text in answers.items() if text.strip()}
    if not given:
        raise Invalid("write at least one answer", field="answers")
    questions = {
        q.id: q
        for q in session.scalars(select(ProblemQuestion).where(ProblemQuestion.id.in_(given)))
    }
    unknown = sorted(set(given) - set(questions))
    if unknown:
        raise NotFound(f"no question {unknown[0]}")
    made = []
    for question_id, answer in given.items():
        question = questions[question_id]
        item, _ = feedback.add_feedback(
            session,
            data=FeedbackCreate(
                text=answer,
                title=f"Asked on a call: {question.text}"[:300],
                source="call",
                account_id=account.id,
                origin="call-brief",
            ),
            actor=actor,
            channel="form",
        )
        linked = select(FeedbackLink.id).where(
            FeedbackLink.feedback_id == item.id, FeedbackLink.problem_id == question.problem_id
        )
        if session.scalar(linked) is None:
            session.add(
                FeedbackLink(
                    feedback_id=item.id, problem_id=question.problem_id, linked_by_id=actor.id
                )
            )
        made.append(item.id)
    session.flush()
    return made
