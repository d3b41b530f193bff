"""SQL for reading orders in bulk (one statement per kind of row, whatever the batch size), for
the API's loaders and for use cases (through `SessionReader`)."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

from domain.carts.repository import address_from_row
from domain.orders.entities import (
    Order,
    OrderEvent,
    OrderLine,
    OrderRefund,
    ReturnLine,
    ReturnRequest,
    Shipment,
)
from domain.shared.money import Money
from domain.shared.pagination import Page, PageRequest, page_from_rows

_ORDER = """SELECT id, number, account_id, email, status::text AS status, currency, subtotal_minor, delivery_minor,
  tax_minor, discount_minor, total_minor, ship_full_name, ship_line1, ship_line2, ship_city, ship_region,
  ship_postal_code, ship_country_code, ship_phone, bill_full_name, bill_line1, bill_line2, bill_city, bill_region,
  bill_postal_code, bill_country_code, bill_phone, placed_at, updated_at, cancelled_at, cancel_reason FROM orders"""
_SHIPMENT = """SELECT id, order_id, seller_id, kind::text AS kind, fulfilment::text AS fulfilment,
  delivery_option::text AS delivery_option, pickup_location_id, status::text AS status, release_date,
  estimated_delivery_date, subtotal_minor, delivery_minor, tax_minor, captured_minor, currency, carrier,
  tracking_number, replacement_for_id, created_at, shipped_at, delivered_at, cancelled_at FROM shipments"""
_LINE = """SELECT id, order_id, shipment_id, offer_id, product_id, seller_id, category_id, title, format, digital,
  quantity, unit_price_minor, line_total_minor, tax_class::text AS tax_class, tax_minor, currency, returned_quantity,
  refunded_minor, (SELECT o.purchase_option::text FROM offers o WHERE o.id = order_lines.offer_id) AS purchase_option
FROM order_lines"""
_EVENT = "SELECT id, order_id, shipment_id, kind, message, actor_account_id, data, created_at FROM order_events"
_REFUND = """SELECT id, order_id, payment_id, kind::text AS kind, amount_minor, currency, reason, return_request_id,
  actor_account_id, created_at FROM order_refunds"""
_RETURN = """SELECT r.id, r.order_id, r.account_id, r.reason::text AS reason, r.comment, r.status::text AS status,
  r.refund_minor, r.currency, r.replacement_shipment_id, r.created_at, r.resolved_at,
  ARRAY(SELECT ROW(l.order_line_id, l.quantity) FROM return_request_lines l WHERE l.return_request_id = r.id
        ORDER BY l.order_line_id) AS lines
FROM return_requests r"""


def order_from_row(r) -> Order:
    currency = r["currency"]
    address = address_from_row(r, "ship")
    return Order(
        id=r["id"], number=r["number"], account_id=r["account_id"], email=r["email"], status=r["status"],
        currency=currency, subtotal=Money(r["subtotal_minor"], currency), delivery=Money(r["delivery_minor"], currency),
        tax=Money(r["tax_minor"], currency), discount=Money(r["discount_minor"], currency),
        total=Money(r["total_minor"], currency), shipping_address=address, placed_at=r["placed_at"],
        updated_at=r["updated_at"], cancelled_at=r["cancelled_at"], cancel_reason=r["cancel_reason"],
        billing_address=address_from_row(r, "bill"))


def _shipment(r) -> Shipment:
    c = r["currency"]
    return Shipment(
        id=r["id"], order_id=r["order_id"], seller_id=r["seller_id"], kind=r["kind"], fulfilment=r["fulfilment"],
        delivery_option=r["delivery_option"], pickup_location_id=r["pickup_location_id"], status=r["status"],
        release_date=r["release_date"], estimated_delivery_date=r["estimated_delivery_date"],
        subtotal=Money(r["subtotal_minor"], c), delivery=Money(r["delivery_minor"], c), tax=Money(r["tax_minor"], c),
        captured=Money(r["captured_minor"], c), carrier=r["carrier"], tracking_number=r["tracking_number"],
        replacement_for_id=r["replacement_for_id"], created_at=r["created_at"], shipped_at=r["shipped_at"],
        delivered_at=r["delivered_at"], cancelled_at=r["cancelled_at"])


def _line(r) -> OrderLine:
    c = r["currency"]
    return OrderLine(
        id=r["id"], order_id=r["order_id"], shipment_id=r["shipment_id"], offer_id=r["offer_id"],
        product_id=r["product_id"], seller_id=r["seller_id"], category_id=r["category_id"], title=r["title"],
        format=r["format"], digital=r["digital"], quantity=r["quantity"], unit_price=Money(r["unit_price_minor"], c),
        line_total=Money(r["line_total_minor"], c), tax_class=r["tax_class"], tax=Money(r["tax_minor"], c),
        returned_quantity=r["returned_quantity"], refunded=Money(r["refunded_minor"], c),
        purchase_option=r["purchase_option"])


def _event(r) -> OrderEvent:
    data = r["data"]
    if isinstance(data, str):  # a connection without a jsonb codec hands it over as text
        data = json.loads(data)
    return OrderEvent(r["id"], r["order_id"], r["shipment_id"], r["kind"], r["message"], r["actor_account_id"],
                      data or {}, r["created_at"])


def _refund(r) -> OrderRefund:
    return OrderRefund(r["id"], r["order_id"], r["payment_id"], r["kind"], Money(r["amount_minor"], r["currency"]),
                       r["reason"], r["return_request_id"], r["actor_account_id"], r["created_at"])


def _return(r) -> ReturnRequest:
    return ReturnRequest(
        id=r["id"], order_id=r["order_id"], account_id=r["account_id"], reason=r["reason"], comment=r["comment"],
        status=r["status"], refund=Money(r["refund_minor"], r["currency"]),
        replacement_shipment_id=r["replacement_shipment_id"], created_at=r["created_at"],
        resolved_at=r["resolved_at"], lines=[ReturnLine(*line) for line in r["lines"]])


def _grouped(rows, make, key: str) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for r in rows:
        out[r[key]].append(make(r))
    return dict(out)


async def orders_by_ids(db, ids: Sequence[int]) -> dict[int, Order]:
    rows = await db.fetch(f"{_ORDER} WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: order_from_row(r) for r in rows}


async def orders_by_numbers(db, numbers: Sequence[str]) -> dict[str, Order]:
    rows = await db.fetch(f"{_ORDER} WHERE number = ANY($1::text[])", list(numbers))
    return {r["number"]: order_from_row(r) for r in rows}


async def orders_of_account(db, account_id: int, status: str | None, page: PageRequest) -> Page[Order]:
    """The account's orders, newest first (one statement; the total comes from a window count)."""
    rows = await db.fetch(
        f"SELECT *, count(*) OVER () AS total FROM ({_ORDER} WHERE account_id = $1"
        f" AND ($2::order_status IS NULL OR status = $2::order_status)) listed"
        f" ORDER BY placed_at DESC, id DESC OFFSET $3 LIMIT $4", account_id, status, page.offset, page.limit + 1)
    total = rows[0]["total"] if rows else None
    if total is None:
        total = 0 if page.offset == 0 else (await db.fetchrow(
            "SELECT count(*) FROM orders WHERE account_id = $1 AND ($2::order_status IS NULL"
            " OR status = $2::order_status)", account_id, status))[0]
    return page_from_rows([order_from_row(r) for r in rows], page, total)


async def shipments_by_ids(db, ids: Sequence[int]) -> dict[int, Shipment]:
    rows = await db.fetch(f"{_SHIPMENT} WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: _shipment(r) for r in rows}


async def shipments_for_orders(db, order_ids: Sequence[int]) -> dict[int, list[Shipment]]:
    rows = await db.fetch(f"{_SHIPMENT} WHERE order_id = ANY($1::bigint[]) ORDER BY id", list(order_ids))
    return _grouped(rows, _shipment, "order_id")


async def shipments_of_seller(db, seller_id: int, status: str | None, page: PageRequest) -> Page[Shipment]:
    """A seller's shipments, oldest first among those in `status` (the order to work them in),
    newest first when listing all."""
    order = "id" if status is not None else "id DESC"
    rows = await db.fetch(
        f"SELECT *, count(*) OVER () AS total FROM ({_SHIPMENT} WHERE seller_id = $1"
        f" AND ($2::shipment_status IS NULL OR status = $2::shipment_status)) listed"
        f" ORDER BY {order} OFFSET $3 LIMIT $4", seller_id, status, page.offset, page.limit + 1)
    total = rows[0]["total"] if rows else None
    if total is None:
        total = 0 if page.offset == 0 else (await db.fetchrow(
            "SELECT count(*) FROM shipments WHERE seller_id = $1 AND ($2::shipment_status IS NULL"
            " OR status = $2::shipment_status)", seller_id, status))[0]
    return page_from_rows([_shipment(r) for r in rows], page, total)


async def lines_for_orders(db, order_ids: Sequence[int]) -> dict[int, list[OrderLine]]:
    rows = await db.fetch(f"{_LINE} WHERE order_id = ANY($1::bigint[]) ORDER BY id", list(order_ids))
    return _grouped(rows, _line, "order_id")


async def lines_for_shipments(db, shipment_ids: Sequence[int]) -> dict[int, list[OrderLine]]:
    rows = await db.fetch(f"{_LINE} WHERE shipment_id = ANY($1::bigint[]) ORDER BY id", list(shipment_ids))
    return _grouped(rows, _line, "shipment_id")


async def events_for_orders(db, order_ids: Sequence[int]) -> dict[int, list[OrderEvent]]:
    rows = await db.fetch(f"{_EVENT} WHERE order_id = ANY($1::bigint[]) ORDER BY id", list(order_ids))
    return _grouped(rows, _event, "order_id")


async def refunds_for_orders(db, order_ids: Sequence[int]) -> dict[int, list[OrderRefund]]:
    rows = await db.fetch(f"{_REFUND} WHERE order_id = ANY($1::bigint[]) ORDER BY id", list(order_ids))
    return _grouped(rows, _refund, "order_id")


async def returns_for_orders(db, order_ids: Sequence[int]) -> dict[int, list[ReturnRequest]]:
    rows = await db.fetch(f"{_RETURN} WHERE r.order_id = ANY($1::bigint[]) ORDER BY r.id", list(order_ids))
    return _grouped(rows, _return, "order_id")


async def lines_by_ids(db, ids: Sequence[int]) -> dict[int, OrderLine]:
    rows = await db.fetch(f"{_LINE} WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: _line(r) for r in rows}


async def refunds_by_ids(db, ids: Sequence[int]) -> dict[int, OrderRefund]:
    rows = await db.fetch(f"{_REFUND} WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: _refund(r) for r in rows}


async def returns_by_ids(db, ids: Sequence[int]) -> dict[int, ReturnRequest]:
    rows = await db.fetch(f"{_RETURN} WHERE r.id = ANY($1::bigint[])", list(ids))
    return {r["id"]: _return(r) for r in rows}
