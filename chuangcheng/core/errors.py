"""Domain errors raised by services and mapped to HTTP responses by the adapters.

Messages are Simplified Chinese because they reach users unchanged. ``field``
names the input field at fault, so forms and the API can point at it.
"""

from __future__ import annotations


class DomainError(Exception):
    """A domain invariant was violated; nothing was changed (HTTP 422)."""

    status_code = 422
    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict:
        data = {"detail": self.message, "code": self.code}
        if self.field:
            data["field"] = self.field
        return data


class ValidationFailed(DomainError):
    """Several field errors at once: ``errors`` maps field -> list of messages."""

    code = "validation_failed"

    def __init__(self, errors: dict[str, list[str]]):
        first_field, messages = next(iter(errors.items()))
        super().__init__(f"{messages[0]}", field=first_field)
        self.errors = errors

    def as_dict(self) -> dict:
        return {"detail": self.message, "code": self.code, "errors": self.errors}


class Conflict(DomainError):
    """The object changed under the caller (HTTP 409)."""

    status_code = 409
    code = "conflict"


class NotPermitted(DomainError):
    """The user can see the object but may not do this to it (HTTP 403)."""

    status_code = 403
    code = "not_permitted"


class NotFound(DomainError):
    """Missing or out of scope: the two are indistinguishable on purpose (HTTP 404)."""

    status_code = 404
    code = "not_found"

    def __init__(self, message: str = "对象不存在或无权访问", **kwargs):
        super().__init__(message, **kwargs)
