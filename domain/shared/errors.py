"""Typed domain errors. The API maps them to `userErrors` (expected) or GraphQL errors."""
from __future__ import annotations


class DomainError(Exception):
    """An expected failure with a stable code, raised by domain rules."""

    code: str = "INVALID"

    # True when the transaction must still commit what it wrote before the failure (a failed
    # sign-in counts towards throttling; a reused refresh token revokes its session).
    keep_changes: bool = False

    def __init__(self, message: str, *, code: str | None = None, field: list[str] | None = None,
                 keep_changes: bool | None = None, extensions: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        if keep_changes is not None:
            self.keep_changes = keep_changes
        # Extra machine-readable facts for the client, e.g. {"retryAfterSeconds": 30}.
        self.extensions = extensions or {}


class NotFound(DomainError):
    code = "NOT_FOUND"


class InvalidInput(DomainError):
    code = "INVALID"


class Unauthenticated(DomainError):
    """No valid credentials: anonymous where sign-in is required, or a bad/expired token."""

    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    """Signed in, but the caller's roles do not allow this operation."""

    code = "FORBIDDEN"
