"""Shared GraphQL value types: money and currencies."""
from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry


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
