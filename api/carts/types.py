"""Cart GraphQL types: the error type of cart and order mutations, the cart, its lines and
problems, shipment groups with their delivery options, pickup locations and totals. The domain computes a cart whole (a fixed number of
statements whatever its size), so every field here is a plain read of what it computed."""
import datetime

import strawberry

from api.carts.enums import CartLineProblemCode, CartStatus, DeliveryOptionKind, OrderingErrorCode, TaxStatus
from api.catalogue.types import Product
from api.core import ids
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.executor import inline
from api.core.node import Node, node_id
from api.core.scalars import CurrencyCode, Money
from api.marketplace.types import Fulfilment, Offer, Seller
from domain.carts import entities


@strawberry.type(description="An expected failure of a cart mutation; the cart is unchanged.")
class OrderingError(UserError):
    code: UserErrorCode = OrderingErrorCode.field()
    available_quantity: int | None = strawberry.field(
        default=None, description="With QUANTITY_UNAVAILABLE: how many units the seller has.")
    quantity_limit: int | None = strawberry.field(
        default=None, description="With QUANTITY_LIMIT: the most units of one offer an order may hold.")
    percent_read: float | None = strawberry.field(
        default=None, description="With READ_TOO_MUCH: how much of the e-book was read, 0-100, one decimal.")


@strawberry.type(description="Something the customer should know about a cart line. Problems never block changes to the cart.")
class CartLineProblem:
    code: CartLineProblemCode = strawberry.field(description="What the problem is.")
    message: str = strawberry.field(description="The problem in words for the customer.")
    available_quantity: int | None = strawberry.field(description="With QUANTITY_UNAVAILABLE: units the seller has now.")
    previous_unit_price: Money | None = strawberry.field(description="With PRICE_CHANGED: the unit price when the line was added or last changed.")


@strawberry.type(description="A place where customers collect platform-shipped items. Public.")
class PickupLocation(Node):
    id: strawberry.ID = node_id("PickupLocation")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, entities.PickupLocation))

    name: str = strawberry.field(description="Name of the locker or counter.")
    line1: str = strawberry.field(description="Street and number.")
    line2: str = strawberry.field(description="More of the address (may be empty).")
    city: str = strawberry.field(description="City.")
    region: str = strawberry.field(description="State, province or county (may be empty).")
    postal_code: str = strawberry.field(description="Postal code (may be empty).")
    country_code: str = strawberry.field(description="ISO 3166-1 alpha-2 country code.")


@strawberry.type(description="One way a shipment can travel, with its price and estimated delivery date, or why it is not available.")
class DeliveryOption:
    kind: DeliveryOptionKind = strawberry.field(description="The option.")
    available: bool = strawberry.field(description="True when it can be chosen now.")
    unavailable_reason: str | None = strawberry.field(description="Why it cannot be chosen (no shipping address, the city is not served, past the cut-off time, the seller ships itself...); null when available.")
    price: Money | None = strawberry.field(description="What it costs for this shipment; null when not available.")
    estimated_delivery_date: datetime.date | None = strawberry.field(description="When the shipment should arrive, counting business days (Monday-Friday) from today, or from the latest release date of a pre-ordered item in the shipment (it travels whole); null when not available.")
    pickup_locations: list[PickupLocation] = strawberry.field(description="With PICKUP: where the shipment can be collected (in the shipping country; all of them while the cart has no address). Empty otherwise.")
    time_zone: str | None = strawberry.field(description="With SAME_DAY in a served city: the city's IANA time zone, e.g. America/Los_Angeles.")

    @strawberry.field(description="With SAME_DAY in a served city: the local time (HH:MM, in `timeZone`) before which same-day orders must be placed.")
    @inline
    def cut_off_local_time(self) -> str | None:
        return None if self.cut_off_local_time is None else self.cut_off_local_time.strftime("%H:%M")


@strawberry.type(description="The lines one seller ships with one fulfilment: they travel together, with one delivery option.")
class ShipmentGroup:
    seller: Seller = strawberry.field(description="Who ships these lines.")
    fulfilment: Fulfilment = strawberry.field(description="From where: the seller's own stock (MERCHANT) or the platform's warehouses (PLATFORM, Prime).")
    lines: list["CartLine"] = strawberry.field(description="The cart's lines in this shipment.")
    options: list[DeliveryOption] = strawberry.field(name="deliveryOptions", description="Every delivery option, available or not (then with the reason): STANDARD, TWO_DAY, SAME_DAY, PICKUP. Recomputed from the shipping address, the lines and the clock on every read.")
    selected: DeliveryOption = strawberry.field(name="selectedDeliveryOption", description="The option this shipment gets: the one chosen with `selectCartDeliveryOption` while it is available, else STANDARD.")
    selected_pickup_location: PickupLocation | None = strawberry.field(description="With PICKUP selected: the pickup location chosen.")
    notice: str | None = strawberry.field(description="Set when the option chosen no longer applies (e.g. the same-day cut-off time passed): why, and what applies instead.")


@strawberry.type(description="A cart line's Subscribe & Save subscription.")
class CartLineSubscription:
    frequency_months: int = strawberry.field(description="Months between deliveries (1-6).")


@strawberry.type(description="A cart line: an offer and a quantity, priced at the offer's price now. `node(id:)` gives it to whoever it gives its cart.")
class CartLine(Node):
    id: strawberry.ID = node_id("CartLine")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (cls, entities.CartLineView))

    quantity: int = strawberry.field(description="Units, 1 up to the per-order limit (10 by default).")
    offer: Offer | None = strawberry.field(description="The offer; null when it is no longer available (see `problems`).")
    seller: Seller = strawberry.field(description="The seller of the offer.")
    product: Product | None = strawberry.field(description="The product offered; null when it was withdrawn from the catalogue.")
    unit_price: Money = strawberry.field(description="Price of one unit now, as charged: the offer's member price for a Prime member when the offer has one, else its price (the last known price when the offer is no longer available).")
    member_savings: Money | None = strawberry.field(description="What a Prime member saves on this line: (the offer's price - its member price) x quantity; null when the line is not priced at a member price (not a member, or the offer has none).")
    price_when_added: Money = strawberry.field(description="The offer's price (the price everyone pays) when the line was added or its quantity last changed; compared with the offer's price now for PRICE_CHANGED.")
    line_total: Money = strawberry.field(description="Unit price times quantity.")
    tax: Money = strawberry.field(description="This line's tax: line total times the rate, rounded half-up to the cent (0 without a rate or when not purchasable).")
    requires_delivery: bool = strawberry.field(description="False for digital items (e-books, streams), which need no delivery.")
    purchasable: bool = strawberry.field(description="False when the offer is no longer available; such a line counts in no total.")
    problems: list[CartLineProblem] = strawberry.field(description="What the customer should know about the line; empty when all is well.")
    added_at: datetime.datetime = strawberry.field(description="When the offer was first added to the cart (UTC).")

    @strawberry.field(description="Subscribe & Save: the line's delivery frequency when it is a subscription (priced at the Subscribe & Save discount, delivered free); null for a one-time purchase.")
    @inline
    def subscription(self) -> CartLineSubscription | None:
        months = self.subscription_frequency_months
        return None if months is None else CartLineSubscription(frequency_months=months)


@strawberry.type(description="Where an order ships or bills to: a copy of the address taken at checkout.")
class OrderAddress:
    full_name: str = strawberry.field(description="Recipient's name.")
    line1: str = strawberry.field(description="Street and number.")
    line2: str = strawberry.field(description="Apartment, suite, building (may be empty).")
    city: str = strawberry.field(description="City or town.")
    region: str = strawberry.field(description="State, province or county as the country's post writes it (may be empty).")
    postal_code: str = strawberry.field(description="Postal code in the country's canonical form (may be empty).")
    country_code: str = strawberry.field(description="ISO 3166-1 alpha-2 country code.")
    phone: str = strawberry.field(description="Phone number for the carrier (may be empty).")


@strawberry.type(description="The address a cart ships or bills to: a copy of an address-book entry or of an address given inline.")
class CartAddress(OrderAddress):
    @strawberry.field(description="Global ID of the address-book entry it was copied from; null for an inline address.")
    @inline
    def address_id(self) -> strawberry.ID | None:
        return None if self.address_id is None else strawberry.ID(ids.encode("Address", self.address_id))


@strawberry.type(description="What the cart costs, all in the cart's currency. Lines that are not purchasable count in no total.")
class CartTotals:
    subtotal: Money = strawberry.field(description="Sum of the purchasable lines' totals.")
    delivery: Money = strawberry.field(description="Sum of the selected delivery options of every shipment.")
    tax: Money = strawberry.field(description="Sum of the lines' taxes (goods only; delivery is not taxed). 0 until the cart has the address tax follows: the shipping address, or for digital items only the billing address (see `taxStatus`).")
    discount: Money = strawberry.field(description="Discounts taken off the total (none yet: always 0).")
    total: Money = strawberry.field(description="subtotal + delivery + tax - discount.")
    tax_status: TaxStatus = strawberry.field(description="How the tax was worked out.")
    tax_note: str | None = strawberry.field(description="Why tax is 0, for the customer (e.g. \"Add a shipping address to see the tax.\"); null when calculated.")


@strawberry.type(description="A shopping cart: a signed-in customer's (visible to them and administrators) or a guest's (visible to whoever holds its token, through `cart(token:)`). Its prices, problems, delivery options and totals are computed on every read.")
class Cart(Node):
    id: strawberry.ID = node_id("Cart")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.CartView)

    status: CartStatus = strawberry.field(description="Whether the cart can still change.")
    is_guest: bool = strawberry.field(description="True for a guest cart (its holder passes `cartToken` on every call).")
    currency: CurrencyCode = strawberry.field(name="currencyCode", description="The currency of every amount in the cart (USD).")
    lines: list[CartLine] = strawberry.field(description="The lines, oldest first (at most 100 by default).")
    shipping_address: CartAddress | None = strawberry.field(description="Where the cart ships to; null until set with `setCartShippingAddress`.")
    billing_address: CartAddress | None = strawberry.field(description="Who pays, and where: a cart of digital items only is taxed at this address (or at the shipping address when it has none). Null until set with `setCartBillingAddress`.")
    shipment_groups: list[ShipmentGroup] = strawberry.field(description="The physical, purchasable lines grouped by seller and fulfilment (in the order their first line was added), each with its delivery options. Digital lines need no delivery and are in no group.")
    totals: CartTotals = strawberry.field(description="Subtotal, delivery, tax, discount and total.")
    created_at: datetime.datetime = strawberry.field(description="When the cart was created (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When the cart last changed (UTC).")

    @strawberry.field(description="Units in the cart, over all lines (for a cart badge).")
    @inline
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)
