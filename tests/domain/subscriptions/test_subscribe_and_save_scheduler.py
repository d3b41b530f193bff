"""The Subscribe & Save scheduler places each due delivery exactly once: run twice, run
concurrently on separate connections, killed halfway, or down for days."""
import asyncio
from datetime import UTC, date, datetime

import pytest

from domain.subscriptions import service as subscriptions
from tests.fixtures import chaos
from tests.fixtures.checkout import PLATFORM_BOOK, customer, offer, offers
from tests.fixtures.customer_service import ship
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.subscribe_and_save import (
    SETTINGS,
    deliver,
    deliveries,
    email_templates,
    next_date,
    orders_of,
    provider_charges,
    subscribe,
)

pytestmark = pytest.mark.one_copy_per_file


def _discounted(price_minor: int, percent: int = 15) -> int:
    off = (price_minor * percent * 100 * 2 + 10_000) // 20_000  # half-up
    return price_minor - off


@pytest.mark.own_copy
async def test_a_due_delivery_is_placed_once_at_the_discount_with_free_delivery_and_the_date_advances(
        writable_database, provider, now):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    sub = await subscribe(db, provider, buyer.account_id, book, quantity=2, first=date(2027, 3, 10))
    assert await next_date(db, sub) == date(2027, 4, 10)
    stock = book["quantity"]

    now.set(datetime(2027, 4, 9, 23, 0, tzinfo=UTC))
    assert (await deliver(db, provider)).placed == 0
    now.set(datetime(2027, 4, 10, 6, 0, tzinfo=UTC))
    first = await deliver(db, provider)
    second = await deliver(db, provider)

    assert (first.orders, first.placed, second.orders, second.placed) == (1, 1, 0, 0)
    [order] = await orders_of(db, buyer.account_id)
    unit = _discounted(book["price_minor"])
    assert (order["cart_id"], order["subtotal_minor"], order["delivery_minor"]) == (None, 2 * unit, 0)
    assert await deliveries(db, sub) == [{"due_date": date(2027, 4, 10), "outcome": "PLACED", "order_id": order["id"],
                                          "unit_price_minor": unit, "reason": None}]
    assert await next_date(db, sub) == date(2027, 5, 10)
    assert [c["outcome"] for c in await provider_charges(db, buyer.account_id)] == ["SUCCEEDED"]
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", book["id"]) == stock - 2
    assert await fetchval(db, "SELECT status::text FROM payments WHERE order_id = $1", order["id"]) == "CAPTURED"

    # Charged in full when placed: shipping it captures nothing more and records the sale.
    [shipment] = await fetch(db, "SELECT id FROM shipments WHERE order_id = $1", order["id"])
    await ship(db, provider, [shipment["id"]])
    assert await fetchval(db, "SELECT count(*) FROM test_provider_operations WHERE kind = 'CAPTURE'") == 1
    assert await fetchval(db, "SELECT count(*) FROM seller_ledger_entries WHERE order_id = $1", order["id"]) > 0


async def test_a_customers_deliveries_of_one_day_are_one_order(writable_database, provider, now):
    db = writable_database
    first, other = await offers(db, PLATFORM_BOOK, limit=2)
    buyer = await customer(db)
    subs = [await subscribe(db, provider, buyer.account_id, o, first=date(2027, 3, 10)) for o in (first, other)]
    now.set(datetime(2027, 4, 10, 6, 0, tzinfo=UTC))

    stats = await deliver(db, provider)

    assert (stats.orders, stats.placed) == (1, 2)
    [order] = await orders_of(db, buyer.account_id)
    assert {d["order_id"] for s in subs for d in await deliveries(db, s)} == {order["id"]}
    assert await fetchval(db, "SELECT count(*) FROM order_lines WHERE order_id = $1", order["id"]) == 2


async def test_schedulers_racing_on_separate_connections_place_one_order_per_customer_and_day(
        writable_database, provider, now):
    db = writable_database
    first, other = await offers(db, PLATFORM_BOOK, limit=2)
    buyers = [await customer(db) for _ in range(4)]
    subs = {b.account_id: [await subscribe(db, provider, b.account_id, o, first=date(2027, 3, 10))
                           for o in (first, other)] for b in buyers}
    now.set(datetime(2027, 4, 10, 6, 0, tzinfo=UTC))

    results = await asyncio.gather(*(deliver(db, provider) for _ in range(5)))

    assert sum(r.orders for r in results) == 4
    assert sum(r.placed for r in results) == 8
    for buyer in buyers:
        assert len(await orders_of(db, buyer.account_id)) == 1
        assert len(await provider_charges(db, buyer.account_id)) == 1
        for sub in subs[buyer.account_id]:
            assert [d["outcome"] for d in await deliveries(db, sub)] == ["PLACED"]
            assert await next_date(db, sub) == date(2027, 5, 10)


async def test_a_scheduler_killed_after_the_charge_leaves_nothing_and_the_rerun_charges_once(
        writable_database, provider, now):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    sub = await subscribe(db, provider, buyer.account_id, book, first=date(2027, 3, 10))
    now.set(datetime(2027, 4, 10, 6, 0, tzinfo=UTC))

    killed = await chaos.kill_when_blocked(db.url, "LOCK TABLE subscription_deliveries IN SHARE MODE",
                                           run=lambda: deliver(db, provider))

    assert killed.error is not None
    assert await orders_of(db, buyer.account_id) == []
    assert await deliveries(db, sub) == []
    assert await next_date(db, sub) == date(2027, 4, 10)
    # The provider charged before the crash, and keeps it (as a real one would).
    assert len(await provider_charges(db, buyer.account_id)) == 1

    assert (await deliver(db, provider)).placed == 1

    assert len(await provider_charges(db, buyer.account_id)) == 1
    assert len(await orders_of(db, buyer.account_id)) == 1
    assert await next_date(db, sub) == date(2027, 5, 10)


async def test_a_scheduler_down_for_three_days_catches_up_without_placing_a_period_twice(
        writable_database, provider, now):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    sub = await subscribe(db, provider, buyer.account_id, book, first=date(2027, 3, 10))

    now.set(datetime(2027, 4, 13, 6, 0, tzinfo=UTC))
    caught_up = await deliver(db, provider)
    now.set(datetime(2027, 4, 14, 6, 0, tzinfo=UTC))
    next_day = await deliver(db, provider)

    assert (caught_up.placed, next_day.placed) == (1, 0)
    assert [d["due_date"] for d in await deliveries(db, sub)] == [date(2027, 4, 10)]
    assert await next_date(db, sub) == date(2027, 5, 10)
    assert len(await orders_of(db, buyer.account_id)) == 1


@pytest.mark.own_copy
async def test_month_end_subscriptions_deliver_on_the_last_day_and_return_to_their_day(
        writable_database, provider, now):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    sub = await subscribe(db, provider, buyer.account_id, book, first=date(2028, 1, 31))
    assert await next_date(db, sub) == date(2028, 2, 29)

    now.set(datetime(2028, 2, 29, 6, 0, tzinfo=UTC))
    assert (await deliver(db, provider)).placed == 1
    assert await next_date(db, sub) == date(2028, 3, 31)


async def test_an_out_of_stock_delivery_is_skipped_with_an_email_and_the_rest_of_the_day_is_placed(
        writable_database, provider, now):
    db = writable_database
    gone, kept = await offers(db, PLATFORM_BOOK, limit=2)
    buyer = await customer(db)
    skipped = await subscribe(db, provider, buyer.account_id, gone, first=date(2027, 3, 10))
    placed = await subscribe(db, provider, buyer.account_id, kept, first=date(2027, 3, 10))
    await execute(db, "UPDATE offers SET quantity = 0 WHERE id = $1", gone["id"])
    now.set(datetime(2027, 4, 10, 6, 0, tzinfo=UTC))

    stats = await deliver(db, provider)

    assert (stats.orders, stats.placed, stats.skipped) == (1, 1, 1)
    [order] = await orders_of(db, buyer.account_id)
    assert [(d["outcome"], d["order_id"], d["reason"]) for d in await deliveries(db, skipped)] == [
        ("SKIPPED", None, "the product is out of stock.")]
    assert [d["order_id"] for d in await deliveries(db, placed)] == [order["id"]]
    assert [r["offer_id"] for r in await fetch(db, "SELECT offer_id FROM order_lines WHERE order_id = $1",
                                               order["id"])] == [kept["id"]]
    assert await next_date(db, skipped) == date(2027, 5, 10)
    assert "subscribe_delivery_skipped" in await email_templates(db)


@pytest.mark.own_copy
async def test_a_withdrawn_offer_skips_the_delivery_and_places_nothing(writable_database, provider, now):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    sub = await subscribe(db, provider, buyer.account_id, book, first=date(2027, 3, 10))
    await execute(db, "UPDATE offers SET archived_at = now() WHERE id = $1", book["id"])
    now.set(datetime(2027, 4, 10, 6, 0, tzinfo=UTC))

    stats = await deliver(db, provider)

    assert (stats.orders, stats.skipped) == (0, 1)
    assert await orders_of(db, buyer.account_id) == []
    assert await provider_charges(db, buyer.account_id) == []
    assert [d["reason"] for d in await deliveries(db, sub)] == ["the product is no longer offered."]


@pytest.mark.own_copy
async def test_the_reminder_states_the_price_and_the_delivery_is_never_charged_more(writable_database, provider, now):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    sub = await subscribe(db, provider, buyer.account_id, book, first=date(2027, 3, 10))
    reminded_unit = _discounted(book["price_minor"])

    now.set(datetime(2027, 4, 5, 6, 0, tzinfo=UTC))
    stats = await deliver(db, provider)
    again = await deliver(db, provider)
    assert (stats.reminded, again.reminded) == (1, 0)
    assert await email_templates(db) == ["subscribe_reminder"]
    assert await fetchval(db, "SELECT reminded_price_minor FROM subscriptions WHERE id = $1", sub) == reminded_unit

    await execute(db, "UPDATE offers SET price_minor = price_minor * 2 WHERE id = $1", book["id"])
    now.set(datetime(2027, 4, 10, 6, 0, tzinfo=UTC))
    await deliver(db, provider)

    [order] = await orders_of(db, buyer.account_id)
    assert order["subtotal_minor"] == reminded_unit


async def test_a_price_drop_after_the_reminder_is_charged_the_lower_price(writable_database, provider, now):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    await subscribe(db, provider, buyer.account_id, book, first=date(2027, 3, 10))
    now.set(datetime(2027, 4, 5, 6, 0, tzinfo=UTC))
    await deliver(db, provider)

    await execute(db, "UPDATE offers SET price_minor = price_minor - 100 WHERE id = $1", book["id"])
    now.set(datetime(2027, 4, 10, 6, 0, tzinfo=UTC))
    await deliver(db, provider)

    [order] = await orders_of(db, buyer.account_id)
    assert order["subtotal_minor"] == _discounted(book["price_minor"] - 100)


async def test_the_tiered_rule_gives_the_full_discount_from_five_subscriptions_arriving_the_same_day(
        writable_database, provider, now):
    db = writable_database
    books = await offers(db, PLATFORM_BOOK, limit=5)
    few, many = await customer(db), await customer(db)
    await subscribe(db, provider, few.account_id, books[0], first=date(2027, 3, 10))
    for book in books:
        await subscribe(db, provider, many.account_id, book, first=date(2027, 3, 10))
    tiered = SETTINGS.model_copy(update={"subscribe_tiered": True})
    now.set(datetime(2027, 4, 10, 6, 0, tzinfo=UTC))

    await deliver(db, provider, tiered)

    [few_order] = await orders_of(db, few.account_id)
    [many_order] = await orders_of(db, many.account_id)
    assert few_order["subtotal_minor"] == _discounted(books[0]["price_minor"], 5)
    assert many_order["subtotal_minor"] == sum(_discounted(b["price_minor"], 15) for b in books)
    assert subscriptions.subscribe_discount_percent(tiered, 4) == 5
