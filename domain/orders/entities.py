"""Orders as the order use cases read them: the order with its price snapshot, its shipments, lines,
history, refunds and return requests."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.carts.entities import BillingAddress, ShippingAddress
from domain.shared.money import Money


@dataclass(slots=True)
class Order:
    id: int
    number: str
    account_id: int
    email: str
    status: str
    currency: str
    subtotal: Money
    delivery: Money
    tax: Money
    discount: Money
    total: Money
    shipping_address: ShippingAddress | None
    placed_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str | None
    billing_address: BillingAddress | None = None


@dataclass(slots=True)
class Shipment:
    """What one seller sends (or delivers digitally) for an order."""

    id: int
    order_id: int
    seller_id: int
    kind: str
    fulfilment: str | None
    delivery_option: str | None
    pickup_location_id: int | None
    status: str
    release_date: date | None
    estimated_delivery_date: date | None
    subtotal: Money
    delivery: Money
    tax: Money
    captured: Money
    carrier: str | None
    tracking_number: str | None
    replacement_for_id: int | None
    created_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None

    @property
    def total(self) -> Money:
        return Money(self.subtotal.minor + self.delivery.minor + self.tax.minor, self.subtotal.currency)


@dataclass(slots=True)
class OrderLine:
    id: int
    order_id: int
    shipment_id: int
    offer_id: int
    product_id: int
    seller_id: int
    category_id: int
    title: str
    format: str | None
    digital: bool
    quantity: int
    unit_price: Money
    line_total: Money
    tax_class: str
    tax: Money
    returned_quantity: int
    refunded: Money
    purchase_option: str = "BUY"  # RENT: a rental, whose licence is a RENTAL


@dataclass(slots=True)
class OrderEvent:
    id: int
    order_id: int
    shipment_id: int | None
    kind: str
    message: str
    actor_account_id: int | None
    data: dict
    created_at: datetime


@dataclass(slots=True)
class OrderRefund:
    id: int
    order_id: int
    payment_id: int
    kind: str
    amount: Money
    reason: str
    return_request_id: int | None
    actor_account_id: int | None
    created_at: datetime


@dataclass(slots=True)
class ReturnLine:
    order_line_id: int
    quantity: int


@dataclass(slots=True)
class ReturnRequest:
    id: int
    order_id: int
    account_id: int
    reason: str
    comment: str
    status: str
    refund: Money
    replacement_shipment_id: int | None
    created_at: datetime
    resolved_at: datetime | None
    lines: list[ReturnLine] = field(default_factory=list)
