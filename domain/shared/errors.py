"""Typed domain errors. The API maps them to `userErrors` (expected) or GraphQL errors.

Every code is a member of a `StrEnum` in its context's `errors` module, defined once: a code
raised by contexts that do not depend on each other is defined here, in `CommonErrorCode`, and
each context's enum takes the members it raises by reference, so the enum of a mutation lists
exactly the codes its clients can receive."""
from __future__ import annotations

from enum import StrEnum


class CommonErrorCode(StrEnum):
    """Codes that several contexts raise."""

    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    REASON_REQUIRED = "REASON_REQUIRED"
    INVALID_LOOKUP = "INVALID_LOOKUP"
    TOO_LONG = "TOO_LONG"
    INVALID_PAGE_SIZE = "INVALID_PAGE_SIZE"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    INVALID_QUANTITY = "INVALID_QUANTITY"
    IDEMPOTENCY_KEY_INVALID = "IDEMPOTENCY_KEY_INVALID"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    IDEMPOTENCY_KEY_IN_PROGRESS = "IDEMPOTENCY_KEY_IN_PROGRESS"
    SLUG_INVALID = "SLUG_INVALID"
    SLUG_TAKEN = "SLUG_TAKEN"
    INVALID_ID = "INVALID_ID"
    HTML_NOT_ALLOWED = "HTML_NOT_ALLOWED"


class DomainError(Exception):
    """An expected failure with a stable code, raised by domain rules."""

    code: StrEnum = CommonErrorCode.INVALID

    # True when the transaction must still commit what it wrote before the failure (a failed
    # sign-in counts towards throttling; a reused refresh token revokes its session).
    keep_changes: bool = False

    def __init__(self, message: str, *, code: StrEnum | None = None, field: list[str] | None = None,
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
    code = CommonErrorCode.NOT_FOUND


class InvalidInput(DomainError):
    code = CommonErrorCode.INVALID


class Unauthenticated(DomainError):
    """No valid credentials: anonymous where sign-in is required, or a bad/expired token."""

    code = CommonErrorCode.UNAUTHENTICATED


class Forbidden(DomainError):
    """Signed in, but the caller's roles do not allow this operation."""

    code = CommonErrorCode.FORBIDDEN
