"""Money arithmetic of a cart: integer minor units only, never a float.

Rounding rule: every amount derived by a rate (tax today, percentage discounts later) is
computed per line as `amount x basis points / 10,000` and rounded half-up to the minor unit
(0.5 cent goes up); totals are sums of already-rounded line amounts, so the lines always add
up to the total shown."""
from __future__ import annotations

from collections.abc import Iterable

from domain.carts.entities import CART_CURRENCY, CartLineView, CartTotals, ShipmentGroup, SubscribeTerms
from domain.shared.money import Money

BASIS_POINTS = 10_000


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def percent_of(amount_minor: int, rate_bp: int) -> int:
    """`rate_bp` basis points of an amount, rounded half-up to the minor unit."""
    return round_half_up(amount_minor * rate_bp, BASIS_POINTS)


def subscribe_unit_price(unit: Money, offer_price_minor: int, terms: SubscribeTerms) -> Money:
    """A Subscribe & Save unit price: the discount off the offer's price, or `unit` (a member
    price) when that is lower, and never above the price cap (the price a reminder stated)."""
    discounted = offer_price_minor - percent_of(offer_price_minor, terms.discount_percent * 100)
    minor = min(unit.minor, discounted)
    if terms.price_cap_minor is not None:
        minor = min(minor, terms.price_cap_minor)
    return Money(minor, unit.currency)


def line_total(unit_minor: int, quantity: int, currency: str) -> Money:
    return Money(unit_minor * quantity, currency)


def _sum(amounts: Iterable[int]) -> Money:
    return Money(sum(amounts), CART_CURRENCY)


def totals(lines: Iterable[CartLineView], groups: Iterable[ShipmentGroup], tax_minor: int, tax_status: str,
           tax_note: str | None) -> CartTotals:
    """Subtotal of the purchasable lines, the chosen delivery of every shipment group, tax,
    discount (none yet) and the total."""
    subtotal = _sum(line.line_total.minor for line in lines if line.purchasable)
    delivery = _sum(group.selected.price.minor for group in groups if group.selected.price is not None)
    tax = Money(tax_minor, CART_CURRENCY)
    discount = Money(0, CART_CURRENCY)
    total = Money(subtotal.minor + delivery.minor + tax.minor - discount.minor, CART_CURRENCY)
    return CartTotals(subtotal=subtotal, delivery=delivery, tax=tax, discount=discount, total=total,
                      tax_status=tax_status, tax_note=tax_note)
