"""ISBN-13s derived from the ISBN-10s of the book data set."""
from __future__ import annotations

import re

_ISBN10_DIGITS = re.compile(r"\d{0,9}[\dX]")


def isbn10_is_valid(isbn10: str) -> bool:
    total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(isbn10))
    return len(isbn10) == 10 and "X" not in isbn10[:9] and total % 11 == 0


def ean13_check_digit(first12: str) -> int:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12))
    return (10 - total % 10) % 10


def isbn13_from_isbn10(raw: str) -> str | None:
    """'439023483' -> '9780439023481'; None when the value is empty or not a real ISBN-10.

    The data set stored ISBN-10s as numbers, so leading zeros were lost ('61120081' is
    0061120081): pad back to ten digits, then keep the value only if its own check digit
    agrees, which rejects the few values that were mangled beyond repair.
    """
    value = raw.strip().upper()
    if not _ISBN10_DIGITS.fullmatch(value):
        return None
    isbn10 = value.zfill(10)
    if not isbn10_is_valid(isbn10):
        return None
    first12 = "978" + isbn10[:9]
    return first12 + str(ean13_check_digit(first12))
