"""Money rules of a cart: half-up rounding per line, and which tax rate applies where."""
from datetime import UTC, datetime

import pytest

from domain.carts import tax
from domain.carts.entities import CartLineView, ShippingAddress, TaxRate
from domain.carts.pricing import percent_of, round_half_up
from domain.shared.errors import DomainError
from domain.shared.money import Money

RATES = [
    TaxRate("US", "WA", "STANDARD", 650), TaxRate("US", "OR", "STANDARD", 0),
    TaxRate("CA", None, "STANDARD", 500), TaxRate("CA", "ON", "STANDARD", 1300),
    TaxRate("DE", None, "STANDARD", 1900), TaxRate("DE", None, "BOOKS", 700),
    TaxRate("GB", None, "STANDARD", 2000), TaxRate("GB", None, "BOOKS", 0),
]


@pytest.mark.parametrize("numerator, denominator, expected", [
    (725_000, 10_000, 73),  # 72.5 goes up
    (724_999, 10_000, 72),
    (-725_000, 10_000, -73),  # halves away from zero
    (0, 10_000, 0),
    (10_000, 10_000, 1),
])
def test_round_half_up(numerator, denominator, expected):
    assert round_half_up(numerator, denominator) == expected


def test_a_percentage_is_rounded_to_the_cent_half_up():
    assert percent_of(1000, 725) == 73  # 7.25% of $10.00 is 72.5 cents
    assert percent_of(999, 725) == 72  # 72.4275
    assert percent_of(2998, 650) == 195  # 194.87


@pytest.mark.parametrize("country, region, tax_class, expected", [
    ("US", "WA", "STANDARD", 650),
    ("US", "wa", "BOOKS", 650),  # no books row: the standard rate; regions match whatever the case
    ("US", "OR", "STANDARD", 0),
    ("US", "NV", "STANDARD", None),  # no row for the state, none for the country
    ("CA", "ON", "STANDARD", 1300),  # the province's row beats the country's
    ("CA", "QC", "STANDARD", 500),
    ("DE", "", "BOOKS", 700),
    ("DE", "Bayern", "STANDARD", 1900),
    ("GB", "", "BOOKS", 0),
    ("FR", "", "STANDARD", None),
])
def test_the_most_specific_rate_applies(country, region, tax_class, expected):
    assert tax.rate_for(RATES, country, region, tax_class) == expected


def _line(total_minor: int, tax_class: str = "STANDARD", purchasable: bool = True) -> CartLineView:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    return CartLineView(id=1, cart_id=1, offer_id=1, product_id=1, seller_id=1, quantity=1, added_at=now, offer=None,
                        product=None, seller=None, unit_price=Money(total_minor), price_when_added=Money(total_minor),
                        line_total=Money(total_minor), requires_delivery=True, purchasable=purchasable, problems=[],
                        tax_class=tax_class)


def _address(country: str, region: str = "") -> ShippingAddress:
    return ShippingAddress("Ada", "1 Main St", "", "Town", region, "12345", country, "")


def test_tax_is_summed_from_lines_rounded_one_by_one():
    lines = [_line(1000), _line(1000), _line(1500, "BOOKS"), _line(9999, purchasable=False)]
    total, status = tax.apply(lines, _address("US", "WA"), RATES)
    # 65 + 65 + 97.5 -> 98; the line that is not purchasable pays nothing
    assert [line.tax.minor for line in lines] == [65, 65, 98, 0]
    assert (total, status) == (228, "CALCULATED")


def test_books_take_the_reduced_rate_where_there_is_one():
    lines = [_line(1000, "BOOKS"), _line(1000)]
    assert tax.apply(lines, _address("DE"), RATES) == (70 + 190, "CALCULATED")
    assert tax.apply(lines, _address("GB"), RATES) == (0 + 200, "CALCULATED")


def test_no_address_or_no_rate_means_no_tax_with_the_reason():
    lines = [_line(1000)]
    assert tax.apply(lines, None, RATES) == (0, "NEEDS_ADDRESS")
    assert tax.apply(lines, _address("FR"), RATES) == (0, "NO_RATE")
    assert lines[0].tax == Money(0)


@pytest.mark.parametrize("product_format, expected", [
    ("HARDCOVER", "BOOKS"), ("PAPERBACK", "BOOKS"), ("KINDLE", "BOOKS"), ("AUDIOBOOK", "BOOKS"),
    ("DVD", "STANDARD"), ("STANDARD", "STANDARD"), (None, "STANDARD"),
])
def test_books_are_told_by_their_format(product_format, expected):
    assert tax.tax_class_of(product_format) == expected


@pytest.mark.parametrize("ships_goods, shipping, billing, taxed_at", [
    (True, "US", "DE", "US"),  # goods: where they are delivered
    (True, None, "DE", None),  # goods without a shipping address: nothing yet (checkout refuses it)
    (False, "US", "DE", "DE"),  # digital items only: where the buyer is billed
    (False, "US", None, "US"),
    (False, None, "DE", "DE"),
    (False, None, None, None),
])
def test_digital_items_only_are_taxed_at_the_billing_address(ships_goods, shipping, billing, taxed_at):
    addresses = {"shipping": shipping and _address(shipping), "billing": billing and _address(billing)}
    chosen = tax.tax_address(addresses["shipping"], addresses["billing"], ships_goods)
    assert (chosen.country_code if chosen else None) == taxed_at


def test_digital_items_only_need_an_address_to_be_taxed_at():
    tax.require_tax_address(None, _address("DE"), ships_goods=False)
    tax.require_tax_address(_address("US"), None, ships_goods=False)
    tax.require_tax_address(None, None, ships_goods=True)  # goods: SHIPPING_ADDRESS_REQUIRED is checkout's
    with pytest.raises(DomainError) as refused:
        tax.require_tax_address(None, None, ships_goods=False)
    assert (refused.value.code, refused.value.field) == ("BILLING_ADDRESS_REQUIRED", ["cart", "billingAddress"])
