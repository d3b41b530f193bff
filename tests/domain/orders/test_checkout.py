"""Placing an order: the order as a snapshot of the repriced cart, its shipments per seller and
fulfilment (digital lines and pre-orders apart), stock taken, the payment authorized (digital
shipments captured at once), the events, the confirmation e-mail and the cart ORDERED."""
from datetime import date, timedelta

import pytest

from domain.carts import service as carts
from domain.carts.delivery import add_business_days
from domain.shared import clock
from tests.fixtures.checkout import (
    KINDLE,
    MERCHANT_GOODS,
    PLATFORM_BOOK,
    cart,
    customer,
    offer,
    place,
)
from tests.fixtures.db import execute, fetch, fetchval

pytestmark = pytest.mark.one_copy_per_file


async def view_of(db, buyer, cart_id):
    """The cart as its owner sees it before checkout."""
    reader = await db.reader()
    try:
        return await carts.find_cart(reader, buyer, cart_id=cart_id)
    finally:
        await reader.close()


@pytest.mark.own_copy
async def test_an_order_over_several_sellers_splits_into_shipments_and_adds_up(writable_database, provider):
    db = writable_database
    book, goods, ebook = (await offer(db, PLATFORM_BOOK), await offer(db, MERCHANT_GOODS), await offer(db, KINDLE))
    assert len({book["seller_id"], goods["seller_id"]}) == 2
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 2), (goods["id"], 1), (ebook["id"], 1)],
                         choices=[(book["seller_id"], "PLATFORM", "TWO_DAY")])
    view = await view_of(db, buyer, cart_id)

    order_id = await place(db, provider, buyer, cart_id)

    [order] = await fetch(db, "SELECT * FROM orders WHERE id = $1", order_id)
    totals = view.totals
    assert (order["subtotal_minor"], order["delivery_minor"], order["tax_minor"], order["total_minor"]) == (
        totals.subtotal.minor, totals.delivery.minor, totals.tax.minor, totals.total.minor)
    assert (order["account_id"], order["cart_id"], order["ship_city"], order["status"]) == (
        buyer.account_id, cart_id, "Seattle", "PLACED")  # the e-book is in the library, no parcel left
    assert order["email"] == await fetchval(db, "SELECT email::text FROM accounts WHERE id = $1", buyer.account_id)
    shipments = await fetch(db, "SELECT * FROM shipments WHERE order_id = $1 ORDER BY id", order_id)
    kinds = sorted((s["seller_id"], s["kind"], s["fulfilment"], s["delivery_option"], s["status"]) for s in shipments)
    assert kinds == sorted([
        (book["seller_id"], "PHYSICAL", "PLATFORM", "TWO_DAY", "PENDING"),
        (goods["seller_id"], "PHYSICAL", "MERCHANT", "STANDARD", "PENDING"),
        (ebook["seller_id"], "DIGITAL", None, None, "DELIVERED"),
    ])
    for column in ("subtotal_minor", "delivery_minor", "tax_minor"):
        assert sum(s[column] for s in shipments) == order[column]
    groups = {(g.seller_id, g.fulfilment): g for g in view.shipment_groups}
    for s in shipments:
        if s["kind"] == "PHYSICAL":
            group = groups[(s["seller_id"], s["fulfilment"])]
            assert s["delivery_minor"] == group.selected.price.minor
            assert s["estimated_delivery_date"] == group.selected.estimated_delivery_date
    lines = await fetch(db, "SELECT * FROM order_lines WHERE order_id = $1 ORDER BY id", order_id)
    by_offer = {line.offer_id: line for line in view.lines}
    assert sorted(line["offer_id"] for line in lines) == sorted(by_offer)
    for row in lines:
        seen = by_offer[row["offer_id"]]
        assert (row["title"], row["format"], row["quantity"], row["unit_price_minor"], row["line_total_minor"],
                row["tax_minor"], row["category_id"], row["digital"]) == (
            seen.product.title, seen.product.format, seen.quantity, seen.unit_price.minor, seen.line_total.minor,
            seen.tax.minor, seen.product.category_id, seen.offer_id == ebook["id"])

    stock = {r["id"]: r["quantity"] for r in await fetch(
        db, "SELECT id, quantity FROM offers WHERE id = ANY($1::bigint[])", [book["id"], goods["id"], ebook["id"]])}
    assert stock == {book["id"]: book["quantity"] - 2, goods["id"]: goods["quantity"] - 1,
                     ebook["id"]: ebook["quantity"]}

    [payment] = await fetch(db, "SELECT * FROM payments WHERE order_id = $1", order_id)
    digital = next(s for s in shipments if s["kind"] == "DIGITAL")
    assert (payment["status"], payment["amount_minor"]) == ("PARTIALLY_CAPTURED", order["total_minor"])
    assert payment["captured_minor"] == digital["subtotal_minor"] + digital["tax_minor"] == digital["captured_minor"]
    assert digital["shipped_at"] is not None and digital["delivered_at"] is not None
    events = [r["kind"] for r in await fetch(db, "SELECT kind FROM order_events WHERE order_id = $1 ORDER BY id",
                                             order_id)]
    assert events[:2] == ["PLACED", "PAYMENT_AUTHORIZED"] and "PAYMENT_CAPTURED" in events
    [job] = await fetch(db, "SELECT payload, dedupe_key FROM jobs WHERE kind = 'email.send'"
                            " AND payload->>'template' = 'order_confirmation'")
    assert job["dedupe_key"] == f"order-confirmation:{order_id}"
    assert await fetchval(db, "SELECT status::text FROM carts WHERE id = $1", cart_id) == "ORDERED"
    ledger = await fetchval(db, "SELECT count(*) FROM seller_ledger_entries WHERE seller_id = $1", ebook["seller_id"])
    assert ledger >= 1


async def test_a_pre_order_line_travels_apart_awaiting_its_release(writable_database, provider):
    db = writable_database
    book, soon = await offer(db, PLATFORM_BOOK), None
    rows = await fetch(db, "SELECT o.id, o.product_id, o.quantity FROM offers o JOIN sellers s ON s.id = o.seller_id"
                           " JOIN products p ON p.id = o.product_id WHERE s.is_first_party AND o.quantity >= 20"
                           " AND p.kind = 'PHYSICAL' AND o.archived_at IS NULL AND p.archived_at IS NULL"
                           " AND o.product_id <> $1 ORDER BY o.id LIMIT 1", book["product_id"])
    soon = rows[0]
    release = clock.today() + timedelta(days=30)
    await execute(db, "UPDATE products SET release_date = $2 WHERE id = $1", soon["product_id"], release)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1), (soon["id"], 1)])
    # The group travels together: the cart promises no date before the release.
    [group] = (await view_of(db, buyer, cart_id)).shipment_groups
    options = {o.kind: o for o in group.options}
    assert options["STANDARD"].estimated_delivery_date == add_business_days(release, 5)
    assert options["TWO_DAY"].estimated_delivery_date == add_business_days(release, 2)
    assert not options["SAME_DAY"].available and options["SAME_DAY"].estimated_delivery_date is None

    order_id = await place(db, provider, buyer, cart_id)

    shipments = await fetch(db, "SELECT s.*, array_agg(l.offer_id) AS offers FROM shipments s JOIN order_lines l"
                                " ON l.shipment_id = s.id WHERE s.order_id = $1 GROUP BY s.id ORDER BY s.id", order_id)
    assert sorted((s["status"], s["release_date"], s["offers"], s["estimated_delivery_date"]) for s in shipments) == [
        ("AWAITING_RELEASE", release, [soon["id"]], add_business_days(release, 5)),
        ("PENDING", None, [book["id"]], add_business_days(clock.today(), 5))]
    pre_order = next(s for s in shipments if s["release_date"])
    assert pre_order["captured_minor"] == 0
    # Physical pre-orders hold their units too.
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", soon["id"]) == soon["quantity"] - 1
    assert isinstance(release, date)
