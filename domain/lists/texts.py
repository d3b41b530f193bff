"""The texts of lists and items (names, descriptions, notes): plain text, stored as written, and
shown by clients as text, never as HTML."""
from __future__ import annotations

from domain.lists.errors import ListErrorCode
from domain.lists.tables import DESCRIPTION_MAX, NAME_MAX, NOTE_MAX, QUANTITY_MAX
from domain.shared.errors import DomainError


def _no_controls(value: str, field: list[str], allowed: str = "\n\t") -> None:
    if any((ord(c) < 32 or ord(c) == 127) and c not in allowed for c in value):
        raise DomainError("Control characters are not allowed.", code=ListErrorCode.INVALID, field=field)


def name(value: str | None, field: list[str]) -> str:
    if value is None or not value.strip():
        raise DomainError("A list needs a name.", code=ListErrorCode.INVALID, field=field)
    if len(value) > NAME_MAX:
        raise DomainError(f"A list's name has at most {NAME_MAX} characters.", code=ListErrorCode.TOO_LONG, field=field)
    _no_controls(value, field, allowed="")
    return value.strip()


def description(value: str, field: list[str]) -> str:
    if len(value) > DESCRIPTION_MAX:
        raise DomainError(f"A description has at most {DESCRIPTION_MAX:,} characters.", code=ListErrorCode.TOO_LONG,
                          field=field)
    _no_controls(value, field)
    return value.strip()


def note(value: str, field: list[str]) -> str:
    if len(value) > NOTE_MAX:
        raise DomainError(f"A note has at most {NOTE_MAX} characters.", code=ListErrorCode.TOO_LONG, field=field)
    _no_controls(value, field)
    return value.strip()


def quantity(value: int, field: list[str]) -> int:
    if not 1 <= value <= QUANTITY_MAX:
        raise DomainError(f"A quantity is 1 to {QUANTITY_MAX}.", code=ListErrorCode.INVALID_QUANTITY, field=field)
    return value
