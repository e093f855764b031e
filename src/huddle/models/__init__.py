"""The ORM classes; importing this package registers every table on `Base.metadata`."""

from huddle.models.account import Account, AccountKey, Contact
from huddle.models.activity import Activity
from huddle.models.base import Base
from huddle.models.feedback import Feedback
from huddle.models.imports import ImportChange, ImportRun
from huddle.models.job import Job, JobSchedule
from huddle.models.launch import (
    Decision,
    DeliveryLink,
    EffortEntry,
    Experiment,
    ExperimentVariant,
    GateCheck,
    GateItem,
    HookDelivery,
    LaunchTask,
    RaciActivity,
)
from huddle.models.message import Follow, Message
from huddle.models.meta import WorkspaceMeta
from huddle.models.objective import CheckIn, KeyResult, KeyResultSolution, Objective
from huddle.models.problem import (
    FeedbackLink,
    Problem,
    ProblemComment,
    ProblemFigures,
    ProblemMerge,
    ProblemPerson,
    ProblemQuestion,
)
from huddle.models.solution import Solution, SolutionProblem
from huddle.models.theme import Theme, ThemeMember, ThemeRejection, ThemeRun
from huddle.models.user import ApiToken, LoginAttempt, LoginSession, SavedView, User

__all__ = [
    "Account",
    "AccountKey",
    "Activity",
    "ApiToken",
    "Base",
    "CheckIn",
    "Contact",
    "Decision",
    "DeliveryLink",
    "EffortEntry",
    "Experiment",
    "ExperimentVariant",
    "Feedback",
    "FeedbackLink",
    "Follow",
    "GateCheck",
    "GateItem",
    "HookDelivery",
    "ImportChange",
    "ImportRun",
    "Job",
    "JobSchedule",
    "KeyResult",
    "KeyResultSolution",
    "LaunchTask",
    "LoginAttempt",
    "LoginSession",
    "Message",
    "Objective",
    "Problem",
    "ProblemComment",
    "ProblemFigures",
    "ProblemMerge",
    "ProblemPerson",
    "ProblemQuestion",
    "RaciActivity",
    "SavedView",
    "Solution",
    "SolutionProblem",
    "Theme",
    "ThemeMember",
    "ThemeRejection",
    "ThemeRun",
    "User",
    "WorkspaceMeta",
]
