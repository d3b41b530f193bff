"""ISBN-13s derived from the ISBN-10s of the book data set."""
from __future__ import annotations

from domain.catalogue.isbn import normalize_isbn
from domain.shared.errors import InvalidInput


def isbn13_from_isbn10(raw: str) -> str | None:
    """'439023483' -> '9780439023481'; None when the value is empty or not a real ISBN-10.

    The data set stored ISBN-10s as numbers, so leading zeros were lost ('61120081' is
    0061120081): pad back to ten digits, then keep the value only if its own check digit
    agrees, which rejects the few values that were mangled beyond repair.
    """
    value = raw.strip().upper()
    if not value or len(value) > 10:
        return None
    try:
        return normalize_isbn(value.zfill(10))
    except InvalidInput:
        return None
