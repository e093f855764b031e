from enum import StrEnum


class Role(StrEnum):
    viewer = "viewer"
    contributor = "contributor"
    pm = "pm"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class Team(StrEnum):
    product = "product"
    sales = "sales"
    support = "support"
    engineering = "engineering"
    marketing = "marketing"
    finance = "finance"
    leadership = "leadership"


class AccountStatus(StrEnum):
    customer = "customer"
    prospect = "prospect"
    churned = "churned"


class SourceKind(StrEnum):
    call = "call"
    ticket = "ticket"
    interview = "interview"
    survey = "survey"
    review = "review"
    chat = "chat"
    email = "email"
    internal = "internal"


class ProblemStatus(StrEnum):
    new = "new"
    validated = "validated"
    planned = "planned"
    solved = "solved"
    wont_fix = "wont_fix"


class TokenScope(StrEnum):
    full = "full"
    ingest = "ingest"


class DismissReason(StrEnum):
    """Why a piece of evidence is not a problem (it leaves the inbox, reversibly)."""

    praise = "praise"
    answered = "answered"  # a how-to question support already answered
    spam = "spam"
    duplicate = "duplicate"
    not_actionable = "not_actionable"
    other = "other"


class ObjectiveStatus(StrEnum):
    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    done = "done"
