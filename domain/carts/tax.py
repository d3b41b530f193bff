"""Sales tax and VAT on a cart, from the configurable rate table (`tax_rates`).

Rules:
- The rate follows where the buyer takes the goods (`tax_address`): the shipping address of a
  cart with items to ship; for a cart of digital items only (e-books, streams: no shipping),
  the billing address, or the shipping address when the customer gave one and no billing
  address. A row for the address's region (as addresses store it, e.g. the US state code) wins
  over the row for its whole country. No address: no tax yet (NEEDS_ADDRESS), and such an order
  is not placed (`require_tax_address`: BILLING_ADDRESS_REQUIRED; goods without a shipping
  address are refused by checkout already). An address where no row applies: tax 0 (NO_RATE).
- Books (hardcover, paperback, Kindle, audiobook formats) take the BOOKS rate where one is
  configured at the same level (the reduced VAT of GB, DE, FR...), else the standard rate.
- Prices are tax-exclusive; tax is charged on the goods (delivery charges are not taxed).
- Each line's tax is `line total x rate / 10,000` rounded half-up to the cent; the cart's tax is
  the sum of its lines' taxes.
"""
from __future__ import annotations

from collections.abc import Sequence

from domain.carts.entities import BillingAddress, CartLineView, ShippingAddress, TaxRate
from domain.carts.errors import OrderingErrorCode
from domain.carts.pricing import percent_of
from domain.carts.statuses import TaxClass, TaxStatus
from domain.catalogue.statuses import ProductFormat
from domain.shared.errors import DomainError
from domain.shared.money import Money

BOOK_FORMATS = frozenset({ProductFormat.HARDCOVER, ProductFormat.PAPERBACK, ProductFormat.KINDLE, ProductFormat.AUDIOBOOK})


def tax_address(shipping: ShippingAddress | None, billing: BillingAddress | None,
                ships_goods: bool) -> ShippingAddress | None:
    """Where a cart is taxed (see the module docstring)."""
    if ships_goods:
        return shipping
    return billing or shipping


def require_tax_address(shipping: ShippingAddress | None, billing: BillingAddress | None, ships_goods: bool) -> None:
    """A cart of digital items only is placed with a billing address (or a shipping address):
    the tax of the buyer's place is due on them too (BILLING_ADDRESS_REQUIRED otherwise)."""
    if not ships_goods and tax_address(shipping, billing, ships_goods) is None:
        raise DomainError("Digital items are taxed where the buyer lives: set a billing address first"
                          " (setCartBillingAddress).", code=OrderingErrorCode.BILLING_ADDRESS_REQUIRED, field=["cart", "billingAddress"])


def tax_class_of(product_format: str | None) -> str:
    return TaxClass.BOOKS if product_format in BOOK_FORMATS else TaxClass.STANDARD


def rate_for(rates: Sequence[TaxRate], country_code: str, region: str, tax_class: str) -> int | None:
    """Basis points for a class of goods shipped to a place; None when no row applies."""
    region_key = region.casefold()
    best: tuple[int, int] | None = None  # (specificity, rate)
    for rate in rates:
        if rate.country_code != country_code or rate.tax_class not in (tax_class, "STANDARD"):
            continue
        if rate.region is not None and rate.region.casefold() != region_key:
            continue
        # A region's row beats the country's; at one level the class's own row beats STANDARD.
        specificity = (2 if rate.region is not None else 0) + (1 if rate.tax_class == tax_class else 0)
        if best is None or specificity > best[0]:
            best = (specificity, rate.rate_bp)
    return None if best is None else best[1]


def line_tax_minor(line_total_minor: int, rate_bp: int) -> int:
    return percent_of(line_total_minor, rate_bp)


def apply(lines: Sequence[CartLineView], address: ShippingAddress | None,
          rates: Sequence[TaxRate]) -> tuple[int, str]:
    """Sets each purchasable line's `tax` (in minor units of its currency) and returns the
    cart's tax and its status (CALCULATED, NEEDS_ADDRESS or NO_RATE)."""
    if address is None:
        status, by_class = TaxStatus.NEEDS_ADDRESS, {}
    else:
        by_class = {c: rate_for(rates, address.country_code, address.region, c) for c in TaxClass}
        status = TaxStatus.CALCULATED if any(v is not None for v in by_class.values()) else TaxStatus.NO_RATE
    total = 0
    for line in lines:
        rate = by_class.get(line.tax_class)
        minor = line_tax_minor(line.line_total.minor, rate) if rate is not None and line.purchasable else 0
        line.tax = Money(minor, line.line_total.currency)
        total += minor
    return total, status
