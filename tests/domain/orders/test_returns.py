"""Return requests: who may ask, which lines and how many units, the return window, and a wrong
item's free replacement with its stock and the catalogue flag; every refusal changes nothing."""
from datetime import UTC, datetime, timedelta

import pytest

from domain.orders import service as orders
from domain.shared.errors import DomainError, Unauthenticated
from domain.shared.principal import ANONYMOUS, Principal
from tests.api.carts.helpers import KINDLE, offer
from tests.domain.orders.test_refunds import THIRD_PARTY
from tests.fixtures.customer_service import committed, new_admin, new_customer, ship, snapshot
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file


def _lines(*pairs) -> list:
    return [orders.ReturnLineRequest(line_id, quantity) for line_id, quantity in pairs]


def _ask(provider, principal, order_id, lines, reason="DAMAGED", comment="", window=None):
    return lambda s: orders.request_return(s, principal, provider, order_id, reason, comment, lines,
                                             return_window_days=window)


async def _refused(db, use_case) -> str:
    before = await snapshot(db)
    with pytest.raises(DomainError) as refused:
        await committed(db, use_case)
    assert await snapshot(db) == before
    return refused.value.code


async def _delivered(db, provider, quantity=3, **ship_args):
    customer = await new_customer(db)
    book = await offer(db, THIRD_PARTY)
    placed = await placed_order(db, customer.account_id, [(book["id"], quantity)])
    await ship(db, provider, placed.shipment_ids, **ship_args)
    return customer, placed, book


@pytest.mark.own_copy
async def test_the_customer_asks_to_return_delivered_units(writable_database, provider):
    db = writable_database
    customer, placed, _ = await _delivered(db, provider)
    line_id = placed.line_ids[0]
    request = await committed(db, _ask(provider, customer, placed.id, _lines((line_id, 2)), comment="Torn pages"))
    assert (request.status, request.reason, request.comment) == ("REQUESTED", "DAMAGED", "Torn pages")
    assert [(r.order_line_id, r.quantity) for r in request.lines] == [(line_id, 2)]
    assert request.account_id == customer.account_id and request.replacement_shipment_id is None
    events = await fetch(db, "SELECT kind FROM order_events WHERE order_id = $1 ORDER BY id DESC LIMIT 1", placed.id)
    assert events[0]["kind"] == "RETURN_REQUESTED"
    mail = await fetch(db, "SELECT payload->'context'->>'itemCount' FROM jobs WHERE payload->>'template' ="
                           " 'return_requested'")
    assert [m[0] for m in mail] == ["2"]
    # Nothing is paid back, and no unit counts as returned, until the request is accepted.
    assert await fetchval(db, "SELECT returned_quantity FROM order_lines WHERE id = $1", line_id) == 0
    assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE id = $1", placed.payment_id) == 0
    # Units in an open request are taken: 1 is left of 3.
    code = await _refused(db, _ask(provider, customer, placed.id, _lines((line_id, 2))))
    assert code == "RETURN_QUANTITY_EXCEEDED"
    await committed(db, _ask(provider, customer, placed.id, _lines((line_id, 1))))


async def test_only_the_customer_or_an_administrator_asks(writable_database, provider):
    db = writable_database
    customer, placed, _ = await _delivered(db, provider)
    stranger = await new_customer(db, "stranger")
    staff = Principal(account_id=stranger.account_id, seller_ids=frozenset({2}))
    lines = _lines((placed.line_ids[0], 1))
    assert await _refused(db, _ask(provider, stranger, placed.id, lines)) == "NOT_FOUND"
    assert await _refused(db, _ask(provider, staff, placed.id, lines)) == "NOT_FOUND"
    before = await snapshot(db)
    with pytest.raises(Unauthenticated):
        await committed(db, _ask(provider, ANONYMOUS, placed.id, lines))
    assert await snapshot(db) == before
    admin = await new_admin(db)
    made = await committed(db, _ask(provider, admin, placed.id, lines))
    assert made.account_id == customer.account_id


async def test_lines_must_be_the_orders_physical_and_shipped(writable_database, provider):
    db = writable_database
    customer = await new_customer(db)
    book, ebook = await offer(db, THIRD_PARTY), await offer(db, KINDLE)
    placed = await placed_order(db, customer.account_id, [(book["id"], 2), (ebook["id"], 1)])
    physical, digital = placed.line_ids
    other = await placed_order(db, customer.account_id, [(book["id"], 1)])
    assert await _refused(db, _ask(provider, customer, placed.id, _lines((physical, 1)))) == "NOT_RETURNABLE"
    assert await _refused(db, _ask(provider, customer, placed.id, _lines((digital, 1)))) == "NOT_RETURNABLE"
    assert await _refused(db, _ask(provider, customer, placed.id, _lines((other.line_ids[0], 1)))) == "NOT_FOUND"
    physical_shipment = await fetchval(db, "SELECT shipment_id FROM order_lines WHERE id = $1", physical)
    await ship(db, provider, [physical_shipment], status="SHIPPED")
    for lines, code in ((_lines((physical, 0)), "INVALID_QUANTITY"), (_lines((physical, 3)),
                                                                      "RETURN_QUANTITY_EXCEEDED"),
                        ([], "INVALID"), (_lines((physical, 1), (physical, 1)), "INVALID")):
        assert await _refused(db, _ask(provider, customer, placed.id, lines)) == code
    assert await _refused(db, _ask(provider, customer, placed.id, _lines((physical, 1)), reason="BORED")) == "INVALID"
    # Shipped and on its way: its window has not started.
    await committed(db, _ask(provider, customer, placed.id, _lines((physical, 2))))


async def test_returns_close_30_days_after_delivery(writable_database, provider):
    db = writable_database
    delivered = datetime.now(UTC) - timedelta(days=31)
    customer, placed, _ = await _delivered(db, provider, delivered_at=delivered)
    lines = _lines((placed.line_ids[0], 1))
    assert await _refused(db, _ask(provider, customer, placed.id, lines)) == "RETURN_WINDOW_CLOSED"
    # The window is a setting.
    await committed(db, _ask(provider, customer, placed.id, lines, window=45))


async def test_a_wrong_item_ships_a_free_replacement_and_flags_the_product(writable_database, provider):
    db = writable_database
    customer, placed, book = await _delivered(db, provider, quantity=2)
    line_id, shipment_id = placed.line_ids[0], placed.shipment_ids[0]
    stock_before = await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", book["id"])
    request = await committed(db, _ask(provider, customer, placed.id, _lines((line_id, 2)), reason="WRONG_ITEM",
                                       comment="Got a cookbook"))
    replacement = (await fetch(db, "SELECT * FROM shipments WHERE id = $1", request.replacement_shipment_id))[0]
    original = (await fetch(db, "SELECT * FROM shipments WHERE id = $1", shipment_id))[0]
    assert replacement["status"] == "PENDING" and replacement["replacement_for_id"] == shipment_id
    assert [replacement[k] for k in ("seller_id", "fulfilment", "delivery_option", "kind")] == [
        original[k] for k in ("seller_id", "fulfilment", "delivery_option", "kind")]
    assert (replacement["subtotal_minor"], replacement["delivery_minor"], replacement["tax_minor"]) == (0, 0, 0)
    new_lines = await fetch(db, "SELECT offer_id, quantity, unit_price_minor, line_total_minor, tax_minor"
                                " FROM order_lines WHERE shipment_id = $1", replacement["id"])
    assert [tuple(r) for r in new_lines] == [(book["id"], 2, 0, 0, 0)]
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", book["id"]) == stock_before - 2
    flags = await fetch(db, "SELECT product_id, source, reference, reported_by, resolved_at FROM product_review_flags")
    assert [tuple(f) for f in flags] == [(book["product_id"], "WRONG_ITEM", f"order-line:{line_id}",
                                          customer.account_id, None)]
    kinds = [r[0] for r in await fetch(db, "SELECT kind FROM order_events WHERE order_id = $1 ORDER BY id",
                                       placed.id)]
    assert kinds[-2:] == ["RETURN_REQUESTED", "REPLACEMENT_CREATED"]
    assert await fetchval(db, "SELECT status::text FROM orders WHERE id = $1", placed.id) == "PARTIALLY_SHIPPED"
    # Accepting it refunds the wrong item; the replacement stays free.
    admin = await new_admin(db)
    refunded = await committed(db, lambda s: orders.refund_return(s, admin, provider, request.id))
    assert refunded.refund.minor == 2 * book["price_minor"]


async def test_a_wrong_item_without_stock_for_the_replacement_is_refused_whole(writable_database, provider):
    db = writable_database
    customer, placed, book = await _delivered(db, provider, quantity=1)
    await execute(db, "UPDATE offers SET quantity = 0 WHERE id = $1", book["id"])
    code = await _refused(db, _ask(provider, customer, placed.id, _lines((placed.line_ids[0], 1)),
                                   reason="WRONG_ITEM"))
    assert code == "QUANTITY_UNAVAILABLE"
