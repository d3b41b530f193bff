"""Order GraphQL types: the order with its price snapshot, shipments, lines, history, refunds,
return requests and payment. An order is visible to its customer and administrators; a
shipment also to the staff of the seller that ships it."""
import datetime

import strawberry
from strawberry.types import Info

from api.carts.enums import DeliveryOptionKind
from api.carts.types import OrderAddress, PickupLocation
from api.catalogue.enums import ProductFormat
from api.catalogue.types import Product
from api.core import ids
from api.core.executor import inline
from api.core.node import Node, node_id
from api.core.scalars import CurrencyCode, Money
from api.marketplace.types import Fulfilment, PurchaseOption, Seller
from api.orders.enums import (
    OrderStatus,
    RefundKind,
    ReturnReason,
    ReturnStatus,
    ShipmentKind,
    ShipmentStatus,
)
from domain.orders import entities
from domain.payments.statuses import PaymentStatus

_FORMATS = {member.value: member for member in ProductFormat}


@strawberry.type(description="A line of an order: what was bought, at the prices of the checkout (a snapshot: later catalogue or price changes do not alter it). Visible to the order's customer, administrators, and the staff of the seller that ships it.")
class OrderLine(Node):
    id: strawberry.ID = node_id("OrderLine")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, entities.OrderLine))

    title: str = strawberry.field(description="The product's title at checkout.")

    @strawberry.field(description="The product's format at checkout (a snapshot, as `Product.format` was then); null when the line has none, or when the format is no longer one of ProductFormat.")
    @inline
    def format(self) -> ProductFormat | None:
        return _FORMATS.get(self.format)
    digital: bool = strawberry.field(description="True for e-books and streams, delivered to the library instead of shipped.")
    purchase_option: PurchaseOption = strawberry.field(description="BUY, or RENT for a video rented (its licence is a RENTAL).")
    quantity: int = strawberry.field(description="Units bought.")
    unit_price: Money = strawberry.field(description="Price of one unit at checkout.")
    line_total: Money = strawberry.field(description="Unit price times quantity.")
    tax: Money = strawberry.field(description="The line's tax at checkout.")
    returned_quantity: int = strawberry.field(description="Units returned so far.")
    refunded: Money = strawberry.field(description="Money refunded on this line so far.")

    @strawberry.field(description="The product bought; null if it was since withdrawn from the catalogue.")
    async def product(self, info: Info) -> Product | None:
        return await info.context.loaders.product_by_id.load(self.product_id)

    @strawberry.field(description="Who sold it.")
    async def seller(self, info: Info) -> Seller | None:
        return await info.context.loaders.seller_by_id.load(self.seller_id)


@strawberry.type(description="What one seller sends for an order (a PHYSICAL shipment, with its delivery option and tracking), or the digital items one seller delivers at once (DIGITAL). Each shipment's share of the payment is captured when it ships.")
class Shipment(Node):
    id: strawberry.ID = node_id("Shipment")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Shipment)

    kind: ShipmentKind = strawberry.field(description="PHYSICAL or DIGITAL.")
    status: ShipmentStatus = strawberry.field(description="Where the shipment stands.")
    fulfilment: Fulfilment | None = strawberry.field(description="Who ships it: the seller (MERCHANT) or the platform (PLATFORM); null for digital items.")
    delivery_option: DeliveryOptionKind | None = strawberry.field(description="How it travels; null for digital items.")
    release_date: datetime.date | None = strawberry.field(description="For pre-ordered items: the release date, when the shipment is released and paid. It follows the product's release date when the catalogue moves it (with the estimated delivery date, a RELEASE_DATE_CHANGED event and an e-mail), and once released it is the date it was released on.")
    estimated_delivery_date: datetime.date | None = strawberry.field(description="When it should arrive, as estimated at checkout.")
    subtotal: Money = strawberry.field(description="Its lines' totals.")
    delivery: Money = strawberry.field(description="Its delivery price.")
    tax: Money = strawberry.field(description="Its lines' tax.")
    captured: Money = strawberry.field(description="What was charged for it so far (at shipment; at once for digital items).")
    carrier: str | None = strawberry.field(description="The carrier, once shipped.")
    tracking_number: str | None = strawberry.field(description="The carrier's tracking number, once shipped.")
    created_at: datetime.datetime = strawberry.field(description="When the shipment was created (UTC).")
    shipped_at: datetime.datetime | None = strawberry.field(description="When it was handed to the carrier (UTC).")
    delivered_at: datetime.datetime | None = strawberry.field(description="When it arrived (UTC).")
    cancelled_at: datetime.datetime | None = strawberry.field(description="When it was cancelled (UTC).")

    @strawberry.field(description="subtotal + delivery + tax.")
    @inline
    def total(self) -> Money:
        return self.total

    @strawberry.field(description="The seller that ships it.")
    async def seller(self, info: Info) -> Seller | None:
        return await info.context.loaders.seller_by_id.load(self.seller_id)

    @strawberry.field(description="The lines in this shipment.")
    async def lines(self, info: Info) -> list[OrderLine]:
        return await info.context.loaders.order_lines_by_shipment_id.load(self.id) or []

    @strawberry.field(description="With PICKUP: where the customer collects it.")
    async def pickup_location(self, info: Info) -> PickupLocation | None:
        if self.pickup_location_id is None:
            return None
        return await info.context.loaders.pickup_location_by_id.load(self.pickup_location_id)

    @strawberry.field(description="The shipment this one replaces (a wrong item sent again); null otherwise.")
    async def replacement_for(self, info: Info) -> "Shipment | None":
        if self.replacement_for_id is None:
            return None
        return await info.context.loaders.shipment_by_id.load(self.replacement_for_id)

    @strawberry.field(description="The number of the order it belongs to.")
    async def order_number(self, info: Info) -> str | None:
        order = await info.context.loaders.shipment_destination_by_id.load(self.id)
        return None if order is None else order.number

    @strawberry.field(description="Where it goes (physical shipments): what the seller's staff need to ship it. Null for digital items.")
    async def ship_to(self, info: Info) -> OrderAddress | None:
        if self.kind == ShipmentKind.DIGITAL:
            return None
        order = await info.context.loaders.shipment_destination_by_id.load(self.id)
        return None if order is None else order.shipping_address

    @strawberry.field(description="The order it belongs to; null for sellers' staff, who see their shipments but not the customer's order.")
    async def order(self, info: Info) -> "Order | None":
        return await info.context.loaders.order_by_id.load(self.order_id)


@strawberry.type(description="Something that happened to an order, in order: placed, payment authorized or captured, shipped, delivered, cancelled, refunded, a return requested...")
class OrderEvent:
    kind: str = strawberry.field(description="What happened: PLACED, PAYMENT_AUTHORIZED, PAYMENT_CAPTURED, PAYMENT_VOIDED, SHIPPED, DELIVERED, CANCELLED, SHIPMENT_CANCELLED, PREORDER_CANCELLED, RELEASE_DATE_CHANGED, RELEASED, PRICE_GUARANTEE_APPLIED, RETURN_REQUESTED, REFUNDED, REPLACEMENT_CREATED or NOTE.")
    message: str = strawberry.field(description="What happened, in words for the customer.")
    created_at: datetime.datetime = strawberry.field(description="When (UTC).")

    @strawberry.field(description="Global ID of the shipment it concerns, if one.")
    @inline
    def shipment_id(self) -> strawberry.ID | None:
        return None if self.shipment_id is None else strawberry.ID(ids.encode("Shipment", self.shipment_id))


@strawberry.type(description="Money given back on an order. Visible to the order's customer and administrators.")
class OrderRefund(Node):
    id: strawberry.ID = node_id("OrderRefund")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, entities.OrderRefund))

    kind: RefundKind = strawberry.field(description="Why.")
    amount: Money = strawberry.field(description="How much.")
    reason: str = strawberry.field(description="The reason given.")
    created_at: datetime.datetime = strawberry.field(description="When (UTC).")


@strawberry.type(description="Units of one order line in a return request.")
class ReturnLine:
    quantity: int = strawberry.field(description="Units sent back.")

    @strawberry.field(description="Global ID of the order line.")
    @inline
    def order_line_id(self) -> strawberry.ID:
        return strawberry.ID(ids.encode("OrderLine", self.order_line_id))


@strawberry.type(description="A customer's request to send items back. Visible to the order's customer and administrators.")
class ReturnRequest(Node):
    id: strawberry.ID = node_id("ReturnRequest")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, entities.ReturnRequest))

    comment: str = strawberry.field(description="The customer's words (may be empty).")
    status: ReturnStatus = strawberry.field(description="Where the request stands.")
    refund: Money = strawberry.field(description="Money refunded for it so far.")
    lines: list[ReturnLine] = strawberry.field(description="The lines and units sent back.")
    created_at: datetime.datetime = strawberry.field(description="When it was requested (UTC).")
    resolved_at: datetime.datetime | None = strawberry.field(description="When it was refunded or rejected (UTC).")

    @strawberry.field(description="Why the items go back.")
    @inline
    def reason(self) -> ReturnReason:
        # Its values carry descriptions, so a stored string is looked up by name.
        return ReturnReason[self.reason]

    @strawberry.field(description="With WRONG_ITEM: the replacement shipment.")
    async def replacement_shipment(self, info: Info) -> Shipment | None:
        if self.replacement_shipment_id is None:
            return None
        return await info.context.loaders.shipment_by_id.load(self.replacement_shipment_id)


@strawberry.type(description="The order's payment: what was authorized at checkout and what became of it.")
class OrderPayment:
    status: str = strawberry.field(description="AUTHORIZED, PARTIALLY_CAPTURED, CAPTURED, PARTIALLY_REFUNDED, REFUNDED, VOIDED or FAILED.")
    authorized: Money = strawberry.field(description="Held on the customer's payment method at checkout.")
    captured: Money = strawberry.field(description="Charged so far (each shipment's share when it ships).")
    refunded: Money = strawberry.field(description="Given back so far.")
    voided: Money = strawberry.field(description="Released without being charged (e.g. a cancelled shipment).")


@strawberry.type(description="A customer's order: what was bought at which prices, where it goes, its shipments and what happened to it. Visible to the customer and administrators.")
class Order(Node):
    id: strawberry.ID = node_id("Order")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Order)

    number: str = strawberry.field(description="The order number customers quote, e.g. TRB-2026-0001234-6 (its last digit catches typos).")
    status: OrderStatus = strawberry.field(description="Where the order stands (follows its shipments).")
    email: str = strawberry.field(description="Where the confirmation and updates are sent.")
    currency: CurrencyCode = strawberry.field(name="currencyCode", description="The currency of every amount.")
    subtotal: Money = strawberry.field(description="The lines' totals.")
    delivery: Money = strawberry.field(description="The shipments' delivery prices.")
    tax: Money = strawberry.field(description="The lines' tax.")
    discount: Money = strawberry.field(description="Discounts taken off (none yet: 0).")
    total: Money = strawberry.field(description="subtotal + delivery + tax - discount: what was authorized at checkout.")
    shipping_address: OrderAddress | None = strawberry.field(description="Where physical items go; null when every line is digital.")
    billing_address: OrderAddress | None = strawberry.field(description="The billing address given at checkout (`setCartBillingAddress`), where an order of digital items only is taxed; null when none was given.")
    placed_at: datetime.datetime = strawberry.field(description="When the order was placed (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When the order last changed (UTC).")
    cancelled_at: datetime.datetime | None = strawberry.field(description="When it was cancelled (UTC).")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")

    @strawberry.field(description="Its shipments: one per seller and fulfilment (and delivery option), digital items and pre-orders apart.")
    async def shipments(self, info: Info) -> list[Shipment]:
        return await info.context.loaders.shipments_by_order_id.load(self.id) or []

    @strawberry.field(description="Every line, in checkout order.")
    async def lines(self, info: Info) -> list[OrderLine]:
        return await info.context.loaders.order_lines_by_order_id.load(self.id) or []

    @strawberry.field(description="What happened to the order, oldest first.")
    async def events(self, info: Info) -> list[OrderEvent]:
        return await info.context.loaders.order_events_by_order_id.load(self.id) or []

    @strawberry.field(description="Money given back, oldest first.")
    async def refunds(self, info: Info) -> list[OrderRefund]:
        return await info.context.loaders.order_refunds_by_order_id.load(self.id) or []

    @strawberry.field(description="Return requests, oldest first.")
    async def return_requests(self, info: Info) -> list[ReturnRequest]:
        return await info.context.loaders.return_requests_by_order_id.load(self.id) or []

    @strawberry.field(description="The payment authorized at checkout and what became of it.")
    async def payment(self, info: Info) -> OrderPayment | None:
        found = await info.context.loaders.payments_by_order_id.load(self.id) or []
        live = [p for p in found if p.status != PaymentStatus.FAILED]
        return live[0] if live else None
