"""A customer cancels a pre-ordered line before its release even after the rest of the order
shipped: the line is never charged, its stock goes back, the shipments still add up to the
order, its share of the payment is released, and a refused call changes nothing."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from domain.orders import service as orders
from domain.orders import settlement
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal
from tests.fixtures.customer_service import committed, new_admin, new_customer, ship, snapshot
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

RELEASE = datetime.now(UTC).date() + timedelta(days=20)
REASON = "Found it elsewhere"


async def _three_offers_of_one_seller(db) -> list[dict]:
    """A third-party seller's three MERCHANT-shipped offers of three products."""
    rows = await fetch(db, """
        SELECT o.id, o.seller_id, o.product_id, o.price_minor, o.quantity FROM offers o
        JOIN products p ON p.id = o.product_id JOIN sellers s ON s.id = o.seller_id
        WHERE NOT s.is_first_party AND o.fulfilment = 'MERCHANT' AND p.kind = 'PHYSICAL' AND o.quantity >= 20
          AND o.archived_at IS NULL AND p.archived_at IS NULL AND s.standing <> 'SUSPENDED'
          AND o.seller_id = (SELECT seller_id FROM offers WHERE fulfilment = 'MERCHANT' AND quantity >= 20
                             AND archived_at IS NULL GROUP BY seller_id HAVING count(*) >= 3 ORDER BY seller_id
                             LIMIT 1)
        ORDER BY o.id LIMIT 3""")
    assert len(rows) == 3
    return [dict(r) for r in rows]


async def _order_with_preorders(db):
    """An order of one item out now and two pre-ordered items (one shipment awaiting their
    release), taxed at 10%."""
    released, first, second = await _three_offers_of_one_seller(db)
    await execute(db, "UPDATE products SET release_date = $1 WHERE id = ANY($2::bigint[])", RELEASE,
                  [first["product_id"], second["product_id"]])
    customer = await new_customer(db)
    placed = await placed_order(db, customer.account_id, [(released["id"], 1), (first["id"], 2), (second["id"], 1)],
                                tax_bp=1000)
    shipments = {r["status"]: r["id"] for r in await fetch(
        db, "SELECT id, status::text AS status FROM shipments WHERE order_id = $1", placed.id)}
    assert set(shipments) == {"PENDING", "AWAITING_RELEASE"}
    lines = {r["offer_id"]: r["id"] for r in await fetch(db, "SELECT id, offer_id FROM order_lines WHERE order_id = $1",
                                                         placed.id)}
    return customer, placed, shipments, lines, (released, first, second)


async def _amounts_add_up(db, order_id: int) -> None:
    [order] = await fetch(db, "SELECT subtotal_minor, delivery_minor, tax_minor FROM orders WHERE id = $1", order_id)
    [sums] = await fetch(db, "SELECT sum(subtotal_minor) AS subtotal_minor, sum(delivery_minor) AS delivery_minor,"
                             " sum(tax_minor) AS tax_minor FROM shipments WHERE order_id = $1", order_id)
    assert dict(order) == dict(sums)
    lines = await fetch(db, "SELECT s.id, s.subtotal_minor, s.tax_minor, sum(l.line_total_minor) AS lines_total,"
                            " sum(l.tax_minor) AS lines_tax FROM shipments s JOIN order_lines l ON l.shipment_id = s.id"
                            " WHERE s.order_id = $1 GROUP BY s.id", order_id)
    for shipment in lines:
        assert (shipment["subtotal_minor"], shipment["tax_minor"]) == (shipment["lines_total"], shipment["lines_tax"])


@pytest.mark.own_copy
async def test_a_pre_order_line_is_cancelled_after_the_rest_of_the_order_shipped(writable_database, provider):
    db = writable_database
    customer, placed, shipments, lines, (released, first, second) = await _order_with_preorders(db)
    await ship(db, provider, [shipments["PENDING"]])
    assert await fetchval(db, "SELECT status::text FROM orders WHERE id = $1", placed.id) == "PARTIALLY_SHIPPED"
    with pytest.raises(DomainError) as whole_order:
        await committed(db, lambda s: orders.cancel_order(s, customer, provider, placed.id, REASON))
    assert whole_order.value.code == "ORDER_NOT_CANCELLABLE"
    captured = await fetchval(db, "SELECT captured_minor FROM payments WHERE id = $1", placed.payment_id)
    waiting = shipments["AWAITING_RELEASE"]
    [before] = await fetch(db, "SELECT subtotal_minor, tax_minor, delivery_minor FROM shipments WHERE id = $1", waiting)

    # One of two pre-ordered lines: it leaves for a cancelled shipment of its own.
    assert await committed(db, lambda s: orders.cancel_preorder_line(
        s, customer, provider, lines[first["id"]], REASON)) == placed.id
    moved = await fetchval(db, "SELECT shipment_id FROM order_lines WHERE id = $1", lines[first["id"]])
    [split] = await fetch(db, "SELECT status::text AS status, subtotal_minor, tax_minor, delivery_minor, captured_minor,"
                              " release_date, seller_id FROM shipments WHERE id = $1", moved)
    first_total, first_tax = 2 * first["price_minor"], (2 * first["price_minor"] * 1000 + 5000) // 10000
    assert dict(split) == {"status": "CANCELLED", "subtotal_minor": first_total, "tax_minor": first_tax,
                           "delivery_minor": 0, "captured_minor": 0, "release_date": RELEASE,
                           "seller_id": first["seller_id"]}
    [kept] = await fetch(db, "SELECT status::text AS status, subtotal_minor, tax_minor, delivery_minor FROM shipments"
                             " WHERE id = $1", waiting)
    assert dict(kept) == {"status": "AWAITING_RELEASE", "subtotal_minor": before["subtotal_minor"] - first_total,
                          "tax_minor": before["tax_minor"] - first_tax, "delivery_minor": before["delivery_minor"]}
    await _amounts_add_up(db, placed.id)
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", first["id"]) == first["quantity"]
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", second["id"]) == second["quantity"] - 1
    payment = (await fetch(db, "SELECT captured_minor, voided_minor, refunded_minor FROM payments WHERE id = $1",
                           placed.payment_id))[0]
    assert tuple(payment) == (captured, 0, 0)  # never charged; the rest still waits to ship
    [event] = await fetch(db, "SELECT kind, shipment_id, actor_account_id FROM order_events WHERE order_id = $1"
                              " AND kind = 'PREORDER_CANCELLED'", placed.id)
    assert tuple(event) == ("PREORDER_CANCELLED", moved, customer.account_id)
    [mail] = await fetch(db, "SELECT payload->'context'->>'items' FROM jobs WHERE payload->>'template' ="
                             " 'shipment_cancelled'")
    assert mail[0] == f"- 2 x {await fetchval(db, 'SELECT title FROM order_lines WHERE id = $1', lines[first['id']])}"

    # The last one: its shipment is cancelled, nothing waits any more, the rest of the hold is released.
    await committed(db, lambda s: orders.cancel_preorder_line(s, customer, provider, lines[second["id"]], REASON))
    assert await fetchval(db, "SELECT status::text FROM shipments WHERE id = $1", waiting) == "CANCELLED"
    assert await fetchval(db, "SELECT status::text FROM orders WHERE id = $1", placed.id) == "DELIVERED"
    payment = (await fetch(db, "SELECT captured_minor, voided_minor, refunded_minor FROM payments WHERE id = $1",
                           placed.payment_id))[0]
    assert tuple(payment) == (captured, placed.total_minor - captured, 0)
    await _amounts_add_up(db, placed.id)

    after = await snapshot(db)
    await committed(db, lambda s: orders.cancel_preorder_line(s, customer, provider, lines[second["id"]], REASON))
    assert await committed(db, lambda s: orders.release_due_preorders(s, provider, RELEASE)) == 0
    assert await snapshot(db) == after


async def test_only_the_orders_customer_cancels_only_an_unreleased_line(writable_database, provider):
    db = writable_database
    customer, placed, shipments, lines, (released, first, _) = await _order_with_preorders(db)
    stranger = await new_customer(db)
    staff = Principal(account_id=(await new_customer(db, "staff")).account_id,
                      seller_ids=frozenset({first["seller_id"]}))
    before = await snapshot(db)

    for who in (stranger, staff):
        with pytest.raises(NotFound):
            await committed(db, lambda s, p=who: orders.cancel_preorder_line(s, p, provider, lines[first["id"]],
                                                                               REASON))
    with pytest.raises(NotFound):
        await committed(db, lambda s: orders.cancel_preorder_line(s, customer, provider, 10**12, REASON))
    for line_id, reason, code in ((lines[first["id"]], "  ", "REASON_REQUIRED"),
                                  (lines[released["id"]], REASON, "LINE_NOT_CANCELLABLE")):
        with pytest.raises(DomainError) as refused:
            await committed(db, lambda s, i=line_id, r=reason: orders.cancel_preorder_line(s, customer, provider, i,
                                                                                             r))
        assert (refused.value.code, refused.value.field) == (code, ["input", "reason"] if code == "REASON_REQUIRED"
                                                             else ["input", "orderLineId"])
    assert "PENDING" in refused.value.message
    assert await snapshot(db) == before

    admin = await new_admin(db)
    await committed(db, lambda s: orders.cancel_preorder_line(s, admin, provider, lines[first["id"]], REASON))
    assert await fetchval(db, "SELECT count(*) FROM shipments WHERE order_id = $1 AND status = 'CANCELLED'",
                          placed.id) == 1


async def test_a_shipment_awaiting_its_release_cannot_be_charged(writable_database, provider):
    db = writable_database
    _, placed, shipments, _, _ = await _order_with_preorders(db)
    before = await snapshot(db)
    with pytest.raises(IntegrityError) as refused:
        await committed(db, lambda s: settlement.capture_shipment(s, provider, shipments["AWAITING_RELEASE"]))
    assert "ck_shipments_awaiting_release_not_captured" in str(refused.value)
    assert await snapshot(db, ("shipments", "payments", "order_events")) == {
        table: before[table] for table in ("shipments", "payments", "order_events")}
