"""Returns: a customer sends back physical items that arrived, with a reason.

Rules (error codes):
- Only the order's customer asks (administrators may, for the customer); anyone else finds no
  such order (NOT_FOUND). The lines must be the order's (NOT_FOUND).
- Only physical items that left (their shipment is SHIPPED or DELIVERED) go back
  (NOT_RETURNABLE): digital items are returned through the e-book flow, and items that did not
  ship yet are cancelled instead.
- Each line's quantity is 1 (INVALID_QUANTITY below) up to what was bought, less what was
  returned and what open requests already cover (RETURN_QUANTITY_EXCEEDED).
- Within the return window (`return_window_days`, 30 by default) after delivery
  (RETURN_WINDOW_CLOSED); a shipment on its way has not started its window.
- WRONG_ITEM (a different item arrived): in the same transaction a replacement ships, free:
  a PENDING shipment from the same seller with the same fulfilment and delivery option,
  `replacement_for` the original, with lines of the same offers and quantities at price 0 and
  their stock reserved (QUANTITY_UNAVAILABLE / OFFER_UNAVAILABLE when the seller has none
  left); and each product is flagged for the catalogue team to check its data. A wrong-item
  request covers the lines of one shipment (INVALID otherwise: one request per shipment).

Every order use case locks the order's row first (FOR UPDATE), so two requests on one order
take turns and see each other's open requests. The customer gets a "return_requested" e-mail.
Refunding or rejecting a request is in `refunds`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.errors import OrderingErrorCode
from domain.catalogue import service as catalogue
from domain.jobs import service as jobs
from domain.marketplace import service as marketplace
from domain.orders import announcements, history, repository
from domain.orders.entities import ReturnRequest
from domain.orders.locks import LockedOrder, lock_order
from domain.orders.statuses import ReturnReason, ShipmentKind, ShipmentStatus
from domain.payments.provider import PaymentProvider
from domain.shared import clock
from domain.shared.config import get_settings
from domain.shared.db import SessionReader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal

MAX_COMMENT = 1000
RETURNABLE_STATUSES = frozenset({ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED})
LINES_FIELD = ["input", "lines"]


@dataclass(frozen=True, slots=True)
class ReturnLineRequest:
    order_line_id: int
    quantity: int


async def return_in_session(session: AsyncSession, return_request_id: int) -> ReturnRequest:
    return (await repository.returns_by_ids(SessionReader(session), [return_request_id]))[return_request_id]


def reason_in_words(reason: str) -> str:
    return reason.replace("_", " ").lower()


_LINES = text("""
SELECT l.id, l.shipment_id, l.offer_id, l.product_id, l.title, l.digital, l.quantity, l.returned_quantity,
  s.kind::text AS shipment_kind, s.status::text AS shipment_status, s.delivered_at,
  coalesce((SELECT sum(rl.quantity) FROM return_request_lines rl JOIN return_requests r ON r.id = rl.return_request_id
            WHERE rl.order_line_id = l.id AND r.status = 'REQUESTED'), 0)::int AS requested
FROM order_lines l JOIN shipments s ON s.id = l.shipment_id
WHERE l.order_id = :order AND l.id = ANY(CAST(:ids AS bigint[]))""")


async def request_return(session: AsyncSession, principal: Principal, provider: PaymentProvider | None, order_id: int,
                         reason: str, comment: str | None, lines: list[ReturnLineRequest], *,
                         return_window_days: int | None = None) -> ReturnRequest:
    """Asks to return `lines` of the order for `reason` (see the module docstring for the
    rules). Nothing is paid back yet: the refund follows when customer service or the seller
    accepts the request. `provider` is unused (nothing is charged: a replacement is free); it
    is taken so every order use case has the same shape."""
    account_id = principal.require_signed_in()
    if reason not in set(ReturnReason):
        raise InvalidInput(f"A return reason is one of {', '.join(ReturnReason)}.", field=["input", "reason"])
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(f"A comment has at most {MAX_COMMENT} characters.", field=["input", "comment"])
    if not lines:
        raise InvalidInput("Name at least one line to return.", field=LINES_FIELD)
    seen: set[int] = set()
    for index, line in enumerate(lines):
        if line.order_line_id in seen:
            raise InvalidInput("Name each line once.", field=_line_field(index, "orderLineId"))
        seen.add(line.order_line_id)
        if line.quantity < 1:
            raise InvalidInput("Return at least 1 unit of each line.", code=OrderingErrorCode.INVALID_QUANTITY,
                               field=_line_field(index, "quantity"))
    window = timedelta(days=return_window_days or get_settings().return_window_days)

    order = await lock_order(session, order_id)
    if order is None or not (principal.is_admin or order.account_id == account_id):
        raise NotFound("No such order.", field=["input", "orderId"])
    found = {r.id: r for r in (await session.execute(_LINES, {
        "order": order_id, "ids": [line.order_line_id for line in lines]})).all()}
    now = clock.now()
    for index, line in enumerate(lines):
        row = found.get(line.order_line_id)
        if row is None:
            raise NotFound("No such line in this order.", field=_line_field(index, "orderLineId"))
        _check_returnable(row, line.quantity, now, window, index)

    request_id = (await session.execute(text(
        "INSERT INTO return_requests (order_id, account_id, reason, comment, currency)"
        " VALUES (:order, :account, CAST(:reason AS return_reason), :comment, :currency) RETURNING id"),
        {"order": order_id, "account": order.account_id, "reason": reason, "comment": comment,
         "currency": order.currency})).scalar_one()
    for line in lines:
        await session.execute(text(
            "INSERT INTO return_request_lines (return_request_id, order_line_id, quantity)"
            " VALUES (:request, :line, :quantity)"),
            {"request": request_id, "line": line.order_line_id, "quantity": line.quantity})
    await announcements.return_requested(session, request_id, order_id, order.account_id,
                                         [line.order_line_id for line in lines])
    units = sum(line.quantity for line in lines)
    await history.record(
        session, order_id, "RETURN_REQUESTED", f"Return of {units} item(s) requested ({reason_in_words(reason)}).",
        actor_account_id=account_id,
        data={"returnRequestId": request_id, "reason": reason,
              "lines": [{"orderLineId": line.order_line_id, "quantity": line.quantity} for line in lines]})
    replacement_note = ""
    if reason == ReturnReason.WRONG_ITEM:
        await _send_replacement(session, order, request_id, lines, found, comment, account_id)
        replacement_note = "A replacement is on its way at no cost; you will hear from us when it ships.\n\n"
    await jobs.send_email(session, to=order.email, template="return_requested", context={
        "orderNumber": order.number, "itemCount": units, "reason": reason_in_words(reason),
        "replacementNote": replacement_note}, dedupe_key=f"return-requested:{request_id}")
    return await return_in_session(session, request_id)


def _line_field(index: int, name: str) -> list[str]:
    return [*LINES_FIELD, str(index), name]


def _check_returnable(row, quantity: int, now, window: timedelta, index: int) -> None:
    field = _line_field(index, "orderLineId")
    if row.digital or row.shipment_kind == ShipmentKind.DIGITAL:
        raise DomainError(f"{row.title!r} is a digital item: digital items are returned from the library (the"
                          " e-book return), not sent back.", code=OrderingErrorCode.NOT_RETURNABLE, field=field)
    if row.shipment_status not in RETURNABLE_STATUSES:
        why = ("it was cancelled" if row.shipment_status == ShipmentStatus.CANCELLED
               else "it has not shipped yet: cancel it instead")
        raise DomainError(f"{row.title!r} cannot be returned: {why}.", code=OrderingErrorCode.NOT_RETURNABLE, field=field)
    left = row.quantity - row.returned_quantity - row.requested
    if quantity > left:
        raise DomainError(f"Only {left} unit(s) of {row.title!r} can still be returned (bought {row.quantity},"
                          f" returned {row.returned_quantity}, in open return requests {row.requested}); asked for"
                          f" {quantity}.", code=OrderingErrorCode.RETURN_QUANTITY_EXCEEDED, field=_line_field(index, "quantity"),
                          extensions={"availableQuantity": max(left, 0)})
    if row.delivered_at is not None and now > row.delivered_at + window:
        raise DomainError(f"{row.title!r} was delivered on {row.delivered_at:%Y-%m-%d}; returns close"
                          f" {window.days} days after delivery.", code=OrderingErrorCode.RETURN_WINDOW_CLOSED, field=field)


async def _send_replacement(session: AsyncSession, order: LockedOrder, request_id: int,
                            lines: list[ReturnLineRequest], found: dict, comment: str, account_id: int) -> None:
    """The free replacement shipment of a wrong item, its stock, and the catalogue flags."""
    shipments = {found[line.order_line_id].shipment_id for line in lines}
    if len(shipments) != 1:
        raise InvalidInput("A wrong-item return covers the lines of one shipment; send one request per shipment.",
                           field=LINES_FIELD)
    original = shipments.pop()
    replacement_id = (await session.execute(text(
        "INSERT INTO shipments (order_id, seller_id, kind, fulfilment, delivery_option, pickup_location_id, status,"
        " subtotal_minor, delivery_minor, tax_minor, currency, replacement_for_id)"
        " SELECT order_id, seller_id, kind, fulfilment, delivery_option, pickup_location_id, 'PENDING', 0, 0, 0,"
        " currency, id FROM shipments WHERE id = :original RETURNING id"), {"original": original})).scalar_one()
    for line in lines:
        await session.execute(text(
            "INSERT INTO order_lines (order_id, shipment_id, offer_id, product_id, seller_id, category_id, title,"
            " format, digital, quantity, unit_price_minor, line_total_minor, tax_class, tax_minor, currency)"
            " SELECT order_id, :shipment, offer_id, product_id, seller_id, category_id, title, format, digital,"
            " :quantity, 0, 0, tax_class, 0, currency FROM order_lines WHERE id = :line"),
            {"shipment": replacement_id, "quantity": line.quantity, "line": line.order_line_id})
    wanted: dict[int, int] = {}
    fields: dict[int, list[str]] = {}
    for index, line in enumerate(lines):
        offer_id = found[line.order_line_id].offer_id
        wanted[offer_id] = wanted.get(offer_id, 0) + line.quantity
        fields.setdefault(offer_id, _line_field(index, "quantity"))
    await marketplace.reserve_stock(session, wanted, fields)
    await session.execute(text("UPDATE return_requests SET replacement_shipment_id = :shipment WHERE id = :id"),
                          {"shipment": replacement_id, "id": request_id})
    # Products in id order: the same order every marketplace write locks them in.
    for line in sorted(lines, key=lambda line: (found[line.order_line_id].product_id, line.order_line_id)):
        row = found[line.order_line_id]
        reason = f"A customer received a different item than {row.title!r} (order {order.number})."
        if comment:
            reason = f"{reason} The customer wrote: {comment}"[: 1000]
        await catalogue.flag_product(session, row.product_id, source="WRONG_ITEM", reason=reason,
                                     reference=f"order-line:{row.id}", reported_by=account_id)
    await history.record(session, order.id, "REPLACEMENT_CREATED",
                              "A replacement for the wrong item ships at no cost.", shipment_id=replacement_id,
                              actor_account_id=account_id,
                              data={"returnRequestId": request_id, "replacementForShipmentId": original})
    await history.refresh_status(session, order.id)
