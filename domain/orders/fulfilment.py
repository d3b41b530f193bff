"""After checkout: shipping, delivering and cancelling orders and shipments.

Who may do what:

- A seller's staff work the seller's own MERCHANT-fulfilled shipments: mark them shipped (with
  the carrier and tracking number), delivered, or cancel one they cannot fulfil.
  Administrators (the platform's staff) may do the same for any shipment, and they alone work
  PLATFORM-fulfilled shipments: the platform ships those from its warehouses, whoever sells the
  items. The seller's staff see those shipments but may not work them (FORBIDDEN), nor may the
  order's customer (FORBIDDEN); anyone else finds no such shipment (NOT_FOUND).
- The customer (or an administrator) cancels the whole order while nothing has left: every
  live shipment is PENDING or AWAITING_RELEASE (ORDER_NOT_CANCELLABLE once something shipped or
  a digital item was delivered). Sellers' staff and other customers find no such order.

Money: the order's payment was authorized for the whole order at checkout. Shipping a
shipment captures its share and records its sales in the sellers' ledgers (`settlement`).
Cancelling the order voids the authorization: nothing was captured, so the customer pays
nothing (a pre-order cancelled before its release included). Cancelling one shipment
captures nothing for it; since the provider only voids what is left of an authorization as a
whole, its share is released when the order is otherwise settled: once no shipment is PENDING
or AWAITING_RELEASE any more, `settle_remainder` voids whatever is left to capture.

Concurrency: every use case on an order locks the order row (FOR UPDATE) first, then its
shipments, so use cases on one order run one after the other and never deadlock; each reads
the shipments' status after taking the lock. A cancellation racing a shipment of the same
order: one commits first, the other then finds ORDER_NOT_CANCELLABLE or SHIPMENT_NOT_PENDING.

A provider error while capturing or voiding (PAYMENT_PROVIDER_ERROR) fails the use case and
its transaction rolls back; the provider calls are keyed by the shipment or the order, so a
retry moves no money twice.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.errors import OrderingErrorCode
from domain.jobs import service as jobs
from domain.marketplace import service as marketplace
from domain.marketplace.statuses import Fulfilment
from domain.orders import history, settlement
from domain.orders.locks import lock_order
from domain.orders.statuses import OrderStatus, ShipmentKind, ShipmentStatus
from domain.payments import service as payments
from domain.payments.provider import PaymentProvider
from domain.shared import reasons
from domain.shared.errors import DomainError, Forbidden, InvalidInput, NotFound
from domain.shared.money import Money
from domain.shared.principal import Principal

MAX_TRACKING = 60
MAX_REASON = 500
OPEN = ("PENDING", "AWAITING_RELEASE")

_SHIPMENT_OWNER = text("SELECT s.order_id, s.seller_id, s.fulfilment::text AS fulfilment, o.account_id"
                       " FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = :id")
_LOCK_SHIPMENT = text(
    "SELECT id, order_id, seller_id, kind::text AS kind, status::text AS status, subtotal_minor, delivery_minor,"
    " tax_minor, captured_minor, currency FROM shipments WHERE id = :id FOR UPDATE")
_LOCK_SHIPMENTS = text(
    "SELECT id, kind::text AS kind, status::text AS status FROM shipments WHERE order_id = :id ORDER BY id"
    " FOR UPDATE")
_LINES = text("SELECT shipment_id, offer_id, title, quantity, digital FROM order_lines"
              " WHERE shipment_id = ANY(CAST(:ids AS bigint[])) ORDER BY id")


class ShipmentNotPending(DomainError):
    code = OrderingErrorCode.SHIPMENT_NOT_PENDING


# -- shipping and delivery ------------------------------------------------------------------

async def mark_shipped(session: AsyncSession, principal: Principal, provider: PaymentProvider, shipment_id: int,
                       carrier: str, tracking_number: str) -> int:
    """A PENDING physical shipment leaves with a carrier: its share of the payment is captured
    and its sales recorded, it becomes SHIPPED, and the customer is told. Returns its id."""
    actor = await _authorize_shipment_work(session, principal, shipment_id)
    carrier = _printable(carrier, "carrier", "a carrier")
    tracking_number = _printable(tracking_number, "trackingNumber", "a tracking number")
    order, shipment = await _lock(session, shipment_id)
    if shipment.status == ShipmentStatus.AWAITING_RELEASE:
        raise DomainError("This shipment is a pre-order: it ships once the product is released.",
                          code=OrderingErrorCode.PREORDER_NOT_RELEASED, field=["input", "shipmentId"])
    if shipment.kind != ShipmentKind.PHYSICAL:
        raise ShipmentNotPending("Digital items are delivered to the customer's library, not shipped.",
                                 field=["input", "shipmentId"])
    if shipment.status != ShipmentStatus.PENDING:
        raise ShipmentNotPending(f"Only a PENDING shipment can be shipped; this one is {shipment.status}.",
                                 field=["input", "shipmentId"])
    await settlement.capture_shipment(session, provider, shipment_id, actor_account_id=actor)
    await session.execute(text(
        "UPDATE shipments SET status = 'SHIPPED', shipped_at = now(), carrier = :carrier, tracking_number = :tracking"
        " WHERE id = :id"), {"carrier": carrier, "tracking": tracking_number, "id": shipment_id})
    await history.record(session, order.id, "SHIPPED", f"Shipped with {carrier}, tracking number"
                              f" {tracking_number}.", shipment_id=shipment_id, actor_account_id=actor,
                              data={"carrier": carrier, "trackingNumber": tracking_number})
    await history.refresh_status(session, order.id)
    items = await _items(session, [shipment_id])
    await jobs.send_email(session, to=order.email, template="shipment_shipped", context={
        "orderNumber": order.number, "carrier": carrier, "trackingNumber": tracking_number,
        "items": items}, dedupe_key=f"shipment-shipped:{shipment_id}")
    await settle_remainder(session, provider, order.id, actor_account_id=actor)
    return shipment_id


async def mark_delivered(session: AsyncSession, principal: Principal, shipment_id: int) -> int:
    """A SHIPPED shipment arrived: it becomes DELIVERED. Returns its id."""
    actor = await _authorize_shipment_work(session, principal, shipment_id)
    order, shipment = await _lock(session, shipment_id)
    if shipment.status != ShipmentStatus.SHIPPED:
        raise DomainError(f"Only a SHIPPED shipment can be delivered; this one is {shipment.status}.",
                          code=OrderingErrorCode.SHIPMENT_NOT_SHIPPED, field=["input", "shipmentId"])
    await session.execute(text("UPDATE shipments SET status = 'DELIVERED', delivered_at = now() WHERE id = :id"),
                          {"id": shipment_id})
    await history.record(session, order.id, "DELIVERED", "Delivered.", shipment_id=shipment_id,
                              actor_account_id=actor)
    await history.refresh_status(session, order.id)
    return shipment_id


# -- cancelling -----------------------------------------------------------------------------

async def cancel_order(session: AsyncSession, principal: Principal, provider: PaymentProvider, order_id: int,
                       reason: str) -> int:
    """Cancels the whole order before anything left: stock goes back, every shipment and the
    order become CANCELLED, the authorization is voided and the customer is told. A cancelled
    order is returned unchanged. Returns its id."""
    actor = principal.require_signed_in()
    owner = (await session.execute(text("SELECT account_id FROM orders WHERE id = :id"),
                                   {"id": order_id})).scalar()
    if owner is None or not (principal.is_admin or owner == actor):
        raise NotFound("No such order.", field=["input", "orderId"])
    reason = reasons.reason(reason, MAX_REASON)
    order = await lock_order(session, order_id)
    if order.status == OrderStatus.CANCELLED:
        return order_id
    shipments = (await session.execute(_LOCK_SHIPMENTS, {"id": order_id})).all()
    live = [s for s in shipments if s.status != ShipmentStatus.CANCELLED]
    left = [s for s in live if s.status not in OPEN]
    if left:
        what = "a digital item was delivered" if all(s.kind == ShipmentKind.DIGITAL for s in left) else (
            "part of it has shipped")
        raise DomainError(f"This order can no longer be cancelled: {what}. Return the items instead.",
                          code=OrderingErrorCode.ORDER_NOT_CANCELLABLE, field=["input", "orderId"])
    live_ids = [s.id for s in live]
    await _release_stock(session, live_ids)
    await session.execute(text(
        "UPDATE shipments SET status = 'CANCELLED', cancelled_at = now() WHERE id = ANY(CAST(:ids AS bigint[]))"),
        {"ids": live_ids})
    await session.execute(text("UPDATE orders SET cancel_reason = :reason WHERE id = :id"),
                          {"reason": reason, "id": order_id})
    await history.refresh_status(session, order_id)
    await history.record(session, order_id, "CANCELLED", f"Cancelled: {reason}", actor_account_id=actor,
                              data={"reason": reason})
    voided = await _void_rest(session, provider, order_id, f"order:{order_id}:cancel", actor)
    items = await _items(session, live_ids)
    await jobs.send_email(session, to=order.email, template="order_cancelled", context={
        "orderNumber": order.number, "reason": reason, "items": items,
        "released": _shown(voided, order.currency)}, dedupe_key=f"order-cancelled:{order_id}")
    return order_id


async def cancel_shipment(session: AsyncSession, principal: Principal, provider: PaymentProvider, shipment_id: int,
                          reason: str) -> int:
    """The seller (or an administrator) cancels one shipment that has not left: its stock goes
    back, it becomes CANCELLED, the customer is told, and when nothing else of the order is
    waiting to ship, what is left of the authorization is voided. A cancelled shipment is
    returned unchanged. Returns its id."""
    actor = await _authorize_shipment_work(session, principal, shipment_id)
    reason = reasons.reason(reason, MAX_REASON)
    order, shipment = await _lock(session, shipment_id)
    if shipment.status == ShipmentStatus.CANCELLED:
        return shipment_id
    if shipment.status not in OPEN:
        raise DomainError(f"Only a shipment that has not left can be cancelled; this one is {shipment.status}.",
                          code=OrderingErrorCode.SHIPMENT_NOT_CANCELLABLE, field=["input", "shipmentId"])
    await _release_stock(session, [shipment_id])
    await session.execute(text("UPDATE shipments SET status = 'CANCELLED', cancelled_at = now() WHERE id = :id"),
                          {"id": shipment_id})
    await history.record(session, order.id, "SHIPMENT_CANCELLED", f"A shipment was cancelled: {reason}",
                              shipment_id=shipment_id, actor_account_id=actor, data={"reason": reason})
    # The last live shipment cancelled cancels the order: it keeps the reason.
    await session.execute(text(
        "UPDATE orders SET cancel_reason = :reason WHERE id = :id AND NOT EXISTS (SELECT 1 FROM shipments"
        " WHERE order_id = :id AND status <> 'CANCELLED')"), {"reason": reason, "id": order.id})
    await history.refresh_status(session, order.id)
    items = await _items(session, [shipment_id])
    await jobs.send_email(session, to=order.email, template="shipment_cancelled", context={
        "orderNumber": order.number, "reason": reason, "items": items},
        dedupe_key=f"shipment-cancelled:{shipment_id}")
    await settle_remainder(session, provider, order.id, actor_account_id=actor)
    return shipment_id


async def settle_remainder(session: AsyncSession, provider: PaymentProvider, order_id: int, *,
                           actor_account_id: int | None = None) -> int:
    """Once no shipment of the order is PENDING or AWAITING_RELEASE, voids what is left of its
    authorization (the share of cancelled shipments; nothing after a normal last shipment,
    whose captures add up to the total). Call it with the order row locked, after any change
    to its shipments. Returns the amount voided (0 when nothing was)."""
    still_open = (await session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM shipments WHERE order_id = :id AND status IN ('PENDING', 'AWAITING_RELEASE'))"),
        {"id": order_id})).scalar()
    if still_open:
        return 0
    return await _void_rest(session, provider, order_id, f"order:{order_id}:void-rest", actor_account_id)


# -- shared steps ---------------------------------------------------------------------------

async def _authorize_shipment_work(session: AsyncSession, principal: Principal, shipment_id: int) -> int:
    """The caller's account id when they may work this shipment (an administrator; its seller's
    staff unless the platform fulfils it); FORBIDDEN for those who see it but may not (the
    order's customer, the seller's staff of a PLATFORM-fulfilled shipment), NOT_FOUND for
    anyone else."""
    actor = principal.require_signed_in()
    found = (await session.execute(_SHIPMENT_OWNER, {"id": shipment_id})).one_or_none()
    if found is None:
        raise NotFound("No such shipment.", field=["input", "shipmentId"])
    if principal.is_admin:
        return actor
    if principal.is_staff_of(found.seller_id):
        if found.fulfilment == Fulfilment.PLATFORM:
            raise Forbidden("The platform ships, delivers and cancels the shipments it fulfils; the seller's staff"
                            " may not.")
        return actor
    if found.account_id == actor:
        raise Forbidden("Only the seller's staff or an administrator may do this to a shipment.")
    raise NotFound("No such shipment.", field=["input", "shipmentId"])


async def _lock(session: AsyncSession, shipment_id: int):
    """(order, shipment), locked in that order, as they are now."""
    order_id = (await session.execute(text("SELECT order_id FROM shipments WHERE id = :id"),
                                      {"id": shipment_id})).scalar_one()
    order = await lock_order(session, order_id)
    shipment = (await session.execute(_LOCK_SHIPMENT, {"id": shipment_id})).one()
    return order, shipment


async def _release_stock(session: AsyncSession, shipment_ids: list[int]) -> None:
    """Puts the physical lines of these shipments back into their offers' stock."""
    quantities: dict[int, int] = defaultdict(int)
    for line in (await session.execute(_LINES, {"ids": shipment_ids})).all():
        if not line.digital:
            quantities[line.offer_id] += line.quantity
    await marketplace.release_stock(session, quantities)


async def _void_rest(session: AsyncSession, provider: PaymentProvider, order_id: int, key: str,
                     actor_account_id: int | None) -> int:
    """Voids what is left of the order's authorization, if anything; returns the amount."""
    payment_id = (await session.execute(text(
        "SELECT id FROM payments WHERE order_id = :id AND status <> 'FAILED' ORDER BY id LIMIT 1"),
        {"id": order_id})).scalar()
    if payment_id is None:
        return 0
    payment = await payments.payment_in_session(session, payment_id)
    left = payment.capturable.minor
    if left == 0:
        return 0
    await payments.void(session, provider, payment_id, idempotency_key=key)
    await history.record(session, order_id, "PAYMENT_VOIDED",
                              f"{_shown(left, payment.currency)} of the authorization released; it will not be"
                              f" charged.", actor_account_id=actor_account_id, data={"amountMinor": left})
    return left


async def _items(session: AsyncSession, shipment_ids: list[int]) -> str:
    """The shipments' lines as the e-mails list them, one per line."""
    lines = (await session.execute(_LINES, {"ids": shipment_ids})).all()
    return "\n".join(f"- {line.quantity} x {line.title}" for line in lines)


def _printable(value: str, field: str, what: str) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(value) <= MAX_TRACKING or not value.isprintable():
        raise InvalidInput(f"Give {what} of 1 to {MAX_TRACKING} printable characters.", field=["input", field])
    return value


def _shown(minor: int, currency: str) -> str:
    return f"{Money(minor, currency).amount} {currency}"
