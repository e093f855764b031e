class HuddleError(Exception):
    """An error a person can act on; `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(HuddleError):
    status = 404


class NotPermitted(HuddleError):
    status = 403


class NotAuthenticated(HuddleError):
    status = 401


class Conflict(HuddleError):
    status = 409


class Invalid(HuddleError):
    status = 422


class TooManyRequests(HuddleError):
    status = 429
