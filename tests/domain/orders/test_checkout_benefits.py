"""Membership benefits in the cart and at checkout, with the benefits as a value: a member's
cart is priced at member prices with free TWO_DAY on Prime-eligible items, a non-member's is
not, and placeOrder prices the order with the benefits it reads in its own transaction (a
membership that lapsed since the cart was shown is TOTAL_CHANGED for a client that sends the
total it showed)."""
import pytest

from domain.shared.errors import DomainError
from domain.subscriptions.service import MEMBER, NOT_A_MEMBER
from tests.fixtures.checkout import PLATFORM_BOOK, cart, customer, offer, place, state, view_as
from tests.fixtures.db import execute, fetch, fetchval

pytestmark = pytest.mark.one_copy_per_file


async def _views(db, cart_id: int):
    """The cart as a member and as a non-member see it."""
    return await view_as(db, cart_id, MEMBER), await view_as(db, cart_id, NOT_A_MEMBER)


@pytest.fixture
async def member_priced(writable_database):
    """A platform-shipped book with a member price 2.00 below its price."""
    book = await offer(writable_database, PLATFORM_BOOK + " AND o.price_minor > 500")
    await execute(writable_database, "UPDATE offers SET member_price_minor = price_minor - 200 WHERE id = $1", book["id"])
    return book


async def test_a_member_pays_the_member_price_and_nothing_for_two_day_a_non_member_pays_both(
        writable_database, member_priced):
    db, book = writable_database, member_priced
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 3)], choices=[(book["seller_id"], "PLATFORM", "TWO_DAY")])
    two_day_fee = await fetchval(db, "SELECT fee_minor FROM delivery_rates WHERE kind = 'TWO_DAY' AND fulfilment = 'PLATFORM'")
    member, other = await _views(db, cart_id)

    (m_line,), (o_line,) = member.lines, other.lines
    assert (m_line.unit_price.minor, m_line.line_total.minor, m_line.member_savings.minor) == (
        book["price_minor"] - 200, 3 * (book["price_minor"] - 200), 600)
    assert (o_line.unit_price.minor, o_line.line_total.minor, o_line.member_savings) == (
        book["price_minor"], 3 * book["price_minor"], None)
    # "Price when added" is the price everyone pays: no PRICE_CHANGED for either.
    assert m_line.problems == o_line.problems == []
    assert (member.shipment_groups[0].selected.kind, member.shipment_groups[0].selected.price.minor) == ("TWO_DAY", 0)
    assert other.shipment_groups[0].selected.price.minor == two_day_fee > 0
    assert member.totals.subtotal.minor == other.totals.subtotal.minor - 600
    assert member.totals.delivery.minor == 0 and other.totals.delivery.minor == two_day_fee
    assert member.totals.total.minor < other.totals.total.minor


async def test_member_savings_do_not_apply_to_an_offer_without_a_member_price(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK + " AND o.member_price_minor IS NULL")
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    member, other = await _views(db, cart_id)
    assert member.lines[0].unit_price == other.lines[0].unit_price
    assert member.lines[0].member_savings is None
    assert member.totals.subtotal == other.totals.subtotal


async def test_a_membership_lapsed_between_the_cart_and_checkout_is_total_changed_then_charged_without_it(
        writable_database, provider, member_priced):
    db, book = writable_database, member_priced
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 2)], choices=[(book["seller_id"], "PLATFORM", "TWO_DAY")])
    # What the customer saw while a member; placeOrder reads the benefits they have now (none).
    member, other = await _views(db, cart_id)
    before = await state(db)
    with pytest.raises(DomainError) as refused:
        await place(db, provider, buyer, cart_id, expected_total=member.totals.total)
    assert refused.value.code == "TOTAL_CHANGED"
    assert (refused.value.extensions["expectedTotal"], refused.value.extensions["total"]) == (
        member.totals.total, other.totals.total)
    assert await state(db) == before

    order_id = await place(db, provider, buyer, cart_id, expected_total=other.totals.total)
    placed = (await fetch(db, "SELECT subtotal_minor, delivery_minor, total_minor FROM orders WHERE id = $1", order_id))[0]
    assert tuple(placed) == (other.totals.subtotal.minor, other.totals.delivery.minor, other.totals.total.minor)
    line = (await fetch(db, "SELECT unit_price_minor, line_total_minor FROM order_lines WHERE order_id = $1", order_id))[0]
    assert tuple(line) == (book["price_minor"], 2 * book["price_minor"])
