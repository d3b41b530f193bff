"""The order events integrations hear of (webhooks): placed, refunded, return requested. Each is
published in the transaction that makes the change, naming the sellers concerned (those whose
shipments hold the lines at stake) and those shipments, which a seller's webhook may see."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events.kinds import EventKind
from domain.events.outbox import publish

_SHIPMENTS = text(
    "SELECT DISTINCT s.id, s.seller_id FROM shipments s WHERE s.order_id = :order AND (cardinality(CAST(:lines AS"
    " bigint[])) = 0 OR s.id IN (SELECT l.shipment_id FROM order_lines l WHERE l.id = ANY(CAST(:lines AS bigint[]))))"
    " ORDER BY s.id")


async def order_placed(session: AsyncSession, order_id: int, account_id: int, shipments: Sequence) -> None:
    """order.placed: every seller with a shipment of the order is concerned."""
    await publish(session, EventKind.ORDER_PLACED, order_id, customer_id=account_id,
                  seller_ids=[s.seller_id for s in shipments], data={"shipmentIds": sorted(s.id for s in shipments)})


async def _concerned(session: AsyncSession, order_id: int, line_ids: Iterable[int]) -> list:
    return (await session.execute(_SHIPMENTS, {"order": order_id, "lines": sorted(set(line_ids))})).all()


async def refund_created(session: AsyncSession, refund_id: int, order_id: int, account_id: int,
                         line_ids: Iterable[int]) -> None:
    """refund.created: the sellers of the refunded lines (of the whole order for an order-wide refund)."""
    shipments = await _concerned(session, order_id, line_ids)
    await publish(session, EventKind.REFUND_CREATED, refund_id, customer_id=account_id,
                  seller_ids=[s.seller_id for s in shipments],
                  data={"orderId": order_id, "shipmentIds": [s.id for s in shipments]})


async def return_requested(session: AsyncSession, request_id: int, order_id: int, account_id: int,
                           line_ids: Iterable[int]) -> None:
    """return.requested: the sellers of the lines asked back."""
    shipments = await _concerned(session, order_id, line_ids)
    await publish(session, EventKind.RETURN_REQUESTED, request_id, customer_id=account_id,
                  seller_ids=[s.seller_id for s in shipments],
                  data={"orderId": order_id, "shipmentIds": [s.id for s in shipments]})
