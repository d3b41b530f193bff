"""Order mutations after checkout: sellers' staff (and administrators) ship, deliver and cancel
shipments; the customer (or an administrator) cancels an order that has not shipped, or one
pre-ordered line before its release. Each runs
one use case in one transaction; the payload's object is then read as the caller sees it."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.carts.enums import OrderingErrorCode
from api.carts.types import OrderingError
from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.orders.types import Order, Shipment
from domain.orders import service as orders

SHIPMENT_ID = "Global ID of the shipment (from `sellerShipments` or `Order.shipments`)."
REASON = "Why, in words for the customer: 1 to 500 characters."


@strawberry.input(description="A shipment handed to a carrier.")
class MarkShipmentShippedInput:
    shipment_id: strawberry.ID = strawberry.field(description=SHIPMENT_ID)
    carrier: str = strawberry.field(description="The carrier, e.g. UPS: 1 to 60 printable characters.")
    tracking_number: str = strawberry.field(description="The carrier's tracking number: 1 to 60 printable characters.")


@strawberry.input(description="A shipment that arrived.")
class MarkShipmentDeliveredInput:
    shipment_id: strawberry.ID = strawberry.field(description=SHIPMENT_ID)


@strawberry.input(description="An order to cancel before anything of it has shipped.")
class CancelOrderInput:
    order_id: strawberry.ID = strawberry.field(description="Global ID of the order.")
    reason: str = strawberry.field(description=REASON)


@strawberry.input(description="One shipment to cancel before it leaves.")
class CancelShipmentInput:
    shipment_id: strawberry.ID = strawberry.field(description=SHIPMENT_ID)
    reason: str = strawberry.field(description=REASON)


@strawberry.input(description="A pre-ordered order line to cancel before its release.")
class CancelPreorderLineInput:
    order_line_id: strawberry.ID = strawberry.field(description="Global ID of the order line (`Order.lines`), a pre-ordered item whose shipment is AWAITING_RELEASE.")
    reason: str = strawberry.field(description=REASON)


@strawberry.type(description="Result of a shipment mutation.")
class ShipmentPayload:
    shipment: Shipment | None = strawberry.field(description="The shipment as it is now; null on failure.")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `cancelPreorderLine`.")
class CancelPreorderLinePayload:
    order: Order | None = strawberry.field(description="The order as it is now (the line in a CANCELLED shipment of its own, or its shipment cancelled); null on failure.")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `cancelOrder`.")
class CancelOrderPayload:
    order: Order | None = strawberry.field(description="The order as it is now; null on failure.")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


def _shipment_id(global_id: str) -> int:
    return ids.decode_as(global_id, "Shipment", "input.shipmentId")


async def _shipment(info: Info, use_case) -> ShipmentPayload:
    shipment_id, errors = await run(info, use_case, OrderingError, OrderingErrorCode)
    shipment = None if shipment_id is None else await info.context.loaders.shipment_by_id.load(shipment_id)
    return ShipmentPayload(shipment=shipment, user_errors=errors)


@strawberry.type
class FulfilmentMutation:
    @strawberry.mutation(description="Mark a PENDING physical shipment as handed to a carrier, with its tracking number: its share of the order's payment is charged, its sales go to the seller's ledger, the customer gets an e-mail, and once nothing else of the order waits to ship, what is left of the payment is released. Refused with SHIPMENT_NOT_PENDING (its status is in the message), PREORDER_NOT_RELEASED, or PAYMENT_PROVIDER_ERROR (nothing changed; try again). The seller's staff for a shipment the seller fulfils itself (MERCHANT); administrators for any shipment, and only they for one the platform fulfils (PLATFORM: the seller's staff get FORBIDDEN).")
    async def mark_shipment_shipped(self, info: Info,
                                    input: Annotated[MarkShipmentShippedInput, MutationInput]) -> ShipmentPayload:
        shipment_id = _shipment_id(input.shipment_id)
        provider = info.context.payments
        return await _shipment(info, lambda s, viewer: orders.mark_shipped(
            s, viewer, provider, shipment_id, input.carrier, input.tracking_number))

    @strawberry.mutation(description="Mark a SHIPPED shipment as arrived (SHIPMENT_NOT_SHIPPED otherwise). The seller's staff for a shipment the seller fulfils itself (MERCHANT); administrators for any shipment, and only they for one the platform fulfils (PLATFORM: the seller's staff get FORBIDDEN).")
    async def mark_shipment_delivered(self, info: Info,
                                      input: Annotated[MarkShipmentDeliveredInput, MutationInput]) -> ShipmentPayload:
        shipment_id = _shipment_id(input.shipment_id)
        return await _shipment(info, lambda s, viewer: orders.mark_delivered(s, viewer, shipment_id))

    @strawberry.mutation(description="Cancel one shipment that has not left (PENDING or AWAITING_RELEASE), e.g. when the seller cannot fulfil it: its stock goes back and the customer gets an e-mail. Nothing is charged for it; its share of the payment is released once no other shipment of the order waits to ship. Cancelling a cancelled shipment changes nothing. The seller's staff for a shipment the seller fulfils itself (MERCHANT); administrators for any shipment, and only they for one the platform fulfils (PLATFORM: the seller's staff get FORBIDDEN).")
    async def cancel_shipment(self, info: Info, input: Annotated[CancelShipmentInput, MutationInput]) -> ShipmentPayload:
        shipment_id = _shipment_id(input.shipment_id)
        provider = info.context.payments
        return await _shipment(info, lambda s, viewer: orders.cancel_shipment(
            s, viewer, provider, shipment_id, input.reason))

    @strawberry.mutation(description="Cancel an order before anything of it has shipped: its stock goes back, every shipment is cancelled, the payment held at checkout is released (nothing was charged) and the customer gets an e-mail. ORDER_NOT_CANCELLABLE once a shipment left or a digital item was delivered. Cancelling a cancelled order changes nothing. The order's customer or an administrator.")
    async def cancel_order(self, info: Info, input: Annotated[CancelOrderInput, MutationInput]) -> CancelOrderPayload:
        order_id = ids.decode_as(input.order_id, "Order", "input.orderId")
        provider = info.context.payments
        done, errors = await run(info, lambda s, viewer: orders.cancel_order(
            s, viewer, provider, order_id, input.reason), OrderingError, OrderingErrorCode)
        order = None if done is None else await info.context.loaders.order_by_id.load(done)
        return CancelOrderPayload(order=order, user_errors=errors)

    @strawberry.mutation(description="Cancel one pre-ordered line that is not released yet (its shipment is AWAITING_RELEASE), whatever happened to the rest of the order: its stock goes back, it is never charged (pre-orders are charged at their release) and its share of the payment held at checkout is released once nothing else of the order waits to ship; the customer gets an e-mail. LINE_NOT_CANCELLABLE for any other line (the message gives its shipment's status). Cancelling a cancelled line changes nothing. The order's customer or an administrator.")
    async def cancel_preorder_line(self, info: Info,
                                   input: Annotated[CancelPreorderLineInput, MutationInput]) -> CancelPreorderLinePayload:
        line_id = ids.decode_as(input.order_line_id, "OrderLine", "input.orderLineId")
        provider = info.context.payments
        done, errors = await run(info, lambda s, viewer: orders.cancel_preorder_line(
            s, viewer, provider, line_id, input.reason), OrderingError, OrderingErrorCode)
        order = None if done is None else await info.context.loaders.order_by_id.load(done)
        return CancelPreorderLinePayload(order=order, user_errors=errors)
