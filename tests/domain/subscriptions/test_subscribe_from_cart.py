"""Subscribing from the cart: a Subscribe & Save line is priced at the discount with free
delivery, placing the order subscribes (next delivery one frequency later, clamped at month
ends) with a saved card, and bad lines are refused with typed errors that change nothing."""
from datetime import UTC, date, datetime

import pytest

from domain.carts import service as carts
from domain.shared.errors import DomainError
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.checkout import LIMITS, PLATFORM_BOOK, cart, customer, offer, place, state, view_as
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.subscribe_and_save import deliver

pytestmark = pytest.mark.one_copy_per_file

GROCERY = "p.subscribe_eligible AND s.is_first_party AND o.quantity >= 20"


async def _subscription_cart(db, buyer, item, frequency):
    cart_id = await cart(db, buyer, [])
    async with UnitOfWork(db) as uow:
        await carts.add_cart_lines(uow.session, buyer, cart_id, None,
                                   [carts.LineRequest(item["id"], 2, frequency)], LIMITS)
        await uow.commit()
    return cart_id


async def test_a_subscription_line_is_discounted_delivered_free_and_placing_the_order_subscribes(
        writable_database, provider, now):
    db = writable_database
    now.set(datetime(2028, 1, 31, 15, 0, tzinfo=UTC))
    coffee = await offer(db, GROCERY)
    buyer = await customer(db)
    cart_id = await _subscription_cart(db, buyer, coffee, 1)

    view = await view_as(db, cart_id, None)
    [line] = view.lines
    discounted = coffee["price_minor"] - (coffee["price_minor"] * 15 + 50) // 100
    assert (line.subscription_frequency_months, line.unit_price.minor) == (1, discounted)
    assert view.totals.delivery.minor == 0

    order_id = await place(db, provider, buyer, cart_id)

    [sub] = await fetch(db, "SELECT offer_id, quantity, frequency_months, next_delivery_date, status::text AS status,"
                            " payment_method_id FROM subscriptions WHERE account_id = $1", buyer.account_id)
    assert (sub["offer_id"], sub["quantity"], sub["frequency_months"], sub["next_delivery_date"], sub["status"]) == (
        coffee["id"], 2, 1, date(2028, 2, 29), "ACTIVE")
    assert "pm_" in sub["payment_method_id"]
    assert await fetchval(db, "SELECT subtotal_minor FROM orders WHERE id = $1", order_id) == 2 * discounted

    # The scheduler places the next delivery with the saved card, on Feb 29.
    now.set(datetime(2028, 2, 29, 6, 0, tzinfo=UTC))
    assert (await deliver(db, provider)).placed == 1
    assert await fetchval(db, "SELECT count(*) FROM orders WHERE account_id = $1", buyer.account_id) == 2


@pytest.mark.parametrize("frequency, code", [(0, "INVALID_FREQUENCY"), (7, "INVALID_FREQUENCY")])
async def test_a_frequency_outside_one_to_six_months_is_refused(writable_database, now, frequency, code):
    db = writable_database
    coffee = await offer(db, GROCERY)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [])
    before = await state(db)

    with pytest.raises(DomainError) as refused:
        async with UnitOfWork(db) as uow:
            await carts.add_cart_lines(uow.session, buyer, cart_id, None,
                                       [carts.LineRequest(coffee["id"], 1, frequency)], LIMITS)
    assert (refused.value.code, refused.value.field) == (code, ["input", "lines", "0", "subscription",
                                                                "frequencyMonths"])
    assert await state(db) == before


async def test_a_subscription_to_an_ineligible_product_is_refused(writable_database, now):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [])
    before = await state(db)

    with pytest.raises(DomainError) as refused:
        async with UnitOfWork(db) as uow:
            await carts.add_cart_lines(uow.session, buyer, cart_id, None,
                                       [carts.LineRequest(book["id"], 1, 1)], LIMITS)
    assert (refused.value.code, refused.value.field) == ("NOT_SUBSCRIBE_ELIGIBLE", ["input", "lines", "0",
                                                                                    "subscription"])
    assert await state(db) == before


async def test_a_line_turned_back_into_a_one_time_purchase_subscribes_nothing(writable_database, provider, now):
    db = writable_database
    coffee = await offer(db, GROCERY)
    buyer = await customer(db)
    cart_id = await _subscription_cart(db, buyer, coffee, 2)
    line_id = await fetchval(db, "SELECT id FROM cart_lines WHERE cart_id = $1", cart_id)
    async with UnitOfWork(db) as uow:
        await carts.update_cart_lines(uow.session, buyer, cart_id, None, [carts.LineChange(line_id, 1, None)], LIMITS)
        await uow.commit()

    await place(db, provider, buyer, cart_id)

    assert await fetchval(db, "SELECT count(*) FROM subscriptions WHERE account_id = $1", buyer.account_id) == 0
