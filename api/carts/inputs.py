"""Cart mutation inputs. Guests pass their cart's token as `cartToken` in every input."""
from typing import Optional

import strawberry

from api.carts.enums import DeliveryOptionKind
from api.marketplace.types import Fulfilment

CART_ID = "Global ID of the cart (from `createCart` or `cart`)."
CART_TOKEN = "A guest cart's token, as `createCart` returned it; required for guest carts, ignored for customers' carts (they are their owner's)."


@strawberry.input(description="Subscribe & Save: the line is a subscription delivered every few months (placing the order subscribes; its first delivery is that order).")
class CartLineSubscriptionInput:
    frequency_months: int = strawberry.field(description="Months between deliveries, 1-6 (INVALID_FREQUENCY otherwise).")


@strawberry.input(description="An offer to put in a cart.")
class CartLineInput:
    offer_id: strawberry.ID = strawberry.field(description="Global ID of a live offer.")
    quantity: int = strawberry.field(default=1, description="Units, 1 up to the per-order limit (10 by default); added to the line's quantity when the offer is in the cart already.")
    subscription: Optional[CartLineSubscriptionInput] = strawberry.field(default=None, description="Make the line a Subscribe & Save subscription (only for products whose `subscribeAndSave.eligible` is true: NOT_SUBSCRIBE_ELIGIBLE otherwise); leave out for a one-time purchase (an existing line keeps its choice).")


@strawberry.input(description="A new quantity for a cart line.")
class CartLineUpdateInput:
    line_id: strawberry.ID = strawberry.field(description="`CartLine.id`.")
    quantity: int = strawberry.field(description="Units, 1 up to the per-order limit (10 by default); remove a line with `removeCartLines`.")
    subscription: Optional[CartLineSubscriptionInput] = strawberry.field(default=strawberry.UNSET, description="Subscribe & Save: a frequency makes the line a subscription (NOT_SUBSCRIBE_ELIGIBLE for other products), null makes it a one-time purchase; leave out to keep its choice.")


@strawberry.input(description="A new cart, optionally with lines.")
class CartCreateInput:
    lines: list[CartLineInput] = strawberry.field(default_factory=list, description="Offers to put in the cart (at most 100 lines by default; the same offer twice adds up).")


@strawberry.input(description="Offers to add to a cart.")
class CartLinesAddInput:
    cart_id: strawberry.ID = strawberry.field(description=CART_ID)
    cart_token: str | None = strawberry.field(default=None, description=CART_TOKEN)
    lines: list[CartLineInput] = strawberry.field(description="Offers to add (1-100 lines by default; the same offer twice adds up).")


@strawberry.input(description="New quantities for lines of a cart.")
class CartLinesUpdateInput:
    cart_id: strawberry.ID = strawberry.field(description=CART_ID)
    cart_token: str | None = strawberry.field(default=None, description=CART_TOKEN)
    lines: list[CartLineUpdateInput] = strawberry.field(description="Lines of the cart with their new quantity, each line once.")


@strawberry.input(description="Lines to remove from a cart.")
class CartLinesRemoveInput:
    cart_id: strawberry.ID = strawberry.field(description=CART_ID)
    cart_token: str | None = strawberry.field(default=None, description=CART_TOKEN)
    line_ids: list[strawberry.ID] = strawberry.field(description="`CartLine.id`s of lines of this cart (at least one).")


@strawberry.input(description="An address typed in at checkout, checked against its country's rules as in `createAddress` (e.g. US: state code and ZIP).")
class CartAddressInput:
    full_name: str = strawberry.field(description="Recipient's name, 1-100 characters.")
    line1: str = strawberry.field(description="Street and number, 1-200 characters.")
    line2: str = strawberry.field(default="", description="Apartment, suite, building; at most 200 characters.")
    city: str = strawberry.field(description="City or town, 1-100 characters.")
    region: str = strawberry.field(default="", description="State, province, prefecture or county; required in US, CA, JP, AU, IN and BR (US, CA, AU, BR: its code, e.g. NY).")
    postal_code: str = strawberry.field(default="", description="Postal code in the country's format; required except in IE.")
    country_code: str = strawberry.field(description="ISO 3166-1 alpha-2 code of a country we ship to, e.g. US.")
    phone: str = strawberry.field(default="", description="Phone number for the carrier: at most 30 characters, at least 5 digits.")


@strawberry.input(description="Where a cart ships to: give exactly one of `addressId` (one of your addresses; customers only) and `address`.")
class CartSetShippingAddressInput:
    cart_id: strawberry.ID = strawberry.field(description=CART_ID)
    cart_token: str | None = strawberry.field(default=None, description=CART_TOKEN)
    address_id: strawberry.ID | None = strawberry.field(default=None, description="Global ID of an address in your address book; the cart keeps a copy.")
    address: CartAddressInput | None = strawberry.field(default=None, description="An address given inline.")


@strawberry.input(description="Who pays, and where: give exactly one of `addressId` (one of your addresses; customers only) and `address`.")
class CartSetBillingAddressInput:
    cart_id: strawberry.ID = strawberry.field(description=CART_ID)
    cart_token: str | None = strawberry.field(default=None, description=CART_TOKEN)
    address_id: strawberry.ID | None = strawberry.field(default=None, description="Global ID of an address in your address book; the cart keeps a copy.")
    address: CartAddressInput | None = strawberry.field(default=None, description="An address given inline.")


@strawberry.input(description="The delivery option for one shipment of a cart (the lines of one seller with one fulfilment).")
class CartSelectDeliveryOptionInput:
    cart_id: strawberry.ID = strawberry.field(description=CART_ID)
    cart_token: str | None = strawberry.field(default=None, description=CART_TOKEN)
    seller_id: strawberry.ID = strawberry.field(description="Global ID of the shipment group's seller (`ShipmentGroup.seller.id`).")
    fulfilment: Fulfilment = strawberry.field(description="The shipment group's fulfilment (`ShipmentGroup.fulfilment`).")
    option: DeliveryOptionKind = strawberry.field(description="An option listed as available for the group.")
    pickup_location_id: strawberry.ID | None = strawberry.field(default=None, description="With PICKUP: one of the group's listed pickup locations (`PickupLocation.id`); nothing otherwise.")


@strawberry.input(description="The guest cart to merge into yours.")
class CartMergeInput:
    cart_token: str = strawberry.field(description="The token of the cart used before signing in.")
