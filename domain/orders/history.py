"""An order's history and status.

Every use case that changes an order appends events (`record`) in its own transaction: the
history is what the customer, the sellers and customer service read to know what happened,
and it is never rewritten.

An order's status follows its shipments (`derive_status`, applied by `refresh_status` after
any shipment changes): CANCELLED when every shipment is cancelled; DELIVERED when every live
shipment is delivered; otherwise it reads by the parts still to come: SHIPPED when every one of
them left (shipped or delivered), PARTIALLY_SHIPPED when some did, PLACED when none did.
A delivered digital shipment (e-books and streams, licensed at payment) is not a parcel that
left: it never makes an order PARTIALLY_SHIPPED or SHIPPED. So an all-digital order is
DELIVERED at once, one with a digital pre-order still to come is PLACED, and a mixed order reads
by its physical shipments.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import outbox
from domain.events.kinds import EventKind
from domain.orders.statuses import OrderStatus, ShipmentKind, ShipmentStatus

EVENT_KINDS = (
    "PLACED", "PAYMENT_AUTHORIZED", "PAYMENT_CAPTURED", "PAYMENT_VOIDED", "SHIPPED", "DELIVERED", "CANCELLED",
    "SHIPMENT_CANCELLED", "RELEASED", "PRICE_GUARANTEE_APPLIED", "RETURN_REQUESTED", "REFUNDED",
    "REPLACEMENT_CREATED", "NOTE", "PREORDER_CANCELLED", "RELEASE_DATE_CHANGED",
)
_LEFT = frozenset({ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED})


async def record(session: AsyncSession, order_id: int, kind: str, message: str, *, shipment_id: int | None = None,
                 actor_account_id: int | None = None, data: dict | None = None) -> None:
    """Appends one event to the order's history (in the caller's transaction), and announces
    it: `order.updated` to the order's customer (but for PLACED, which is `order.placed`), and
    `shipment.updated` (`shipment.created` for a replacement) to the shipment's seller."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown order event kind {kind!r}")
    customer_id, seller_id = (await session.execute(text(
        "INSERT INTO order_events (order_id, shipment_id, kind, message, actor_account_id, data)"
        " VALUES (:order, :shipment, :kind, :message, :actor, CAST(:data AS jsonb))"
        " RETURNING (SELECT account_id FROM orders WHERE id = :order),"
        " (SELECT seller_id FROM shipments WHERE id = :shipment)"),
        {"order": order_id, "shipment": shipment_id, "kind": kind, "message": message,
         "actor": actor_account_id, "data": json.dumps(data or {})})).one()
    if kind != "PLACED":
        await outbox.publish(session, EventKind.ORDER_UPDATED, order_id, customer_id=customer_id,
                             data={"change": kind})
    if seller_id is not None:
        await outbox.publish(session, EventKind.SHIPMENT_CREATED if kind == "REPLACEMENT_CREATED"
                             else EventKind.SHIPMENT_UPDATED, shipment_id, seller_ids=[seller_id],
                             data={"order": order_id, "change": kind})


def derive_status(shipments: Iterable[tuple[str, str]]) -> OrderStatus:
    """The order's status from its shipments' (kind, status) pairs (see the module docstring)."""
    shipments = list(shipments)
    live = [(kind, status) for kind, status in shipments if status != ShipmentStatus.CANCELLED]
    if shipments and not live:
        return OrderStatus.CANCELLED
    if live and all(status == ShipmentStatus.DELIVERED for _, status in live):
        return OrderStatus.DELIVERED
    to_come = [status for kind, status in live if not (kind == ShipmentKind.DIGITAL and status == ShipmentStatus.DELIVERED)]
    if to_come and all(status in _LEFT for status in to_come):
        return OrderStatus.SHIPPED
    if any(status in _LEFT for status in to_come):
        return OrderStatus.PARTIALLY_SHIPPED
    return OrderStatus.PLACED


async def refresh_status(session: AsyncSession, order_id: int) -> str:
    """Sets the order's status from its shipments (the order row is locked by the caller or by
    this update); returns it."""
    shipments = (await session.execute(text("SELECT kind::text, status::text FROM shipments WHERE order_id = :id"),
                                       {"id": order_id})).all()
    status = derive_status((kind, status) for kind, status in shipments)
    await session.execute(text(
        "UPDATE orders SET status = CAST(:status AS order_status), updated_at = now(),"
        " cancelled_at = CASE WHEN :status = 'CANCELLED' THEN coalesce(cancelled_at, now()) END"
        " WHERE id = :id AND status <> CAST(:status AS order_status)"),
        {"status": status, "id": order_id})
    return status
