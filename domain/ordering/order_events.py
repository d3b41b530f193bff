"""An order's history and status.

Every use case that changes an order appends events (`record`) in its own transaction: the
history is what the customer, the sellers and customer service read to know what happened,
and it is never rewritten.

An order's status follows its shipments (`derive_status`, applied by `refresh_status` after
any shipment changes): CANCELLED when every shipment is cancelled; DELIVERED when every live
shipment is delivered; SHIPPED when every live shipment left (shipped or delivered);
PARTIALLY_SHIPPED when some did; PLACED otherwise. Digital shipments are delivered at
checkout, so an all-digital order is DELIVERED at once.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

EVENT_KINDS = (
    "PLACED", "PAYMENT_AUTHORIZED", "PAYMENT_CAPTURED", "PAYMENT_VOIDED", "SHIPPED", "DELIVERED", "CANCELLED",
    "SHIPMENT_CANCELLED", "RELEASED", "PRICE_GUARANTEE_APPLIED", "RETURN_REQUESTED", "REFUNDED",
    "REPLACEMENT_CREATED", "NOTE",
)
_LEFT = frozenset({"SHIPPED", "DELIVERED"})


async def record(session: AsyncSession, order_id: int, kind: str, message: str, *, shipment_id: int | None = None,
                 actor_account_id: int | None = None, data: dict | None = None) -> None:
    """Appends one event to the order's history (in the caller's transaction)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown order event kind {kind!r}")
    await session.execute(text(
        "INSERT INTO order_events (order_id, shipment_id, kind, message, actor_account_id, data)"
        " VALUES (:order, :shipment, :kind, :message, :actor, CAST(:data AS jsonb))"),
        {"order": order_id, "shipment": shipment_id, "kind": kind, "message": message,
         "actor": actor_account_id, "data": json.dumps(data or {})})


def derive_status(shipment_statuses: Iterable[str]) -> str:
    """The order's status from its shipments' statuses (see the module docstring)."""
    statuses = list(shipment_statuses)
    live = [s for s in statuses if s != "CANCELLED"]
    if statuses and not live:
        return "CANCELLED"
    if live and all(s == "DELIVERED" for s in live):
        return "DELIVERED"
    if live and all(s in _LEFT for s in live):
        return "SHIPPED"
    if any(s in _LEFT for s in live):
        return "PARTIALLY_SHIPPED"
    return "PLACED"


async def refresh_status(session: AsyncSession, order_id: int) -> str:
    """Sets the order's status from its shipments (the order row is locked by the caller or by
    this update); returns it."""
    statuses = (await session.execute(text("SELECT status::text FROM shipments WHERE order_id = :id"),
                                      {"id": order_id})).scalars().all()
    status = derive_status(statuses)
    await session.execute(text(
        "UPDATE orders SET status = CAST(:status AS order_status), updated_at = now(),"
        " cancelled_at = CASE WHEN :status = 'CANCELLED' THEN coalesce(cancelled_at, now()) END"
        " WHERE id = :id AND status <> CAST(:status AS order_status)"),
        {"status": status, "id": order_id})
    return status
