"""Taking the money for a shipment, and crediting its sellers.

The order's payment is authorized for the whole order at checkout; each shipment's share is
captured when the shipment goes out (a digital shipment at checkout, a pre-order at its
release): its items, its delivery and its tax, minus what was captured for it before. At
that moment the sale happens for the seller: every line of the shipment is recorded in the
seller's ledger as a sale of its line total (commission at the product's category rate), and
for a shipment the seller delivers itself (MERCHANT) the delivery fee is the seller's sale
too. Tax is never the seller's: the platform collects and remits it.

Capturing is idempotent: the provider call is keyed by the shipment (or by the caller's
stable key), and the ledger keeps one sale per order line, so a retried capture moves no
money twice. A digital shipment's e-books and streaming videos become licences in the
customer's library when it is captured (one per order line, however often it is captured).
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.errors import OrderingErrorCode
from domain.licences import service as licences
from domain.marketplace import service as marketplace
from domain.marketplace.statuses import Fulfilment
from domain.orders import history
from domain.orders.statuses import ShipmentKind
from domain.payments import service as payments
from domain.payments.provider import PaymentProvider
from domain.shared.errors import DomainError
from domain.shared.money import Money

_SHIPMENT = text(
    "SELECT id, order_id, seller_id, kind::text AS kind, fulfilment::text AS fulfilment, subtotal_minor,"
    " delivery_minor, tax_minor, captured_minor, currency FROM shipments WHERE id = :id FOR UPDATE")
_LINES = text("SELECT id, category_id, line_total_minor, unit_price_minor, quantity FROM order_lines"
              " WHERE shipment_id = :id ORDER BY id")


def due_minor(subtotal: int, delivery: int, tax: int, captured: int) -> int:
    """What is left to capture for a shipment."""
    return max(subtotal + delivery + tax - captured, 0)


async def mark_prepaid(session: AsyncSession, order_id: int) -> None:
    """An order charged in full when it was placed (a Subscribe & Save delivery): each shipment
    is captured already, so shipping it captures nothing more and only records its sales."""
    await session.execute(text("UPDATE shipments SET captured_minor = subtotal_minor + delivery_minor + tax_minor"
                               " WHERE order_id = :order"), {"order": order_id})


async def order_payment_id(session: AsyncSession, order_id: int) -> int:
    """The order's live payment (the authorization placed at checkout)."""
    payment_id = (await session.execute(text(
        "SELECT id FROM payments WHERE order_id = :id AND status <> 'FAILED' ORDER BY id LIMIT 1"),
        {"id": order_id})).scalar()
    if payment_id is None:
        raise DomainError("This order has no authorized payment.", code=OrderingErrorCode.PAYMENT_FAILED)
    return payment_id


async def capture_shipment(session: AsyncSession, provider: PaymentProvider, shipment_id: int, *,
                           key: str | None = None, actor_account_id: int | None = None) -> int:
    """Captures what is due for the shipment (locked until commit) and records its sales in the
    sellers' ledgers; returns the amount captured now (0 when nothing was due). `key` makes the
    provider call idempotent across retries of the caller (default: the shipment)."""
    shipment = (await session.execute(_SHIPMENT, {"id": shipment_id})).one()
    due = due_minor(shipment.subtotal_minor, shipment.delivery_minor, shipment.tax_minor, shipment.captured_minor)
    if due:
        payment_id = await order_payment_id(session, shipment.order_id)
        await payments.capture(session, provider, payment_id, Money(due, shipment.currency),
                               idempotency_key=key or f"shipment:{shipment_id}")
        await session.execute(text("UPDATE shipments SET captured_minor = captured_minor + :due WHERE id = :id"),
                              {"due": due, "id": shipment_id})
        await history.record(session, shipment.order_id, "PAYMENT_CAPTURED",
                                  f"{shipment.currency} {Money(due, shipment.currency).amount} captured for a shipment.",
                                  shipment_id=shipment_id, actor_account_id=actor_account_id,
                                  data={"amountMinor": due})
    await record_sales(session, shipment)
    if shipment.kind == ShipmentKind.DIGITAL:
        await issue_licences(session, shipment)
    return due


async def issue_licences(session: AsyncSession, shipment) -> None:
    """A captured digital shipment's e-books and streams go to the customer's library (a line
    gets one licence however often its shipment is captured)."""
    rows = (await session.execute(text(
        "SELECT l.id, l.product_id, o.account_id FROM order_lines l JOIN orders o ON o.id = l.order_id"
        " WHERE l.shipment_id = :id ORDER BY l.id"), {"id": shipment.id})).all()
    if rows:
        await licences.issue_licences(session, rows[0].account_id, [(r.id, r.product_id) for r in rows])


async def record_sales(session: AsyncSession, shipment) -> None:
    """The shipment's lines (and a MERCHANT shipment's delivery fee) as sales in the seller's
    ledger; recording them again changes nothing."""
    lines = (await session.execute(_LINES, {"id": shipment.id})).all()
    for line in lines:
        if line.line_total_minor:
            await marketplace.record_sale(session, shipment.seller_id, line.category_id,
                                          Money(line.line_total_minor, shipment.currency),
                                          sale_reference(line.id), order_id=shipment.order_id)
    if shipment.fulfilment == Fulfilment.MERCHANT and shipment.delivery_minor and lines:
        await marketplace.record_sale(session, shipment.seller_id, lines[0].category_id,
                                      Money(shipment.delivery_minor, shipment.currency),
                                      delivery_sale_reference(shipment.id), order_id=shipment.order_id)


def sale_reference(order_line_id: int) -> str:
    """The ledger reference of an order line's sale (refunds of the line point at it)."""
    return f"order-line:{order_line_id}"


def delivery_sale_reference(shipment_id: int) -> str:
    """The ledger reference of a MERCHANT shipment's delivery fee."""
    return f"shipment-delivery:{shipment_id}"
