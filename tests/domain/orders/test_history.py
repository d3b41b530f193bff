"""An order's status follows its shipments, and a delivered e-book or stream is not a shipment
that left: an all-digital order is DELIVERED at once, a mixed one reads by its physical parts."""
import importlib.util
from pathlib import Path

import pytest

from domain.orders import service as orders
from domain.orders.history import derive_status
from tests.fixtures.checkout import (
    KINDLE,
    MERCHANT_GOODS,
    PLATFORM_BOOK,
    cart,
    customer,
    offer,
    offers,
    place,
)
from tests.fixtures.customer_service import committed, new_admin
from tests.fixtures.db import execute, fetch, fetchval

pytestmark = pytest.mark.one_copy_per_file

D, P = "DIGITAL", "PHYSICAL"


@pytest.mark.parametrize(("shipments", "status"), [
    ([(D, "DELIVERED")], "DELIVERED"),
    ([(D, "DELIVERED"), (P, "PENDING")], "PLACED"),
    ([(D, "DELIVERED"), (D, "AWAITING_RELEASE")], "PLACED"),
    ([(D, "DELIVERED"), (P, "AWAITING_RELEASE"), (P, "PENDING")], "PLACED"),
    ([(D, "DELIVERED"), (P, "SHIPPED"), (P, "PENDING")], "PARTIALLY_SHIPPED"),
    ([(D, "DELIVERED"), (P, "SHIPPED")], "SHIPPED"),
    ([(D, "DELIVERED"), (P, "SHIPPED"), (P, "DELIVERED")], "SHIPPED"),
    ([(D, "DELIVERED"), (P, "DELIVERED")], "DELIVERED"),
    ([(D, "DELIVERED"), (P, "CANCELLED")], "DELIVERED"),
    ([(P, "SHIPPED"), (D, "AWAITING_RELEASE")], "PARTIALLY_SHIPPED"),
    ([(P, "PENDING"), (P, "DELIVERED")], "PARTIALLY_SHIPPED"),
    ([(P, "PENDING")], "PLACED"),
    ([(P, "CANCELLED"), (D, "CANCELLED")], "CANCELLED"),
    ([], "PLACED"),
])
def test_the_status_reads_by_the_parts_still_to_come(shipments, status):
    assert derive_status(shipments) == status


async def test_an_all_digital_order_is_delivered_when_placed(writable_database, provider):
    db = writable_database
    ebook = await offer(db, KINDLE)
    buyer = await customer(db)
    order_id = await place(db, provider, buyer, await cart(db, buyer, [(ebook["id"], 1)]))

    assert await fetchval(db, "SELECT status::text FROM orders WHERE id = $1", order_id) == "DELIVERED"
    assert await fetchval(db, "SELECT count(*) FROM licences WHERE account_id = $1", buyer.account_id) == 1


async def test_a_mixed_order_reads_by_its_physical_shipment(writable_database, provider):
    db = writable_database
    book, ebook = await offer(db, PLATFORM_BOOK), await offer(db, KINDLE)
    buyer = await customer(db)
    order_id = await place(db, provider, buyer, await cart(db, buyer, [(book["id"], 1), (ebook["id"], 1)]))
    status = "SELECT status::text FROM orders WHERE id = $1"
    assert await fetchval(db, status, order_id) == "PLACED"  # the e-book is in the library; nothing has left

    parcel = await fetchval(db, "SELECT id FROM shipments WHERE order_id = $1 AND kind = 'PHYSICAL'", order_id)
    admin = await new_admin(db)
    await committed(db, lambda s: orders.mark_shipped(s, admin, provider, parcel, "UPS", "1Z1"))
    assert await fetchval(db, status, order_id) == "SHIPPED"
    await committed(db, lambda s: orders.mark_delivered(s, admin, parcel))
    assert await fetchval(db, status, order_id) == "DELIVERED"


def _status_fix():
    path = next(Path(__file__).resolve().parents[3].glob(
        "migrations/versions/*_orders_status_without_digital_as_shipped.py"))
    spec = importlib.util.spec_from_file_location("status_fix", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_the_migration_re_derives_orders_stored_with_the_old_rule(writable_database, provider):
    db = writable_database
    # Two e-books: a customer never buys the same title twice.
    book, (ebook, other_ebook) = await offer(db, PLATFORM_BOOK), await offers(db, KINDLE, 2)
    buyer = await customer(db)
    goods = await offer(db, MERCHANT_GOODS)
    buyer = await customer(db)
    mixed = await place(db, provider, buyer, await cart(db, buyer, [(book["id"], 1), (ebook["id"], 1)]))
    partly = await place(db, provider, buyer, await cart(db, buyer, [(book["id"], 1), (goods["id"], 1),
                                                                      (other_ebook["id"], 1)]))
    await execute(db, "UPDATE shipments SET status = 'SHIPPED', shipped_at = now() WHERE order_id = $1"
                      " AND seller_id = $2", partly, goods["seller_id"])
    other = await place(db, provider, buyer, await cart(db, buyer, [(book["id"], 2)]))
    # As the old rule stored them: any delivered shipment, an e-book's included, was "partly shipped".
    await execute(db, "UPDATE orders SET status = 'PARTIALLY_SHIPPED' WHERE id = ANY($1::bigint[])", [mixed, partly])
    statuses = "SELECT id, status::text FROM orders WHERE id = ANY($1::bigint[]) ORDER BY id"
    fix = _status_fix()

    await execute(db, fix.UPGRADE)
    assert [tuple(r) for r in await fetch(db, statuses, [mixed, partly, other])] == [
        (mixed, "PLACED"), (partly, "PARTIALLY_SHIPPED"), (other, "PLACED")]
    await execute(db, fix.DOWNGRADE)
    assert [tuple(r) for r in await fetch(db, statuses, [mixed, partly, other])] == [
        (mixed, "PARTIALLY_SHIPPED"), (partly, "PARTIALLY_SHIPPED"), (other, "PLACED")]
