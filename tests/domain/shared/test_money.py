"""Money is integer minor units with a currency; amounts convert exactly or not at all."""
from decimal import Decimal

import pytest

from domain.shared.money import Money


def test_amount_round_trips_exactly():
    assert Money.from_amount("12.99").minor == 1299
    assert Money(1299).amount == Decimal("12.99")
    assert Money.from_amount("500", "JPY") == Money(500, "JPY")


@pytest.mark.parametrize("amount", ["1.234", "0.001"])
def test_more_decimals_than_the_currency_allows_is_refused(amount):
    with pytest.raises(ValueError):
        Money.from_amount(amount)


def test_currencies_never_mix_and_floats_are_refused():
    assert Money(100) + Money(250) == Money(350)
    with pytest.raises(ValueError):
        Money(100, "USD") + Money(100, "EUR")
    with pytest.raises(TypeError):
        Money(9.99)
    with pytest.raises(ValueError):
        Money(100, "XXX")
