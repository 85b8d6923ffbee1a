"""Domain exceptions shared by every app's services.

Services raise these; the admin turns them into messages and the API into
responses with a stable ``code`` (see config.api.exception_handler).
"""


class DomainError(Exception):
    """A refused action, with a stable code and the HTTP status the API answers with."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(DomainError):
    """The object does not exist or the actor may not see it (deliberately the same)."""

    code = "not_found"
    status = 404


class ActionForbidden(DomainError):
    """The actor is authenticated but may not take this action."""

    code = "permission_denied"
    status = 403


class FourEyesViolation(ActionForbidden):
    """The same person may not recommend and decide one case."""

    code = "four_eyes"


class Conflict(DomainError):
    """The object changed state; the action no longer applies."""

    code = "conflict"
    status = 409


class TransitionNotAllowed(Conflict):
    """The action is not allowed from the object's current status."""

    code = "invalid_transition"


class StaleVersion(Conflict):
    """The caller acted on an out-of-date version of the object."""

    code = "stale_version"


class StorageFull(DomainError):
    """A file could not be written (disk or quota full); nothing was saved."""

    code = "storage_full"
    status = 507
