"""Shared GraphQL value types: money, currencies, and the bounded Decimal scalar."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import Enum

import strawberry
from graphql import GraphQLError

# No field takes a decimal this large (prices stop at 1,000,000.00). Bounding it here keeps
# numbers like 1e999990 from reaching code that turns them into integers of a million digits,
# which takes the process's CPU for seconds.
DECIMAL_LIMIT = Decimal(10) ** 15


def parse_decimal(value: object) -> Decimal:
    """A Decimal from a string or JSON number (as strawberry's own scalar reads them), refused when
    finite and 10^15 or more in size; NaN and Infinity pass, for the fields to word their errors."""
    text = value if isinstance(value, str) else str(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise GraphQLError(f"Decimal cannot represent {text[:40]!r}: it is not a number.") from None
    if number.is_finite() and abs(number) >= DECIMAL_LIMIT:
        raise GraphQLError(f"Decimal cannot represent {text[:40]!r}: it must be less than 10^15 in size.")
    return number


DECIMAL = strawberry.scalar(
    name="Decimal", serialize=str, parse_value=parse_decimal,
    description="Decimal (fixed-point), sent as a string (\"12.99\", exact) or a JSON number; less than 10^15 in size.")


@strawberry.enum(description="ISO 4217 currency code.")
class CurrencyCode(str, Enum):
    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"
    CAD = "CAD"
    JPY = "JPY"


@strawberry.type(description="An amount of money in a currency. Never a float: amount is an exact decimal.")
class Money:
    amount: Decimal = strawberry.field(description="The amount, in major units (12.99).")
    currency: CurrencyCode = strawberry.field(name="currencyCode", description="The currency.")
