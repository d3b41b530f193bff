"""Deciding on a return request: customer service or the seller's staff accept it, which refunds
the returned units (see `refunds` for how a refund moves money and reverses the sellers' sales),
or refuse it with a reason the customer reads."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.errors import OrderingErrorCode
from domain.jobs import service as jobs
from domain.orders import history
from domain.orders.entities import ReturnRequest
from domain.orders.locks import lock_order
from domain.orders.refunds import (
    exceeds_captured,
    line_tax_share,
    refund_money,
    refundable_minor,
    reverse_sales,
    valid_reason,
)
from domain.orders.returns import reason_in_words, return_in_session
from domain.orders.statuses import RefundKind, ReturnStatus
from domain.payments.provider import PaymentProvider
from domain.shared.errors import DomainError, Forbidden, NotFound
from domain.shared.principal import Principal

_RETURN_LINES = text("""
SELECT l.id, l.seller_id, l.quantity, l.unit_price_minor, l.line_total_minor, l.tax_minor, l.returned_quantity,
  l.refunded_minor, rl.quantity AS returning
FROM return_request_lines rl JOIN order_lines l ON l.id = rl.order_line_id
WHERE rl.return_request_id = :id ORDER BY l.id""")


async def _open_return(session: AsyncSession, principal: Principal, return_request_id: int):
    """(order, request row, its lines) for a caller who may decide on it, order locked first."""
    principal.require_signed_in()
    if not (principal.is_admin or principal.seller_ids):
        raise Forbidden("Only customer service or the seller's staff may decide on a return.")
    field = ["input", "returnRequestId"]
    order_id = (await session.execute(text("SELECT order_id FROM return_requests WHERE id = :id"),
                                      {"id": return_request_id})).scalar()
    if order_id is None:
        raise NotFound("No such return request.", field=field)
    order = await lock_order(session, order_id)
    request = (await session.execute(text(
        "SELECT id, reason::text AS reason, status::text AS status FROM return_requests WHERE id = :id FOR UPDATE"),
        {"id": return_request_id})).one()
    lines = (await session.execute(_RETURN_LINES, {"id": return_request_id})).all()
    if not principal.is_admin and not all(principal.is_staff_of(line.seller_id) for line in lines):
        raise Forbidden("Only customer service or the staff of the seller that sold these items may decide on"
                        " this return.")
    if request.status != ReturnStatus.REQUESTED:
        raise DomainError(f"This return request was already {request.status.lower()}.", code=OrderingErrorCode.RETURN_NOT_OPEN,
                          field=field)
    return order, request, lines


async def refund_return(session: AsyncSession, principal: Principal, provider: PaymentProvider,
                        return_request_id: int) -> ReturnRequest:
    """Accepts a return request and refunds the returned units (see the module docstring);
    the request becomes REFUNDED."""
    order, request, lines = await _open_return(session, principal, return_request_id)
    refunds = []
    for line in lines:
        amount = line.unit_price_minor * line.returning + line_tax_share(
            line.tax_minor, line.quantity, line.returned_quantity, line.returning)
        # Never more than what is left of the line (an earlier refund of given amounts may have taken part).
        refunds.append((line, min(amount, line.line_total_minor + line.tax_minor - line.refunded_minor)))
    minor = sum(amount for _, amount in refunds)
    for line in lines:
        await session.execute(text(
            "UPDATE order_lines SET returned_quantity = returned_quantity + :units WHERE id = :id"),
            {"units": line.returning, "id": line.id})
    if minor:
        refundable = await refundable_minor(session, order.id)
        if minor > refundable:
            raise exceeds_captured(minor, refundable, order.currency, ["input", "returnRequestId"])
        reason = f"Return of items ({reason_in_words(request.reason)})"
        refund = await refund_money(session, provider, order, kind=RefundKind.RETURN, minor=minor, reason=reason,
                                     actor=principal.account_id, key=None,
                                     provider_key=f"order-refund:return:{request.id}",
                                     return_request_id=request.id,
                                     lines=[(line.id, amount) for line, amount in refunds])
        await reverse_sales(session, order, refund.id, [(line, amount) for line, amount in refunds if amount])
    await session.execute(text(
        "UPDATE return_requests SET status = 'REFUNDED', refund_minor = :refund, resolved_at = now() WHERE id = :id"),
        {"refund": minor, "id": request.id})
    return await return_in_session(session, request.id)


async def reject_return(session: AsyncSession, principal: Principal, return_request_id: int,
                        reason: str) -> ReturnRequest:
    """Refuses a return request with a reason (1-500 characters) the customer reads in an
    e-mail and in the order's history; the request becomes REJECTED. A wrong item's
    replacement, already on its way, is not taken back by this."""
    reason = valid_reason(reason)
    order, request, _ = await _open_return(session, principal, return_request_id)
    await session.execute(text(
        "UPDATE return_requests SET status = 'REJECTED', resolved_at = now() WHERE id = :id"), {"id": request.id})
    await history.record(session, order.id, "NOTE", f"Return request not accepted: {reason}",
                              actor_account_id=principal.account_id,
                              data={"returnRequestId": request.id, "rejected": True, "reason": reason})
    await jobs.send_email(session, to=order.email, template="return_rejected", context={
        "orderNumber": order.number, "reason": reason}, dedupe_key=f"return-rejected:{request.id}")
    return await return_in_session(session, request.id)
