"""Refunds: money given back on an order, always through the order's payment.

A refund never exceeds what was captured less what was refunded (REFUND_EXCEEDS_CAPTURED):
`payments.refund` checks it under the payment's row lock, so concurrent refunds never pass
together; every use case here also locks the order's row first, like every order use case.
Each refund is an `order_refunds` row (kind RETURN, OTHER or GOODWILL), a REFUNDED event and a
"refund_issued" e-mail.

- `refund_return` (in `return_decisions`): customer service (administrators) or the staff of the seller that sold the
  returned lines accept a return request: the returned units' line amount plus their share of
  the line's tax go back (the share of a line's tax is cumulative and rounded half-up, so a
  line returned whole in any number of parts gives back exactly its tax). For a wrong item it
  is the wrong item that is refunded; its replacement was free.
- `reject_return` (in `return_decisions`): the same people refuse a request, with a reason the customer reads.
- `refund_order`: administrators refund given amounts on given lines (each at most what was
  paid for the line, its total and tax, less what was refunded on it: REFUND_EXCEEDS_LINE);
  only lines whose shipment was charged (NOT_CAPTURED otherwise: cancel those instead).
- `goodwill_refund`: administrators give money back as a gesture (a late parcel, a bad
  experience), not tied to lines.
- `refund_digital_line`: what is left of a digital line (its total and tax less what was
  refunded on it) goes back as a RETURN, for an e-book returned from the library
  (`ebook_returns`, which checks who may and locks the order first).

Sellers: a refund of a line reverses the seller's sale in proportion (`record_refund` with the
part of the amount that is not tax; cumulative, rounded half-up, so a line refunded whole
reverses exactly its sale, and the commission goes back in the same share). A goodwill refund
writes NO seller ledger entry: it is the platform's gesture, paid by the platform; the seller
sold and delivered what was ordered and keeps its sale.

Idempotency: `refund_order` and `goodwill_refund` take the caller's idempotency key; the same
key on the same order returns the first refund (IDEMPOTENCY_KEY_REUSED if the amount, the
lines or the kind differ), and the provider call is keyed by it, so a retry after a lost
answer never pays twice. A return is refunded once: its status guards it (RETURN_NOT_OPEN); a
returned e-book's line once: its licence's status guards it, and the provider call is keyed by
the line.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.errors import OrderingErrorCode
from domain.carts.pricing import round_half_up
from domain.idempotency import service as idempotency
from domain.jobs import service as jobs
from domain.marketplace import service as marketplace
from domain.orders import announcements, history, settlement
from domain.orders.entities import OrderRefund
from domain.orders.locks import LockedOrder, lock_order
from domain.orders.statuses import RefundKind
from domain.payments import service as payments
from domain.payments.provider import PaymentProvider
from domain.shared import reasons
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.money import EXPONENTS, Money
from domain.shared.principal import Principal

MAX_REASON = 500


class GivenAmount(Protocol):
    """An amount as a client gave it (a decimal and a currency), e.g. the API's MoneyInput."""

    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class LineRefund:
    order_line_id: int
    amount: Money | GivenAmount


def line_tax_share(tax_minor: int, quantity: int, returned_before: int, units: int) -> int:
    """The tax of `units` more units of a line of `quantity` units whose tax is `tax_minor`,
    after `returned_before` units: cumulative and rounded half-up, so the shares of a line's
    units add up to its tax."""
    return (round_half_up(tax_minor * (returned_before + units), quantity)
            - round_half_up(tax_minor * returned_before, quantity))


def seller_share(line_total_minor: int, tax_minor: int, refunded_before: int, amount: int) -> int:
    """The part of a refund of `amount` on a line that is not tax: the seller's sale reversed.
    Cumulative over the line's refunds and rounded half-up, so a line refunded whole reverses
    exactly its line total."""
    paid = line_total_minor + tax_minor
    if paid == 0:
        return 0
    return (round_half_up(line_total_minor * (refunded_before + amount), paid)
            - round_half_up(line_total_minor * refunded_before, paid))


def valid_reason(reason: str) -> str:
    return reasons.reason(reason, MAX_REASON)


def _minor(amount: Money | GivenAmount, currency: str, field: list[str]) -> int:
    """Minor units of a positive amount in the order's currency, with no more decimals than it has."""
    if amount.currency != currency:
        raise InvalidInput(f"This order is paid in {currency}, not {amount.currency}.", code=OrderingErrorCode.CURRENCY_MISMATCH,
                           field=[*field, "currencyCode"])
    if isinstance(amount, Money):
        minor = amount.minor
    else:
        try:
            value = Decimal(amount.amount)
            scaled = value.scaleb(EXPONENTS[currency]) if value.is_finite() else None
        except (InvalidOperation, TypeError, ValueError):
            scaled = None
        if scaled is None or scaled != scaled.to_integral_value():
            raise InvalidInput(f"An amount in {currency} has at most {EXPONENTS[currency]} decimals.",
                               code=OrderingErrorCode.INVALID_AMOUNT, field=[*field, "amount"])
        minor = int(scaled)
    if minor <= 0:
        raise InvalidInput("A refund is above zero.", code=OrderingErrorCode.INVALID_AMOUNT, field=[*field, "amount"])
    return minor


def _show(minor: int, currency: str) -> str:
    return f"{Money(minor, currency).amount} {currency}"


def _refund_from_row(row) -> OrderRefund:
    return OrderRefund(row.id, row.order_id, row.payment_id, row.kind, Money(row.amount_minor, row.currency),
                       row.reason, row.return_request_id, row.actor_account_id, row.created_at)


_REFUND_COLUMNS = ("id, order_id, payment_id, kind::text AS kind, amount_minor, currency, reason, return_request_id,"
                   " actor_account_id, created_at")


async def _order_for_admin(session: AsyncSession, principal: Principal, order_id: int) -> LockedOrder:
    principal.require_admin()
    order = await lock_order(session, order_id)
    if order is None:
        raise NotFound("No such order.", field=["input", "orderId"])
    return order


async def refund_money(session: AsyncSession, provider: PaymentProvider, order: LockedOrder, *, kind: str,
                        minor: int, reason: str, actor: int | None, key: str | None, provider_key: str,
                        return_request_id: int | None = None,
                        lines: Sequence[tuple[int, int]] = (), email_template: str = "refund_issued",
                        email_context: dict | None = None) -> OrderRefund:
    """Refunds `minor` through the order's payment and records it (row, event, e-mail: by
    default `refund_issued`; `email_context` adds to its context)."""
    payment_id = await settlement.order_payment_id(session, order.id)
    await payments.refund(session, provider, payment_id, Money(minor, order.currency), reason,
                          idempotency_key=provider_key)
    row = (await session.execute(text(
        f"INSERT INTO order_refunds (order_id, payment_id, kind, amount_minor, currency, reason, return_request_id,"
        f" actor_account_id, idempotency_key) VALUES (:order, :payment, CAST(:kind AS refund_kind), :amount,"
        f" :currency, :reason, :return, :actor, :key) RETURNING {_REFUND_COLUMNS}"),
        {"order": order.id, "payment": payment_id, "kind": kind, "amount": minor, "currency": order.currency,
         "reason": reason, "return": return_request_id, "actor": actor, "key": key})).one()
    refund = _refund_from_row(row)
    await announcements.refund_created(session, refund.id, order.id, order.account_id, [line for line, _ in lines])
    await history.record(
        session, order.id, "REFUNDED", f"{_show(minor, order.currency)} refunded ({kind.lower()}): {reason}",
        actor_account_id=actor,
        data={"refundId": refund.id, "kind": kind, "amountMinor": minor, "returnRequestId": return_request_id,
              "lines": [[line_id, amount] for line_id, amount in lines]})
    await jobs.send_email(session, to=order.email, template=email_template, context={
        "orderNumber": order.number, "amount": _show(minor, order.currency), "reason": reason,
        **(email_context or {})}, dedupe_key=f"refund-issued:{refund.id}")
    return refund


async def reverse_sales(session: AsyncSession, order: LockedOrder, refund_id: int, lines: Sequence) -> None:
    """Each line's seller gives back the part of the line's refund that is not tax. `lines`:
    (line row with seller_id, line_total_minor, tax_minor, refunded_minor before, amount)."""
    for line, amount in lines:
        share = seller_share(line.line_total_minor, line.tax_minor, line.refunded_minor, amount)
        if share:
            await marketplace.record_refund(session, line.seller_id, settlement.sale_reference(line.id),
                                            Money(share, order.currency), f"order-refund:{refund_id}:line:{line.id}",
                                            order_id=order.id)
        await session.execute(text(
            "UPDATE order_lines SET refunded_minor = refunded_minor + :amount WHERE id = :id"),
            {"amount": amount, "id": line.id})


async def _replayed(session: AsyncSession, order_id: int, key: str, kind: str, minor: int,
                    lines: Sequence[tuple[int, int]]) -> OrderRefund | None:
    """The refund made before with this key on this order, if it is the same refund."""
    row = (await session.execute(text(
        f"SELECT {_REFUND_COLUMNS} FROM order_refunds WHERE order_id = :order AND idempotency_key = :key"),
        {"order": order_id, "key": key})).one_or_none()
    if row is None:
        return None
    data = (await session.execute(text(
        "SELECT data FROM order_events WHERE order_id = :order AND kind = 'REFUNDED'"
        " AND (data->>'refundId')::bigint = :id"), {"order": order_id, "id": row.id})).scalar() or {}
    if isinstance(data, str):
        data = json.loads(data)
    before = sorted(tuple(pair) for pair in data.get("lines", []))
    if (row.kind, row.amount_minor, before) != (kind, minor, sorted(lines)):
        raise DomainError("This idempotency key was already used for a different refund on this order.",
                          code=OrderingErrorCode.IDEMPOTENCY_KEY_REUSED, field=["input", "idempotencyKey"])
    return _refund_from_row(row)


async def refundable_minor(session: AsyncSession, order_id: int) -> int:
    payment_id = await settlement.order_payment_id(session, order_id)
    payment = await payments.payment_in_session(session, payment_id)
    return payment.refundable.minor


def exceeds_captured(minor: int, refundable: int, currency: str, field: list[str]) -> DomainError:
    return DomainError(f"Only {_show(refundable, currency)} of this order's payment can be refunded (captured less"
                       f" refunded); asked for {_show(minor, currency)}.", code=OrderingErrorCode.REFUND_EXCEEDS_CAPTURED, field=field)


# -- goodwill -------------------------------------------------------------------------------

async def goodwill_refund(session: AsyncSession, principal: Principal, provider: PaymentProvider, order_id: int,
                          amount: Money | GivenAmount, reason: str, idempotency_key: str) -> OrderRefund:
    """Administrators only: gives `amount` back to the customer as a gesture, up to what can be
    refunded (captured less refunded). No seller pays for it (see the module docstring)."""
    principal.require_admin()
    reason = valid_reason(reason)
    key = idempotency.validate_key(idempotency_key)
    order = await _order_for_admin(session, principal, order_id)
    minor = _minor(amount, order.currency, ["input", "amount"])
    replayed = await _replayed(session, order.id, key, "GOODWILL", minor, [])
    if replayed is not None:
        return replayed
    refundable = await refundable_minor(session, order.id)
    if minor > refundable:
        raise exceeds_captured(minor, refundable, order.currency, ["input", "amount", "amount"])
    return await refund_money(session, provider, order, kind=RefundKind.GOODWILL, minor=minor, reason=reason,
                               actor=principal.account_id, key=key, provider_key=f"order-refund:{order.id}:{key}")


# -- given amounts on given lines -----------------------------------------------------------

_ORDER_LINES = text("""
SELECT l.id, l.seller_id, l.title, l.line_total_minor, l.tax_minor, l.refunded_minor, s.captured_minor
FROM order_lines l JOIN shipments s ON s.id = l.shipment_id
WHERE l.order_id = :order AND l.id = ANY(CAST(:ids AS bigint[])) ORDER BY l.id""")


async def refund_order(session: AsyncSession, principal: Principal, provider: PaymentProvider, order_id: int,
                       lines: Sequence[LineRefund], reason: str, idempotency_key: str) -> OrderRefund:
    """Administrators only: refunds the given amounts on the given lines of the order (see the
    module docstring for the limits); the lines' sellers give back their share."""
    principal.require_admin()
    reason = valid_reason(reason)
    key = idempotency.validate_key(idempotency_key)
    field = ["input", "lines"]
    if not lines:
        raise InvalidInput("Name at least one line to refund.", field=field)
    seen: set[int] = set()
    for index, line in enumerate(lines):
        if line.order_line_id in seen:
            raise InvalidInput("Name each line once.", field=[*field, str(index), "orderLineId"])
        seen.add(line.order_line_id)
    order = await _order_for_admin(session, principal, order_id)
    asked = [(line.order_line_id, _minor(line.amount, order.currency, [*field, str(index), "amount"]))
             for index, line in enumerate(lines)]
    minor = sum(amount for _, amount in asked)
    replayed = await _replayed(session, order.id, key, "OTHER", minor, asked)
    if replayed is not None:
        return replayed
    found = {r.id: r for r in (await session.execute(_ORDER_LINES, {
        "order": order.id, "ids": [line_id for line_id, _ in asked]})).all()}
    for index, (line_id, amount) in enumerate(asked):
        row = found.get(line_id)
        if row is None:
            raise NotFound("No such line in this order.", field=[*field, str(index), "orderLineId"])
        if row.captured_minor == 0:
            raise DomainError(f"{row.title!r} was not charged yet (its shipment was not captured): cancel it"
                              " instead.", code=OrderingErrorCode.NOT_CAPTURED, field=[*field, str(index), "orderLineId"])
        left = row.line_total_minor + row.tax_minor - row.refunded_minor
        if amount > left:
            raise DomainError(f"Only {_show(left, order.currency)} of {row.title!r} can be refunded (paid"
                              f" {_show(row.line_total_minor + row.tax_minor, order.currency)}, refunded"
                              f" {_show(row.refunded_minor, order.currency)}); asked for"
                              f" {_show(amount, order.currency)}.", code=OrderingErrorCode.REFUND_EXCEEDS_LINE,
                              field=[*field, str(index), "amount", "amount"])
    refundable = await refundable_minor(session, order.id)
    if minor > refundable:
        raise exceeds_captured(minor, refundable, order.currency, field)
    refund = await refund_money(session, provider, order, kind=RefundKind.OTHER, minor=minor, reason=reason,
                                 actor=principal.account_id, key=key, provider_key=f"order-refund:{order.id}:{key}",
                                 lines=asked)
    await reverse_sales(session, order, refund.id, [(found[line_id], amount) for line_id, amount in asked])
    return refund


# -- a digital line given back whole --------------------------------------------------------

_DIGITAL_LINE = text("""
SELECT l.id, l.seller_id, l.title, l.line_total_minor, l.tax_minor, l.refunded_minor, s.captured_minor
FROM order_lines l JOIN shipments s ON s.id = l.shipment_id
WHERE l.order_id = :order AND l.id = :id AND l.digital""")


async def refund_digital_line(session: AsyncSession, provider: PaymentProvider, order: LockedOrder,
                              order_line_id: int, reason: str, actor: int | None, *, kind: str = "RETURN",
                              email_template: str = "refund_issued",
                              email_context: dict | None = None) -> OrderRefund | None:
    """Refunds what is left of a digital line of the order (locked by the caller): its total
    and tax less what was refunded on it, as a RETURN (or `kind`) with the seller's sale
    reversed. None when nothing is left (a free title, or a line an administrator refunded
    whole before)."""
    line = (await session.execute(_DIGITAL_LINE, {"order": order.id, "id": order_line_id})).one_or_none()
    if line is None:
        raise NotFound("No such digital line in this order.", field=["input", "licenceId"])
    if line.captured_minor == 0:
        raise DomainError(f"{line.title!r} was not charged yet.", code=OrderingErrorCode.NOT_CAPTURED, field=["input", "licenceId"])
    minor = line.line_total_minor + line.tax_minor - line.refunded_minor
    if minor <= 0:
        return None
    refundable = await refundable_minor(session, order.id)
    if minor > refundable:
        raise exceeds_captured(minor, refundable, order.currency, ["input", "licenceId"])
    refund = await refund_money(session, provider, order, kind=kind, minor=minor, reason=reason, actor=actor,
                                 key=None, provider_key=f"order-refund:digital-line:{line.id}",
                                 lines=[(line.id, minor)], email_template=email_template,
                                 email_context=email_context)
    await reverse_sales(session, order, refund.id, [(line, minor)])
    return refund
