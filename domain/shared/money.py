"""Money as integer minor units plus an ISO 4217 code; never a float."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Minor-unit exponents for the currencies we sell in (ISO 4217).
EXPONENTS = {"USD": 2, "EUR": 2, "GBP": 2, "CAD": 2, "JPY": 0}


@dataclass(frozen=True, slots=True)
class Money:
    minor: int
    currency: str = "USD"

    def __post_init__(self) -> None:
        if self.currency not in EXPONENTS:
            raise ValueError(f"unsupported currency {self.currency!r}")
        if not isinstance(self.minor, int):
            raise TypeError("money is held in integer minor units")

    @property
    def amount(self) -> Decimal:
        return Decimal(self.minor).scaleb(-EXPONENTS[self.currency])

    @classmethod
    def from_amount(cls, amount: Decimal | str, currency: str = "USD") -> "Money":
        value = Decimal(amount).scaleb(EXPONENTS.get(currency, 2))
        if value != value.to_integral_value():
            raise ValueError(f"{amount} has more decimals than {currency} allows")
        return cls(int(value), currency)

    def __add__(self, other: "Money") -> "Money":
        if other.currency != self.currency:
            raise ValueError("cannot add different currencies")
        return Money(self.minor + other.minor, self.currency)
