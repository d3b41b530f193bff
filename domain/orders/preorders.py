"""Pre-orders: items ordered before their release date wait in their own AWAITING_RELEASE
shipment, and nothing is charged for them until they are released.

The release date is the catalogue's: a shipment is due once every product in it has a release
date of today or earlier (or none any more), as the products say now, not as they said at
checkout. So moving a product's release date moves the charge and the release of every
pre-order waiting for it, in the transaction that moves it; the shipment's own `release_date`
is the date the customer was last told (`preorder_dates` follows the catalogue's changes and
tells them).

On the release date (`release_due`, run daily by the `ordering.release_preorders` job and on
demand by administrators):
- the pre-order price guarantee: each line is charged the lowest price its offer had at any
  moment between the order and the release (from the offer's append-only price history). A
  lower price lowers the line's unit price, total and tax (at the line's own rate, its tax over
  its total as at checkout, rounded half-up), and the shipment's and the order's subtotal, tax
  and total, with a PRICE_GUARANTEE_APPLIED event giving the old and new prices. A price that
  rose after the order is never charged: a line's price only goes down;
- the shipment's share of the payment is captured (`settlement.capture_shipment`, which also
  records the sellers' sales at the guaranteed prices); a physical shipment becomes PENDING
  (its seller ships it then), a digital one DELIVERED at once;
- a RELEASED event, the order's status refreshed, and a "preorder_released" e-mail with the
  price paid.

Releasing is safe to run twice or in parallel: each order's row is locked first (SKIP LOCKED:
a second runner moves on to other orders), only shipments still AWAITING_RELEASE are taken,
and the capture is keyed by the shipment, so a shipment is captured once. One order that
cannot be released (its payment failed) is left for the next run without stopping the others.
"""
from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.pricing import round_half_up
from domain.jobs import service as jobs
from domain.marketplace import service as marketplace
from domain.orders import history, settlement
from domain.orders.statuses import ShipmentKind, ShipmentStatus
from domain.payments.provider import PaymentProvider
from domain.shared import clock
from domain.shared.errors import DomainError, InvalidInput
from domain.shared.money import Money
from domain.shared.principal import Principal

log = logging.getLogger("tributary.preorders")

RELEASE_JOB = "ordering.release_preorders"
MAX_ORDERS_PER_RUN = 500

# Due: awaiting, and no product of it is released after `today` (the catalogue's date now).
_DUE = ("s.status = 'AWAITING_RELEASE' AND NOT EXISTS (SELECT 1 FROM order_lines l JOIN products p"
        " ON p.id = l.product_id WHERE l.shipment_id = s.id AND p.release_date > :today)")
_DUE_ORDERS = text(f"SELECT DISTINCT s.order_id FROM shipments s WHERE {_DUE} ORDER BY s.order_id LIMIT :limit")
_LOCK_ORDER = text(
    "SELECT id, number, email, currency, placed_at FROM orders WHERE id = :id FOR UPDATE SKIP LOCKED")
_DUE_SHIPMENTS = text(
    f"SELECT s.id, s.kind::text AS kind FROM shipments s WHERE s.order_id = :order AND {_DUE} ORDER BY s.id"
    " FOR UPDATE OF s")
_LINES = text(
    "SELECT id, shipment_id, offer_id, title, quantity, unit_price_minor, line_total_minor, tax_minor"
    " FROM order_lines WHERE shipment_id = ANY(CAST(:ids AS bigint[])) ORDER BY id")


async def release_due(session: AsyncSession, provider: PaymentProvider, today: date, *,
                      max_orders: int = MAX_ORDERS_PER_RUN) -> int:
    """Releases every pre-order shipment due by `today` (see the module docstring), at most
    `max_orders` orders in one call, in the caller's transaction; returns how many shipments
    were released."""
    released, _ = await _release_batch(session, provider, today, max_orders)
    return released


async def _release_batch(session: AsyncSession, provider: PaymentProvider, today: date,
                         max_orders: int) -> tuple[int, bool]:
    """(shipments released, whether the batch was full: more orders may be due)."""
    released = 0
    order_ids = (await session.execute(_DUE_ORDERS, {"today": today, "limit": max_orders})).scalars().all()
    for order_id in order_ids:
        order = (await session.execute(_LOCK_ORDER, {"id": order_id})).one_or_none()
        if order is None:  # another run holds it
            continue
        try:
            async with session.begin_nested():
                released += await _release_order(session, provider, order, today)
        except DomainError as error:  # declines and provider errors too
            log.warning("pre-order release of order %s failed: %s", order_id, error)
    return released, len(order_ids) == max_orders


async def release_now(session: AsyncSession, principal: Principal, provider: PaymentProvider, *,
                      due_by: date | None = None) -> int:
    """Administrators only: releases at once what is due by `due_by` (today by default; never a
    later day: INVALID), as the daily job does."""
    principal.require_admin()
    today = clock.today()
    if due_by is not None and due_by > today:
        raise InvalidInput(f"Nothing is released before its release date; give a date up to {today} (UTC).",
                           field=["input", "dueBy"])
    return await release_due(session, provider, due_by or today)


async def _release_order(session: AsyncSession, provider: PaymentProvider, order, today: date) -> int:
    shipments = (await session.execute(_DUE_SHIPMENTS, {"order": order.id, "today": today})).all()
    if not shipments:
        return 0
    shipment_ids = [s.id for s in shipments]
    lines = (await session.execute(_LINES, {"ids": shipment_ids})).all()
    await _guarantee_prices(session, order, lines)
    paid = 0
    now = clock.now()
    for shipment in shipments:
        digital = shipment.kind == ShipmentKind.DIGITAL
        # Released first: a shipment awaiting its release is never charged (a CHECK says so). It
        # keeps the date it was released on, whatever date the customer was last told.
        await session.execute(text(
            "UPDATE shipments SET status = CAST(:status AS shipment_status),"
            " shipped_at = CASE WHEN :digital THEN CAST(:now AS timestamptz) END,"
            " delivered_at = CASE WHEN :digital THEN CAST(:now AS timestamptz) END,"
            " release_date = coalesce((SELECT max(p.release_date) FROM order_lines l JOIN products p"
            " ON p.id = l.product_id WHERE l.shipment_id = shipments.id), CAST(:today AS date)) WHERE id = :id"),
            {"status": ShipmentStatus.DELIVERED if digital else ShipmentStatus.PENDING, "digital": digital, "now": now, "today": today,
             "id": shipment.id})
        paid += await settlement.capture_shipment(session, provider, shipment.id)
        await history.record(
            session, order.id, "RELEASED",
            "Pre-order released: " + ("available in your library." if digital else "the seller ships it now."),
            shipment_id=shipment.id, data={"releaseDate": today.isoformat()})
    await history.refresh_status(session, order.id)
    titles = ", ".join(line.title for line in lines)
    await jobs.send_email(session, to=order.email, template="preorder_released", context={
        "orderNumber": order.number, "items": titles, "amountPaid": f"{Money(paid, order.currency).amount}"
        f" {order.currency}", "deliveryNote": "Physical items ship now; you will hear from us when they leave."
        if any(s.kind == ShipmentKind.PHYSICAL for s in shipments) else "Digital items are in your library now."},
        dedupe_key=f"preorder-released:{order.id}:{','.join(map(str, shipment_ids))}")
    return len(shipments)


async def _guarantee_prices(session: AsyncSession, order, lines) -> None:
    """Lowers each line to the lowest price of its offer since the order was placed."""
    lowest = await marketplace.lowest_prices_between(session, [line.offer_id for line in lines], order.placed_at,
                                                     clock.now())
    for line in lines:
        price = lowest.get(line.offer_id)
        if price is None or price >= line.unit_price_minor:
            continue
        total = price * line.quantity
        tax = round_half_up(line.tax_minor * total, line.line_total_minor) if line.line_total_minor else 0
        less_total, less_tax = line.line_total_minor - total, line.tax_minor - tax
        await session.execute(text(
            "UPDATE order_lines SET unit_price_minor = :price, line_total_minor = :total, tax_minor = :tax"
            " WHERE id = :id"), {"price": price, "total": total, "tax": tax, "id": line.id})
        await session.execute(text(
            "UPDATE shipments SET subtotal_minor = subtotal_minor - :total, tax_minor = tax_minor - :tax"
            " WHERE id = :id"), {"total": less_total, "tax": less_tax, "id": line.shipment_id})
        await session.execute(text(
            "UPDATE orders SET subtotal_minor = subtotal_minor - :total, tax_minor = tax_minor - :tax,"
            " total_minor = total_minor - :total - :tax, updated_at = now() WHERE id = :id"),
            {"total": less_total, "tax": less_tax, "id": order.id})
        old, new = Money(line.unit_price_minor, order.currency), Money(price, order.currency)
        await history.record(
            session, order.id, "PRICE_GUARANTEE_APPLIED",
            f"Pre-order price guarantee: {line.title} costs {new.amount} {order.currency} instead of"
            f" {old.amount} {order.currency}, its lowest price since the order.", shipment_id=line.shipment_id,
            data={"orderLineId": line.id, "oldUnitPriceMinor": line.unit_price_minor, "newUnitPriceMinor": price,
                  "oldTaxMinor": line.tax_minor, "newTaxMinor": tax})


# -- the daily job --------------------------------------------------------------------------

def next_release_slot(after: datetime) -> datetime:
    """Midnight UTC after `after`: releases run at the start of each day."""
    day = after.astimezone(UTC).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=UTC)


async def schedule_release(session: AsyncSession, *, day: date | None = None) -> None:
    """Queues the `ordering.release_preorders` run of `day` (UTC; today by default) at its
    midnight, so a worker started late in the day runs today's at once. One run per day at
    most: the dedupe key is the day, so scheduling it again (the job itself, each worker's
    start) never piles runs up."""
    day = day or clock.today()
    slot = datetime.combine(day, time(0), tzinfo=UTC)
    await jobs.enqueue(session, RELEASE_JOB, {"day": day.isoformat()}, run_at=slot,
                       dedupe_key=f"{RELEASE_JOB}@{day.isoformat()}")


async def run_release_job(session: AsyncSession, provider: PaymentProvider) -> int:
    """The `ordering.release_preorders` job: releases what is due today, queues tomorrow's run,
    and, when it stopped at its per-run limit, a follow-up at once."""
    released, full = await _release_batch(session, provider, clock.today(), MAX_ORDERS_PER_RUN)
    if full and released:  # a backlog: go on at once (orders that keep failing wait for tomorrow)
        await jobs.enqueue(session, RELEASE_JOB, {"continued": True})
    await schedule_release(session, day=next_release_slot(clock.now()).date())
    return released
