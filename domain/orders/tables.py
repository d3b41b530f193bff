"""Order tables: orders with their price snapshots, the shipments an order splits into (one per
seller and fulfilment, digital lines and pre-orders apart), the lines, the append-only history
of events, return requests, and every refund given on an order."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ENUM, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.carts.tables import AddressCopies, delivery_option_kind, fulfilment, tax_class
from domain.orders.statuses import OrderStatus, RefundKind, ReturnReason, ReturnStatus, ShipmentKind, ShipmentStatus
from domain.shared.db import Base

order_status = ENUM(*OrderStatus, name="order_status")
shipment_status = ENUM(*ShipmentStatus, name="shipment_status")
shipment_kind = ENUM(*ShipmentKind, name="shipment_kind")
return_reason = ENUM(*ReturnReason, name="return_reason")
return_status = ENUM(*ReturnStatus, name="return_status")
refund_kind = ENUM(*RefundKind, name="refund_kind")

_MONEY_NOT_NEGATIVE = "{0} >= 0"


class Order(AddressCopies, Base):
    """A customer's order: what was bought at which prices (a snapshot, never recomputed), where
    it goes, and its status, which follows its shipments. One order per cart."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("number ~ '^TRB-[0-9]{4}-[0-9]{7,}-[0-9]$'", name="number_format"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint("subtotal_minor >= 0 AND delivery_minor >= 0 AND tax_minor >= 0 AND discount_minor >= 0",
                        name="amounts_not_negative"),
        CheckConstraint("total_minor = subtotal_minor + delivery_minor + tax_minor - discount_minor",
                        name="total_adds_up"),
        CheckConstraint("(status = 'CANCELLED') = (cancelled_at IS NOT NULL)", name="cancelled_has_time"),
        CheckConstraint("ship_country_code IS NULL OR ship_country_code ~ '^[A-Z]{2}$'",
                        name="ship_country_code_format"),
        CheckConstraint("bill_country_code IS NULL OR bill_country_code ~ '^[A-Z]{2}$'",
                        name="bill_country_code_format"),
        Index("ix_orders_account_id_placed_at", "account_id", text("placed_at DESC"), text("id DESC")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    # NULL for an order the Subscribe & Save scheduler placed (it has no cart).
    cart_id: Mapped[int | None] = mapped_column(ForeignKey("carts.id", ondelete="RESTRICT"), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(order_status, server_default="PLACED")
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    delivery_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    discount_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    total_minor: Mapped[int] = mapped_column(BigInteger)
    # A copy of the shipping address (null when every line is digital).
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)


class Shipment(Base):
    """What one seller sends with one fulfilment and delivery option (a PHYSICAL shipment), or
    the digital lines of one seller (DIGITAL, delivered at once). Pre-ordered lines travel in
    their own shipment, AWAITING_RELEASE until the release date. A replacement for a wrong
    item names the shipment it replaces and costs the customer nothing."""

    __tablename__ = "shipments"
    __table_args__ = (
        CheckConstraint("(kind = 'DIGITAL') = (fulfilment IS NULL)", name="digital_has_no_fulfilment"),
        CheckConstraint("(kind = 'DIGITAL') = (delivery_option IS NULL)", name="digital_has_no_delivery"),
        CheckConstraint("(delivery_option = 'PICKUP') = (pickup_location_id IS NOT NULL)",
                        name="pickup_has_location"),
        CheckConstraint("subtotal_minor >= 0 AND delivery_minor >= 0 AND tax_minor >= 0 AND captured_minor >= 0",
                        name="amounts_not_negative"),
        CheckConstraint("(status IN ('SHIPPED', 'DELIVERED')) <= (shipped_at IS NOT NULL)", name="shipped_has_time"),
        CheckConstraint("(status = 'DELIVERED') = (delivered_at IS NOT NULL)", name="delivered_has_time"),
        CheckConstraint("(status = 'AWAITING_RELEASE') <= (release_date IS NOT NULL)",
                        name="awaiting_release_has_date"),
        # A pre-order is charged at its release, never before.
        CheckConstraint("(status = 'AWAITING_RELEASE') <= (captured_minor = 0)", name="awaiting_release_not_captured"),
        Index("ix_shipments_order_id", "order_id"),
        Index("ix_shipments_seller_id_status", "seller_id", "status", "id"),
        Index("ix_shipments_awaiting_release", "release_date", postgresql_where=text("status = 'AWAITING_RELEASE'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(shipment_kind)
    fulfilment: Mapped[str | None] = mapped_column(fulfilment)
    delivery_option: Mapped[str | None] = mapped_column(delivery_option_kind)
    pickup_location_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_locations.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(shipment_status)
    # Pre-orders: the product's release date; a job captures and releases the shipment then.
    release_date: Mapped[date | None] = mapped_column(Date)
    estimated_delivery_date: Mapped[date | None] = mapped_column(Date)
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    delivery_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    # What was captured for this shipment (at shipment, at release, or at once for digital).
    captured_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    carrier: Mapped[str | None] = mapped_column(String(60))
    tracking_number: Mapped[str | None] = mapped_column(String(60))
    replacement_for_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OrderLine(Base):
    """An offer bought: the product's title and the prices as they were at checkout, so the
    order reads the same whatever happens to the catalogue later. `category_id` is kept for
    the seller's commission at sale."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("unit_price_minor >= 0 AND line_total_minor >= 0 AND tax_minor >= 0",
                        name="amounts_not_negative"),
        CheckConstraint("line_total_minor = unit_price_minor * quantity", name="total_adds_up"),
        CheckConstraint("returned_quantity BETWEEN 0 AND quantity", name="returned_within_quantity"),
        CheckConstraint("refunded_minor BETWEEN 0 AND line_total_minor + tax_minor", name="refunded_within_paid"),
        Index("ix_order_lines_order_id", "order_id"),
        Index("ix_order_lines_shipment_id", "shipment_id"),
        Index("ix_order_lines_product_id", "product_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="RESTRICT"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(Text)
    format: Mapped[str | None] = mapped_column(String(40))
    digital: Mapped[bool] = mapped_column(Boolean)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    line_total_minor: Mapped[int] = mapped_column(BigInteger)
    tax_class: Mapped[str] = mapped_column(tax_class)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    returned_quantity: Mapped[int] = mapped_column(Integer, server_default="0")
    refunded_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")


class OrderEvent(Base):
    """One thing that happened to an order (placed, captured, shipped, delivered, cancelled,
    refunded, a return requested...), in order; never changed afterwards."""

    __tablename__ = "order_events"
    __table_args__ = (
        Index("ix_order_events_order_id", "order_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    # Who did it (null: the platform itself, e.g. a job).
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReturnRequest(Base):
    """A customer asks to send back some lines of a delivered or shipped order, with a reason."""

    __tablename__ = "return_requests"
    __table_args__ = (
        CheckConstraint("refund_minor >= 0", name="refund_not_negative"),
        Index("ix_return_requests_order_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(return_reason)
    comment: Mapped[str] = mapped_column(Text, server_default="")
    status: Mapped[str] = mapped_column(return_status, server_default="REQUESTED")
    refund_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    replacement_shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReturnRequestLine(Base):
    """How many units of one order line a return request covers."""

    __tablename__ = "return_request_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
    )

    return_request_id: Mapped[int] = mapped_column(ForeignKey("return_requests.id", ondelete="CASCADE"),
                                                   primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)


class OrderRefund(Base):
    """Money given back on an order, why, and by whom: a cancellation, a return, a goodwill
    gesture, or the pre-order price guarantee. The payment's own transactions hold the provider's
    side; `idempotency_key` makes a retried refund request give no second refund."""

    __tablename__ = "order_refunds"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("length(reason) BETWEEN 1 AND 500", name="reason_length"),
        UniqueConstraint("order_id", "idempotency_key"),
        Index("ix_order_refunds_order_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(refund_kind)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    reason: Mapped[str] = mapped_column(Text)
    return_request_id: Mapped[int | None] = mapped_column(ForeignKey("return_requests.id", ondelete="SET NULL"))
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
