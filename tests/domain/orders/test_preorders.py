"""Pre-order release: nothing is charged before the release; at release the lowest price the offer
had since the order is charged (a rise is not), the order's totals still add up, the shipment is
captured once however often the release runs, and the daily job keeps itself going."""
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.carts.pricing import round_half_up
from domain.orders import service as orders
from domain.shared.errors import Forbidden
from domain.shared.money import Money
from tests.api.carts.helpers import offer
from tests.domain.orders.test_refunds import THIRD_PARTY
from tests.fixtures.customer_service import committed, new_admin, new_customer, snapshot
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.jobs import worker
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file


def _utc_today() -> date:
    return datetime.now(UTC).date()


RELEASE = _utc_today() + timedelta(days=5)


async def _preorder(db, where: str = THIRD_PARTY, *, release: date = RELEASE, today: date | None = None,
                    quantity: int = 2, tax_bp: int = 825):
    customer = await new_customer(db)
    item = await offer(db, where)
    await execute(db, "UPDATE products SET release_date = $1 WHERE id = $2", release, item["product_id"])
    placed = await placed_order(db, customer.account_id, [(item["id"], quantity)], tax_bp=tax_bp, today=today)
    assert await fetchval(db, "SELECT status::text FROM shipments WHERE id = $1",
                          placed.shipment_ids[0]) == "AWAITING_RELEASE"
    return customer, placed, item


async def _price(db, offer_id: int, price_minor: int) -> None:
    """A price set now, as the offer's history records it (the history is append-only)."""
    await execute(db, "INSERT INTO offer_price_history (offer_id, price_minor, shipping_minor, currency, source)"
                      " VALUES ($1, $2, 0, 'USD', 'SELLER')", offer_id, price_minor)


async def _order_state(db, order_id: int) -> dict:
    order = (await fetch(db, "SELECT subtotal_minor, delivery_minor, tax_minor, discount_minor, total_minor,"
                             " status::text AS status FROM orders WHERE id = $1", order_id))[0]
    shipments = await fetch(db, "SELECT subtotal_minor, delivery_minor, tax_minor, captured_minor, status::text"
                                " AS status, shipped_at, delivered_at FROM shipments WHERE order_id = $1", order_id)
    lines = await fetch(db, "SELECT unit_price_minor, line_total_minor, tax_minor, quantity FROM order_lines"
                            " WHERE order_id = $1", order_id)
    return {"order": dict(order), "shipments": [dict(s) for s in shipments], "lines": [dict(line) for line in lines]}


@pytest.mark.own_copy
async def test_a_price_drop_before_release_is_charged_and_a_rise_is_not(writable_database, provider):
    db = writable_database
    _, placed, item = await _preorder(db)
    paid = item["price_minor"]
    assert await fetchval(db, "SELECT captured_minor FROM payments WHERE id = $1", placed.payment_id) == 0
    await _price(db, item["id"], paid - 300)
    await _price(db, item["id"], paid + 500)

    released = await committed(db, lambda s: orders.release_due_preorders(s, provider, RELEASE))
    assert released == 1
    state = await _order_state(db, placed.id)
    line = state["lines"][0]
    lowest = paid - 300
    placed_line_tax = round_half_up(paid * 2 * 825, 10_000)
    tax = round_half_up(placed_line_tax * lowest * 2, paid * 2)  # the line's own rate, on the lower total
    assert (line["unit_price_minor"], line["line_total_minor"], line["tax_minor"]) == (lowest, lowest * 2, tax)
    shipment = state["shipments"][0]
    assert (shipment["status"], shipment["subtotal_minor"], shipment["tax_minor"]) == ("PENDING", lowest * 2, tax)
    assert shipment["captured_minor"] == lowest * 2 + tax + shipment["delivery_minor"]
    order = state["order"]
    assert order["subtotal_minor"] == lowest * 2 and order["tax_minor"] == tax
    assert order["total_minor"] == (order["subtotal_minor"] + order["delivery_minor"] + order["tax_minor"]
                                    - order["discount_minor"])
    assert order["total_minor"] == placed.total_minor - 600 - (placed_line_tax - tax)
    assert await fetchval(db, "SELECT captured_minor FROM payments WHERE id = $1",
                          placed.payment_id) == order["total_minor"]
    # The seller's sale is the guaranteed price.
    assert await fetchval(db, "SELECT amount_minor FROM seller_ledger_entries WHERE kind = 'SALE' AND reference = $1",
                          f"order-line:{placed.line_ids[0]}") == lowest * 2
    events = await fetch(db, "SELECT kind, data FROM order_events WHERE order_id = $1 ORDER BY id", placed.id)
    kinds = [e["kind"] for e in events]
    assert "PRICE_GUARANTEE_APPLIED" in kinds and kinds[-1] == "RELEASED"
    mail = await fetch(db, "SELECT payload->'context'->>'amountPaid' FROM jobs WHERE payload->>'template' ="
                           " 'preorder_released'")
    assert [m[0] for m in mail] == [f"{Money(order['total_minor']).amount} USD"]


async def test_a_price_that_only_rose_charges_the_price_at_checkout(writable_database, provider):
    db = writable_database
    _, placed, item = await _preorder(db, tax_bp=0)
    await _price(db, item["id"], item["price_minor"] + 700)
    await committed(db, lambda s: orders.release_due_preorders(s, provider, RELEASE))
    state = await _order_state(db, placed.id)
    assert state["lines"][0]["unit_price_minor"] == item["price_minor"]
    assert state["order"]["total_minor"] == placed.total_minor
    assert await fetchval(db, "SELECT captured_minor FROM payments WHERE id = $1", placed.payment_id) == (
        placed.total_minor)
    kinds = [r[0] for r in await fetch(db, "SELECT kind FROM order_events WHERE order_id = $1", placed.id)]
    assert "PRICE_GUARANTEE_APPLIED" not in kinds


async def test_a_release_run_twice_captures_once_and_nothing_is_released_early(writable_database, provider):
    db = writable_database
    _, placed, item = await _preorder(db)
    before = await snapshot(db)
    assert await committed(db, lambda s: orders.release_due_preorders(s, provider, RELEASE - timedelta(days=1))) == 0
    assert await snapshot(db) == before
    assert await committed(db, lambda s: orders.release_due_preorders(s, provider, RELEASE)) == 1
    after_first = await snapshot(db)
    assert await committed(db, lambda s: orders.release_due_preorders(s, provider, RELEASE)) == 0
    assert await snapshot(db) == after_first
    captures = await fetch(db, "SELECT amount_minor FROM payment_transactions WHERE payment_id = $1"
                               " AND kind = 'CAPTURE'", placed.payment_id)
    assert [c[0] for c in captures] == [placed.total_minor]


async def test_a_digital_preorder_is_delivered_at_release(writable_database, provider):
    db = writable_database
    _, placed, _ = await _preorder(db, "p.format = 'KINDLE' AND o.price_minor > 100", quantity=1, tax_bp=0)
    await committed(db, lambda s: orders.release_due_preorders(s, provider, RELEASE))
    shipment = (await _order_state(db, placed.id))["shipments"][0]
    assert shipment["status"] == "DELIVERED" and shipment["delivered_at"] is not None
    assert shipment["captured_minor"] == placed.total_minor
    assert await fetchval(db, "SELECT status::text FROM orders WHERE id = $1", placed.id) == "DELIVERED"


async def test_only_administrators_release_on_demand(writable_database, provider):
    db = writable_database
    customer, placed, _ = await _preorder(db, release=_utc_today(), today=_utc_today() - timedelta(days=1))
    before = await snapshot(db)
    try:
        await committed(db, lambda s: orders.release_preorders_now(s, customer, provider))
    except Forbidden:
        pass
    else:
        raise AssertionError("a customer released pre-orders")
    assert await snapshot(db) == before
    admin = await new_admin(db)
    assert await committed(db, lambda s: orders.release_preorders_now(s, admin, provider)) == 1


async def test_the_daily_job_releases_what_is_due_and_queues_tomorrows_run(writable_database):
    db = writable_database
    today = datetime.now(UTC).date()
    _, placed, _ = await _preorder(db, release=today, today=today - timedelta(days=1))
    await committed(db, lambda s: orders.schedule_preorder_release(s))
    await committed(db, lambda s: orders.schedule_preorder_release(s))  # a second worker start: no second run
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = 'ordering.release_preorders'") == 1
    await worker(db).run_once()
    assert await fetchval(db, "SELECT status::text FROM shipments WHERE id = $1", placed.shipment_ids[0]) == "PENDING"
    jobs = await fetch(db, "SELECT status::text, dedupe_key, run_at FROM jobs WHERE kind = 'ordering.release_preorders'"
                           " ORDER BY id")
    assert [j["status"] for j in jobs] == ["DONE", "PENDING"]
    tomorrow = today + timedelta(days=1)
    assert jobs[1]["dedupe_key"] == f"ordering.release_preorders@{tomorrow.isoformat()}"
    assert jobs[1]["run_at"] == datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=UTC)
