"""placeOrder: a customer's cart becomes an order, in one transaction, once per idempotency key."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.carts.enums import OrderingErrorCode
from api.carts.types import OrderingError
from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.core.scalars import Money
from api.marketplace.inputs import MoneyInput
from api.orders.checkout_inputs import PlaceOrderInput
from api.orders.types import Order
from domain.carts import service as carts
from domain.orders import service as orders
from domain.shared.errors import InvalidInput
from domain.shared.money import Money as DomainMoney


@strawberry.type(description="An expected failure of `placeOrder`: nothing was ordered, reserved or charged. `field` points at the input (`[\"input\", ...]`) or at what to fix in the cart: `[\"cart\", \"lines\", <index>, \"quantity\" | \"offer\"]` (the line also as `lineId`), `[\"cart\", \"shippingAddress\"]`, `[\"cart\", \"shipmentGroups\", <index>, \"selectedDeliveryOption\"]`.")
class PlaceOrderError(OrderingError):
    # Declared again: the mapper of domain errors fills the fields a type declares itself.
    available_quantity: int | None = strawberry.field(
        default=None, description="With QUANTITY_UNAVAILABLE: how many units the seller has.")
    quantity_limit: int | None = strawberry.field(
        default=None, description="With QUANTITY_LIMIT: the most units of one offer an order may hold.")
    line_id: strawberry.ID | None = strawberry.field(default=None, description="With a line's problem (OFFER_UNAVAILABLE, QUANTITY_LIMIT, QUANTITY_UNAVAILABLE, ALREADY_OWNED, MEMBERSHIP_NOT_SOLD_IN_CART): the `CartLine.id` to fix or remove.")
    expected_total: Money | None = strawberry.field(default=None, description="With TOTAL_CHANGED: the total the input expected.")
    total: Money | None = strawberry.field(default=None, description="With TOTAL_CHANGED: the cart's total now, to show the customer.")
    decline_code: str | None = strawberry.field(default=None, description="With PAYMENT_DECLINED: the provider's reason, e.g. card_declined, insufficient_funds, authentication_required, invalid_token.")


@strawberry.type(description="Result of `placeOrder`.")
class PlaceOrderPayload:
    order: Order | None = strawberry.field(description="The order placed (the same one again for a retried idempotency key); null on failure.")
    user_errors: list[PlaceOrderError] = strawberry.field(description="Why it failed; nothing was changed.")


def _expected_total(given: MoneyInput | None) -> DomainMoney | None:
    if given is None:
        return None
    try:
        return DomainMoney.from_amount(given.amount, given.currency_code.value)
    except (ValueError, ArithmeticError):
        raise InvalidInput(f"{given.amount} is not an amount of {given.currency_code.value}.",
                           field=["input", "expectedTotal", "amount"]) from None


@strawberry.type
class CheckoutMutation:
    @strawberry.mutation(description="Place your cart as an order, in one step that is all or nothing: the cart is repriced, the stock of its physical items reserved (never oversold, however many checkouts race), the order split into shipments per seller and fulfilment (digital items and pre-orders apart), the total authorized on the payment method, digital items delivered and charged at once, a confirmation e-mail queued, and the cart becomes ORDERED. Refused with a userError and nothing changed when the cart cannot be bought as it stands (CART_EMPTY, OFFER_UNAVAILABLE, QUANTITY_LIMIT, QUANTITY_UNAVAILABLE, SHIPPING_ADDRESS_REQUIRED, SAME_DAY_UNAVAILABLE, DELIVERY_OPTION_UNAVAILABLE, TOTAL_CHANGED), the payment fails (PAYMENT_DECLINED, PAYMENT_PROVIDER_ERROR), or the idempotency key does not fit. Retry with the same `idempotencyKey` after a timeout or a lost answer: you get the first order, never a second. Requires sign-in; the cart must be yours.")
    async def place_order(self, info: Info, input: Annotated[PlaceOrderInput, MutationInput]) -> PlaceOrderPayload:
        cart_id = ids.decode_as(input.cart_id, "Cart", "input.cartId")
        settings, provider = info.context.settings, info.context.payments
        limits = carts.CartLimits(quantity_per_line=settings.cart_quantity_limit,
                                     lines_per_cart=settings.cart_max_lines)

        async def use_case(session, viewer) -> int:
            viewer.require_signed_in()
            return await orders.place_order(session, viewer, provider, cart_id=cart_id,
                                              idempotency_key=input.idempotency_key,
                                              payment_token=input.payment_token,
                                              expected_total=_expected_total(input.expected_total), limits=limits)

        order_id, errors = await run(info, use_case, PlaceOrderError, OrderingErrorCode)
        for error in errors:
            if error.line_id is not None:
                error.line_id = ids.encode("CartLine", error.line_id)
        order = await info.context.loaders.order_by_id.load(order_id) if order_id is not None else None
        return PlaceOrderPayload(order=order, user_errors=errors)
