"""A customer cancels one pre-ordered line before its release, whatever happened to the rest of
the order.

Rules (error codes):
- The order's customer or an administrator (NOT_FOUND for anyone else: the line does not exist
  for them); a reason of 1-500 characters (REASON_REQUIRED).
- Only a line still waiting for its release (its shipment AWAITING_RELEASE) is cancelled on its
  own (LINE_NOT_CANCELLABLE otherwise: a released item is cancelled with its shipment or the
  order, or returned once it arrived). Other shipments of the order, shipped or delivered,
  make no difference. A line cancelled before is returned unchanged.
- Money: a pre-order is charged at its release, never before (a shipment AWAITING_RELEASE has
  nothing captured: the database refuses it), so nothing is refunded; the line's share of the
  authorization is released with the rest (`fulfilment.settle_remainder`: at once when nothing
  else of the order waits to ship).
- The line leaves its shipment for a CANCELLED shipment of its own, with its amounts, so the
  shipments still add up to the order and the history keeps what was bought; the lines left
  behind keep their shipment and its delivery charge. A line alone in its shipment cancels
  the shipment (and the order when nothing else of it is live). Its stock goes back, a
  PREORDER_CANCELLED event is recorded and the customer gets a "shipment_cancelled" e-mail.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.errors import OrderingErrorCode
from domain.jobs import service as jobs
from domain.marketplace import service as marketplace
from domain.orders import fulfilment, history
from domain.orders.locks import lock_order
from domain.orders.statuses import ShipmentStatus
from domain.payments.provider import PaymentProvider
from domain.shared import reasons
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal

MAX_REASON = 500
FIELD = ["input", "orderLineId"]

_LINE = text("SELECT l.order_id, l.shipment_id, l.offer_id, l.digital, l.title, l.quantity, l.line_total_minor,"
             " l.tax_minor, o.account_id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.id = :id")
_LOCK_SHIPMENT = text(
    "SELECT id, status::text AS status, (SELECT count(*) FROM order_lines WHERE shipment_id = :id) AS line_count"
    " FROM shipments WHERE id = :id FOR UPDATE")
# The line's own cancelled shipment: a copy of its shipment's travel details with its amounts.
_SPLIT_OFF = text(
    "INSERT INTO shipments (order_id, seller_id, kind, fulfilment, delivery_option, pickup_location_id, status,"
    " release_date, estimated_delivery_date, subtotal_minor, delivery_minor, tax_minor, currency, cancelled_at)"
    " SELECT order_id, seller_id, kind, fulfilment, delivery_option, pickup_location_id, 'CANCELLED', release_date,"
    " estimated_delivery_date, :subtotal, 0, :tax, currency, now() FROM shipments WHERE id = :id RETURNING id")


async def cancel_preorder_line(session: AsyncSession, principal: Principal, provider: PaymentProvider,
                               order_line_id: int, reason: str) -> int:
    """Cancels one pre-ordered line that is not released yet (see the module docstring);
    returns its order's id."""
    actor = principal.require_signed_in()
    found = (await session.execute(_LINE, {"id": order_line_id})).one_or_none()
    if found is None or not (principal.is_admin or found.account_id == actor):
        raise NotFound("No such order line.", field=FIELD)
    reason = reasons.reason(reason, MAX_REASON)
    order = await lock_order(session, found.order_id)
    # Read again under the order's lock: another cancellation may have moved the line.
    line = (await session.execute(_LINE, {"id": order_line_id})).one()
    shipment = (await session.execute(_LOCK_SHIPMENT, {"id": line.shipment_id})).one()
    if shipment.status == ShipmentStatus.CANCELLED:
        return order.id
    if shipment.status != ShipmentStatus.AWAITING_RELEASE:
        raise DomainError(f"Only a pre-ordered item that is not released yet can be cancelled on its own; this one's"
                          f" shipment is {shipment.status}. Cancel the shipment or the order before it leaves, or"
                          " return the item once it arrived.", code=OrderingErrorCode.LINE_NOT_CANCELLABLE, field=FIELD)
    if not line.digital:
        await marketplace.release_stock(session, {line.offer_id: line.quantity})
    if shipment.line_count > 1:
        cancelled_id = (await session.execute(_SPLIT_OFF, {
            "subtotal": line.line_total_minor, "tax": line.tax_minor, "id": shipment.id})).scalar_one()
        await session.execute(text("UPDATE order_lines SET shipment_id = :to WHERE id = :id"),
                              {"to": cancelled_id, "id": order_line_id})
        await session.execute(text(
            "UPDATE shipments SET subtotal_minor = subtotal_minor - :subtotal, tax_minor = tax_minor - :tax"
            " WHERE id = :id"), {"subtotal": line.line_total_minor, "tax": line.tax_minor, "id": shipment.id})
    else:
        cancelled_id = shipment.id
        await session.execute(text("UPDATE shipments SET status = 'CANCELLED', cancelled_at = now() WHERE id = :id"),
                              {"id": shipment.id})
    await history.record(session, order.id, "PREORDER_CANCELLED",
                              f"Pre-order of {line.quantity} x {line.title} cancelled: {reason}",
                              shipment_id=cancelled_id, actor_account_id=actor,
                              data={"orderLineId": order_line_id, "reason": reason})
    # The last live shipment cancelled cancels the order: it keeps the reason.
    await session.execute(text(
        "UPDATE orders SET cancel_reason = :reason WHERE id = :id AND NOT EXISTS (SELECT 1 FROM shipments"
        " WHERE order_id = :id AND status <> 'CANCELLED')"), {"reason": reason, "id": order.id})
    await history.refresh_status(session, order.id)
    await jobs.send_email(session, to=order.email, template="shipment_cancelled", context={
        "orderNumber": order.number, "reason": reason, "items": f"- {line.quantity} x {line.title}"},
        dedupe_key=f"preorder-line-cancelled:{order_line_id}")
    await fulfilment.settle_remainder(session, provider, order.id, actor_account_id=actor)
    return order.id
