"""Cart mutations. Each runs one use case in one transaction; the payload's cart is then read as
the caller sees it, computed whole (prices, problems, delivery options, totals)."""
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.carts.enums import OrderingErrorCode
from api.carts.inputs import (
    CartAddressInput,
    CartCreateInput,
    CartLinesAddInput,
    CartLinesRemoveInput,
    CartLinesUpdateInput,
    CartMergeInput,
    CartSelectDeliveryOptionInput,
    CartSetBillingAddressInput,
    CartSetShippingAddressInput,
)
from api.carts.types import Cart, OrderingError
from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.core.renames import former_name
from domain.carts import service as carts
from domain.identity import service as identity


@strawberry.type(description="Result of `createCart`.")
class CartCreatePayload:
    cart: Cart | None = strawberry.field(description="The cart; null on failure.")
    cart_token: str | None = strawberry.field(description="A new guest cart's token, shown only here: keep it and pass it as `cartToken` (and to `cart(token:)`). Null for a signed-in customer's cart.")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of a cart mutation.")
class CartPayload:
    cart: Cart | None = strawberry.field(description="The cart as it is now; null on failure.")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `mergeGuestCart`.")
class CartMergePayload:
    cart: Cart | None = strawberry.field(description="Your cart with the guest cart's lines; null on failure.")
    merged_line_count: int = strawberry.field(description="Guest lines that went into your cart (0 when the guest cart was merged before).")
    capped_line_count: int = strawberry.field(description="Of those, lines whose summed quantity was cut to the per-order limit.")
    skipped_line_count: int = strawberry.field(description="Guest lines left out because your cart was full.")
    user_errors: list[OrderingError] = strawberry.field(description="Why it failed; nothing was changed.")


def _limits(info: Info) -> carts.CartLimits:
    settings = info.context.settings
    return carts.CartLimits(quantity_per_line=settings.cart_quantity_limit, lines_per_cart=settings.cart_max_lines)


def _address(input: CartSetShippingAddressInput | CartSetBillingAddressInput,
             ) -> tuple[int | None, identity.AddressFields | None]:
    """(address book id, inline address) of an address input."""
    address_id = None if input.address_id is None else ids.decode_as(input.address_id, "Address", "input.addressId")
    given: CartAddressInput | None = input.address
    if given is None:
        return address_id, None
    return address_id, identity.AddressFields(full_name=given.full_name, line1=given.line1, line2=given.line2,
                                              city=given.city, region=given.region, postal_code=given.postal_code,
                                              country_code=given.country_code, phone=given.phone)


def _cart_id(global_id: str) -> int:
    return ids.decode_as(global_id, "Cart", "input.cartId")


async def _cart(info: Info, cart_id: int | None, token: str | None):
    if cart_id is None:
        return None
    return await carts.find_cart(info.context.reader, await info.context.viewer(), cart_id=cart_id, token=token)


async def _changed(info: Info, use_case, token: str | None) -> CartPayload:
    ref, errors = await run(info, use_case, OrderingError, OrderingErrorCode)
    return CartPayload(cart=await _cart(info, ref and ref.cart_id, token), user_errors=errors)


def _frequency_change(subscription):
    if subscription is strawberry.UNSET:
        return carts.KEEP
    return None if subscription is None else subscription.frequency_months


@strawberry.type
class CartMutation:
    @strawberry.mutation(description="Start a cart, optionally with lines. Anyone may: a signed-in customer gets their one active cart (created when they have none) with the lines added; a guest gets a new cart and its `cartToken`, to pass on every later call.")
    async def create_cart(self, info: Info, input: Annotated[CartCreateInput, MutationInput]) -> CartCreatePayload:
        lines = [carts.LineRequest(ids.decode_as(line.offer_id, "Offer", "input.lines.offerId"), line.quantity,
                                   line.subscription.frequency_months if line.subscription else None)
                 for line in input.lines]
        limits = _limits(info)
        ref, errors = await run(info, lambda s, viewer: carts.create_cart(s, viewer, lines, limits),
                                OrderingError, OrderingErrorCode)
        return CartCreatePayload(cart=await _cart(info, ref and ref.cart_id, ref and ref.token),
                                 cart_token=ref and ref.token, user_errors=errors)

    @strawberry.mutation(description="Add offers to a cart; an offer already in it adds to its line's quantity. Refused whole (nothing changes) on a quantity outside 1 to the per-order limit, more than the seller has in stock (physical items), an offer no longer available, or a full cart. The cart's owner, or the holder of a guest cart's token.")
    async def add_cart_lines(self, info: Info, input: Annotated[CartLinesAddInput, MutationInput]) -> CartPayload:
        cart_id, limits = _cart_id(input.cart_id), _limits(info)
        lines = [carts.LineRequest(ids.decode_as(line.offer_id, "Offer", "input.lines.offerId"), line.quantity,
                                   line.subscription.frequency_months if line.subscription else None)
                 for line in input.lines]
        return await _changed(info, lambda s, viewer: carts.add_cart_lines(
            s, viewer, cart_id, input.cart_token, lines, limits), input.cart_token)

    @strawberry.mutation(description="Set the quantity of lines of a cart, with the same limits as `addCartLines`; a line whose offer is no longer available can only be removed. The cart's owner, or the holder of a guest cart's token.")
    async def update_cart_lines(self, info: Info, input: Annotated[CartLinesUpdateInput, MutationInput]) -> CartPayload:
        cart_id, limits = _cart_id(input.cart_id), _limits(info)
        changes = [carts.LineChange(ids.decode_as(line.line_id, "CartLine", "input.lines.lineId"), line.quantity,
                                    _frequency_change(line.subscription))
                   for line in input.lines]
        return await _changed(info, lambda s, viewer: carts.update_cart_lines(
            s, viewer, cart_id, input.cart_token, changes, limits), input.cart_token)

    @strawberry.mutation(description="Remove lines from a cart. The cart's owner, or the holder of a guest cart's token.")
    async def remove_cart_lines(self, info: Info, input: Annotated[CartLinesRemoveInput, MutationInput]) -> CartPayload:
        cart_id = _cart_id(input.cart_id)
        line_ids = [ids.decode_as(line_id, "CartLine", "input.lineIds") for line_id in input.line_ids]
        return await _changed(info, lambda s, viewer: carts.remove_cart_lines(
            s, viewer, cart_id, input.cart_token, line_ids), input.cart_token)

    @strawberry.mutation(description="Set where a cart ships to: a copy of one of your addresses (`addressId`) or an address given inline, checked against its country's rules. Delivery options and tax follow the address. The cart's owner, or the holder of a guest cart's token (guests give the address inline).")
    async def set_cart_shipping_address(self, info: Info, input: Annotated[CartSetShippingAddressInput, MutationInput]) -> CartPayload:
        cart_id = _cart_id(input.cart_id)
        address_id, fields = _address(input)
        return await _changed(info, lambda s, viewer: carts.set_cart_shipping_address(
            s, viewer, cart_id, input.cart_token, address_id=address_id, address=fields), input.cart_token)

    @strawberry.mutation(description="Set who pays, and where: a copy of one of your addresses (`addressId`) or an address given inline, checked against its country's rules. A cart of digital items only (e-books, streams) is taxed at this address, and cannot be placed without it unless it has a shipping address (BILLING_ADDRESS_REQUIRED); a cart with items to ship is taxed at its shipping address. The cart's owner, or the holder of a guest cart's token (guests give the address inline).")
    async def set_cart_billing_address(self, info: Info, input: Annotated[CartSetBillingAddressInput, MutationInput]) -> CartPayload:
        cart_id = _cart_id(input.cart_id)
        address_id, fields = _address(input)
        return await _changed(info, lambda s, viewer: carts.set_cart_billing_address(
            s, viewer, cart_id, input.cart_token, address_id=address_id, address=fields), input.cart_token)

    @strawberry.mutation(description="Choose the delivery option of one shipment of a cart (a `ShipmentGroup`: one seller, one fulfilment). The option must be available now: SAME_DAY_UNAVAILABLE or DELIVERY_OPTION_UNAVAILABLE say why not. The cart's owner, or the holder of a guest cart's token.")
    async def select_cart_delivery_option(self, info: Info, input: Annotated[CartSelectDeliveryOptionInput, MutationInput]) -> CartPayload:
        cart_id = _cart_id(input.cart_id)
        seller_id = ids.decode_as(input.seller_id, "Seller", "input.sellerId")
        pickup = (None if input.pickup_location_id is None
                  else ids.decode_as(input.pickup_location_id, "PickupLocation", "input.pickupLocationId"))
        return await _changed(info, lambda s, viewer: carts.select_cart_delivery_option(
            s, viewer, cart_id, input.cart_token, seller_id=seller_id, fulfilment=input.fulfilment.value,
            option=input.option.value, pickup_location_id=pickup), input.cart_token)

    @strawberry.mutation(description="Right after `signIn`, move the cart used as a guest into your cart: quantities of an offer in both add up (cut to the per-order limit), the guest cart's shipping and billing addresses and delivery choices carry over where yours has none, and the guest cart becomes MERGED (read-only). Calling it again with the same token changes nothing. Requires sign-in.")
    async def merge_guest_cart(self, info: Info, input: Annotated[CartMergeInput, MutationInput]) -> CartMergePayload:
        limits = _limits(info)
        result, errors = await run(info, lambda s, viewer: carts.merge_guest_cart(s, viewer, input.cart_token,
                                                                                     limits),
                                   OrderingError, OrderingErrorCode)
        if result is None:
            return CartMergePayload(cart=None, merged_line_count=0, capped_line_count=0, skipped_line_count=0,
                                    user_errors=errors)
        return CartMergePayload(cart=await _cart(info, result.cart_id, None), merged_line_count=result.merged_lines,
                                capped_line_count=result.capped_lines, skipped_line_count=result.skipped_lines,
                                user_errors=errors)

    # Former names, deprecated: see api.core.renames.
    cart_create = former_name(create_cart, "createCart")
    cart_lines_add = former_name(add_cart_lines, "addCartLines")
    cart_lines_update = former_name(update_cart_lines, "updateCartLines")
    cart_lines_remove = former_name(remove_cart_lines, "removeCartLines")
    cart_set_shipping_address = former_name(set_cart_shipping_address, "setCartShippingAddress")
    cart_set_billing_address = former_name(set_cart_billing_address, "setCartBillingAddress")
    cart_select_delivery_option = former_name(select_cart_delivery_option, "selectCartDeliveryOption")
    cart_merge = former_name(merge_guest_cart, "mergeGuestCart")
