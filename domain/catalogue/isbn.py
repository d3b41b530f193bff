"""ISBN parsing: customers paste ISBN-10 or ISBN-13, with or without hyphens."""
from __future__ import annotations

import re

from domain.catalogue.errors import CatalogueQueryErrorCode
from domain.shared.errors import InvalidInput


def ean13_check_digit(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def normalize_isbn(raw: str) -> str:
    """The ISBN-13 for an ISBN-10 or ISBN-13 (check digit verified); InvalidInput otherwise."""
    digits = re.sub(r"[\s-]", "", raw or "").upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        if total % 11 == 0:
            body = "978" + digits[:9]
            return body + ean13_check_digit(body)
    elif re.fullmatch(r"97[89]\d{10}", digits) and ean13_check_digit(digits[:12]) == digits[12]:
        return digits
    raise InvalidInput(f"{raw[:40]!r} is not a valid ISBN-10 or ISBN-13.", code=CatalogueQueryErrorCode.INVALID_ISBN, field=["isbn"])
