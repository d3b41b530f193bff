"""Order numbers: what a customer reads out on the phone, types into `order(number:)`, and
finds on the invoice.

Format: `TRB-YYYY-NNNNNNN-C`, for example `TRB-2026-0001234-6`:

- `TRB` names the shop;
- `YYYY` is the year (UTC) the order was placed;
- `NNNNNNN` is the order's place in the PostgreSQL sequence `order_number_seq`, zero-padded to
  seven digits (it grows to eight digits past 9,999,999, never wraps and never restarts with
  the year, so the number is unique on its own). Numbers increase but have gaps: a checkout
  that rolls back has drawn its number (a gapless counter would make every checkout wait for
  the one before it);
- `C` is a Damm check digit over the year and sequence digits. It catches every single
  mistyped digit and every swap of two adjacent digits, so a typo is reported as an invalid
  number instead of finding someone else's order.

`parse_order_number` accepts the number in any letter case, with or without dashes and
spaces around groups, and returns its canonical form; anything else is ORDER_NUMBER_INVALID.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.errors import OrderingErrorCode
from domain.shared import clock
from domain.shared.errors import InvalidInput

PREFIX = "TRB"
SEQUENCE = "order_number_seq"
SEQUENCE_DIGITS = 7
MAX_INPUT_LENGTH = 40

# The Damm algorithm's quasigroup of order 10 (weakly totally anti-symmetric).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_NUMBER = re.compile(r"TRB(\d{4})(\d{%d,18})(\d)" % SEQUENCE_DIGITS)


def check_digit(digits: str) -> int:
    """The Damm check digit of a string of decimal digits (leading zeros do not change it)."""
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return interim


@dataclass(frozen=True, slots=True)
class OrderNumber:
    year: int
    sequence: int

    def __str__(self) -> str:
        return format_order_number(self.year, self.sequence)


def format_order_number(year: int, sequence: int) -> str:
    """`TRB-<year>-<sequence, 7+ digits>-<check digit>`."""
    if not 1000 <= year <= 9999 or sequence < 1:
        raise ValueError(f"no order number for year {year} and sequence {sequence}")
    body = f"{year:04d}-{sequence:0{SEQUENCE_DIGITS}d}"
    return f"{PREFIX}-{body}-{check_digit(body.replace('-', ''))}"


def parse_order_number(value: str, field: list[str] | None = None) -> OrderNumber:
    """The order number a customer typed, validated: ORDER_NUMBER_INVALID when it is not of the
    form TRB-YYYY-NNNNNNN-C or its check digit does not match (a typo)."""
    compact = re.sub(r"[\s-]", "", value).upper() if isinstance(value, str) and len(value) <= MAX_INPUT_LENGTH \
        else ""
    match = _NUMBER.fullmatch(compact)
    if match is None:
        raise InvalidInput("An order number looks like TRB-2026-0001234-6.", code=OrderingErrorCode.ORDER_NUMBER_INVALID,
                           field=field)
    year, sequence, check = match.groups()
    if check_digit(year + sequence) != int(check) or int(sequence) == 0:
        raise InvalidInput("This is not a valid order number: please check it for a typo.",
                           code=OrderingErrorCode.ORDER_NUMBER_INVALID, field=field)
    return OrderNumber(int(year), int(sequence))


async def next_order_number(session: AsyncSession) -> str:
    """Draws the next number from the sequence, dated with the current year (UTC). Safe under
    any concurrency; a rolled-back transaction leaves a gap."""
    sequence = (await session.execute(text(f"SELECT nextval('{SEQUENCE}')"))).scalar_one()
    return format_order_number(clock.now().year, sequence)
