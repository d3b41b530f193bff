"""Typed domain errors. The API maps them to `userErrors` (expected) or GraphQL errors."""
from __future__ import annotations


class DomainError(Exception):
    """An expected failure with a stable code, raised by domain rules."""

    code: str = "INVALID"

    def __init__(self, message: str, *, code: str | None = None, field: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class NotFound(DomainError):
    code = "NOT_FOUND"


class InvalidInput(DomainError):
    code = "INVALID"
