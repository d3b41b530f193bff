"""The reason a person gives for a decision (a refund, a cancellation, a rejection): trimmed,
1 to `limit` characters, else REASON_REQUIRED."""
from __future__ import annotations

from domain.shared.errors import CommonErrorCode, InvalidInput

REASON_FIELD = ("input", "reason")


def reason(value: object, limit: int, field: list[str] | tuple[str, ...] = REASON_FIELD) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(text) <= limit:
        raise InvalidInput(f"Give a reason of 1 to {limit} characters.", code=CommonErrorCode.REASON_REQUIRED, field=list(field))
    return text
