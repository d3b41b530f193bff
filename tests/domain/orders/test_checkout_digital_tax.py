"""An order of digital items only is taxed where its buyer is billed: the cart shows the tax
before it is placed, the order charges it, and without an address to tax it at the order is
refused and nothing is written."""
import pytest

from domain.carts import service as carts
from domain.carts.pricing import percent_of
from domain.shared.errors import DomainError
from tests.fixtures.checkout import (
    BERLIN,
    KINDLE,
    PLATFORM_BOOK,
    cart,
    customer,
    offer,
    place,
    state,
)
from tests.fixtures.db import fetch

pytestmark = pytest.mark.one_copy_per_file

GERMAN_BOOKS_BP = 700  # the reduced VAT rate of books, e-books included
SEATTLE_BP = 650


async def view_of(db, buyer, cart_id):
    reader = await db.reader()
    try:
        return await carts.find_cart(reader, buyer, cart_id=cart_id)
    finally:
        await reader.close()


async def test_an_ebook_billed_to_germany_pays_the_german_book_rate(writable_database, provider):
    db = writable_database
    ebook = await offer(db, KINDLE)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(ebook["id"], 1)], address=None, billing=BERLIN)
    tax = percent_of(ebook["price_minor"], GERMAN_BOOKS_BP)
    assert tax > 0

    totals = (await view_of(db, buyer, cart_id)).totals
    assert (totals.tax_status, totals.tax.minor, totals.total.minor, totals.tax_note) == (
        "CALCULATED", tax, ebook["price_minor"] + tax, None)
    order_id = await place(db, provider, buyer, cart_id)

    [order] = await fetch(db, "SELECT tax_minor, total_minor, ship_country_code, bill_country_code, bill_city"
                              " FROM orders WHERE id = $1", order_id)
    assert tuple(order) == (tax, ebook["price_minor"] + tax, None, "DE", "Berlin")
    [line] = await fetch(db, "SELECT tax_class::text, tax_minor FROM order_lines WHERE order_id = $1", order_id)
    assert tuple(line) == ("BOOKS", tax)
    [payment] = await fetch(db, "SELECT amount_minor, captured_minor FROM payments WHERE order_id = $1", order_id)
    assert tuple(payment) == (ebook["price_minor"] + tax, ebook["price_minor"] + tax)  # delivered and charged now


async def test_an_ebook_without_an_address_to_tax_it_at_is_refused_and_nothing_is_written(writable_database,
                                                                                          provider):
    db = writable_database
    ebook = await offer(db, KINDLE)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(ebook["id"], 1)], address=None)
    totals = (await view_of(db, buyer, cart_id)).totals
    assert (totals.tax_status, totals.tax.minor, totals.tax_note) == (
        "NEEDS_ADDRESS", 0, "Add a billing address to see the tax.")

    before = await state(db)
    with pytest.raises(DomainError) as refused:
        await place(db, provider, buyer, cart_id)
    assert (refused.value.code, refused.value.field) == ("BILLING_ADDRESS_REQUIRED", ["cart", "billingAddress"])
    assert await state(db) == before


async def test_a_cart_with_goods_is_taxed_where_they_go_whatever_the_billing_address(writable_database):
    db = writable_database
    book, ebook = await offer(db, PLATFORM_BOOK), await offer(db, KINDLE)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1), (ebook["id"], 1)], billing=BERLIN)  # shipped to Seattle
    view = await view_of(db, buyer, cart_id)
    assert view.billing_address.country_code == "DE"
    assert view.totals.tax.minor == (percent_of(book["price_minor"], SEATTLE_BP)
                                     + percent_of(ebook["price_minor"], SEATTLE_BP))
