"""Pre-orders follow their product's release date, and their customers are told when it moves.

The catalogue owns the date: when an administrator (or an import) changes a product's release
date, the catalogue queues a `catalogue.release_date_changed` job in the same transaction, and
the composition root of the jobs hands it to `follow_release_date`. The charge and the release
already follow the new date from that commit on (`preorders` reads the product's date); this
brings each waiting shipment's own dates (the ones the customer reads) up to it and tells the
customer:
- a shipment AWAITING_RELEASE with a line of the product gets the latest release date of its
  products (today when none has one any more), and its estimated delivery moves by as many
  business days as it had after the old date;
- a RELEASE_DATE_CHANGED event on the order, and a "preorder_date_changed" e-mail per shipment.

Shipments already up to date are left alone, so the job is safe to run again and several quick
changes give one e-mail per date the customer actually had. At most `MAX_ORDERS_PER_RUN`
orders per call; the caller runs it again while it says more may be left.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts import delivery
from domain.jobs import service as jobs
from domain.orders import history
from domain.orders.locks import lock_order
from domain.shared import clock

MAX_ORDERS_PER_RUN = 500

# The products' latest release date of a shipment's lines, as the catalogue says now.
_CURRENT = ("(SELECT max(p.release_date) FROM order_lines l JOIN products p ON p.id = l.product_id"
            " WHERE l.shipment_id = s.id)")
_BEHIND = f"s.status = 'AWAITING_RELEASE' AND s.release_date IS DISTINCT FROM coalesce({_CURRENT}, :today)"
_ORDERS = text(
    f"SELECT DISTINCT s.order_id FROM shipments s JOIN order_lines l ON l.shipment_id = s.id"
    f" WHERE l.product_id = :product AND {_BEHIND} ORDER BY s.order_id LIMIT :limit")
_SHIPMENTS = text(
    f"SELECT s.id, s.release_date, s.estimated_delivery_date, coalesce({_CURRENT}, :today) AS current"
    f" FROM shipments s WHERE s.order_id = :order AND {_BEHIND} ORDER BY s.id FOR UPDATE OF s")
_TITLES = text("SELECT string_agg(quantity || ' x ' || title, ', ' ORDER BY id) FROM order_lines"
               " WHERE shipment_id = :id")


async def follow_release_date(session: AsyncSession, product_id: int) -> bool:
    """Moves the waiting pre-orders of a product to its current release date and tells their
    customers (see the module docstring); True when orders may be left for another run."""
    today = clock.today()
    order_ids = (await session.execute(_ORDERS, {"product": product_id, "today": today,
                                                 "limit": MAX_ORDERS_PER_RUN})).scalars().all()
    for order_id in order_ids:
        order = await lock_order(session, order_id)
        # Read under the order's lock: a release or a cancellation may have come first.
        for shipment in (await session.execute(_SHIPMENTS, {"order": order_id, "today": today})).all():
            await _move(session, order, shipment, product_id)
    return len(order_ids) == MAX_ORDERS_PER_RUN


async def _move(session: AsyncSession, order, shipment, product_id: int) -> None:
    old, new = shipment.release_date, shipment.current
    estimate = shipment.estimated_delivery_date
    if estimate is not None:
        estimate = delivery.add_business_days(new, delivery.business_days_between(old, estimate))
    await session.execute(text(
        "UPDATE shipments SET release_date = :new, estimated_delivery_date = :estimate WHERE id = :id"),
        {"new": new, "estimate": estimate, "id": shipment.id})
    await history.record(
        session, order.id, "RELEASE_DATE_CHANGED", f"Release date moved from {old:%Y-%m-%d} to {new:%Y-%m-%d}:"
        " the pre-order is charged and released then.", shipment_id=shipment.id,
        data={"productId": product_id, "previousReleaseDate": old.isoformat(), "releaseDate": new.isoformat(),
              "estimatedDeliveryDate": estimate.isoformat() if estimate else None})
    items = (await session.execute(_TITLES, {"id": shipment.id})).scalar()
    await jobs.send_email(session, to=order.email, template="preorder_date_changed", context={
        "orderNumber": order.number, "items": items, "previousDate": f"{old:%Y-%m-%d}",
        "releaseDate": f"{new:%Y-%m-%d}", "estimatedDelivery": f"{estimate or new:%Y-%m-%d}"})
