"""Shared rule for "find by exactly one key" lookups."""
from __future__ import annotations

from domain.shared.errors import CommonErrorCode, InvalidInput

MAX_KEY_LENGTH = 200


def exactly_one(**keys: object) -> tuple[str, object]:
    """The one (name, value) given; InvalidInput when none or several are given."""
    given = [(name, value) for name, value in keys.items() if value is not None]
    if len(given) != 1:
        raise InvalidInput(
            f"Give exactly one of: {', '.join(keys)}.", code=CommonErrorCode.INVALID_LOOKUP, field=list(keys)
        )
    name, value = given[0]
    if isinstance(value, str) and len(value) > MAX_KEY_LENGTH:
        raise InvalidInput(f"{name} is limited to {MAX_KEY_LENGTH} characters.", code=CommonErrorCode.TOO_LONG,
                           field=[name])
    return name, value
