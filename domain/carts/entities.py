"""What the cart use cases read and work with: carts as stored (with the rules a cart enforces
on itself), the delivery and tax configuration, and the computed view of a cart (lines with
their problems, shipment groups with delivery options, totals)."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from domain.carts.errors import OrderingErrorCode
from domain.carts.statuses import CartStatus
from domain.catalogue.statuses import ProductFormat, ProductKind
from domain.shared.errors import DomainError, InvalidInput
from domain.shared.money import Money
from domain.shared.principal import Principal

if TYPE_CHECKING:  # other contexts' read entities, as their services return them
    from domain.catalogue.entities import Product
    from domain.marketplace.entities import Offer, Seller

CART_CURRENCY = "USD"


# A digital title is a licence, had once: a line of one unit (a second unit would be paid for
# and give nothing more).
DIGITAL_QUANTITY_LIMIT = 1


@dataclass(frozen=True, slots=True)
class CartLimits:
    """Operator settings: at most `quantity_per_line` units of one offer in one order, and
    at most `lines_per_cart` lines in a cart."""

    quantity_per_line: int = 10
    lines_per_cart: int = 100

    def units_per_line(self, digital: bool) -> int:
        """The most units a line may hold: one for a digital title (a licence is had once)."""
        return DIGITAL_QUANTITY_LIMIT if digital else self.quantity_per_line


def hash_token(token: str) -> str:
    """What is stored of a guest's cart token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class ShippingAddress:
    """The copy of an address a cart ships (or bills) to (`address_id`: the address book entry
    it was copied from, if any)."""

    full_name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country_code: str
    phone: str
    address_id: int | None = None


# The billing address is the same kind of copy.
BillingAddress = ShippingAddress


@dataclass(slots=True)
class LineRecord:
    id: int
    offer_id: int
    product_id: int
    seller_id: int
    quantity: int
    unit_price_minor_at_add: int
    currency: str
    added_at: datetime
    updated_at: datetime
    # The licence kinds that make the line's title the customer's already (see
    # `licences.ownership`); empty for guests and titles not owned.
    owned_kinds: frozenset[str] = frozenset()
    # A Subscribe & Save line of a cart: months between deliveries (None: a one-time purchase).
    subscription_frequency_months: int | None = None
    # How a Subscribe & Save line is priced (the view sets it for a cart's subscription lines;
    # the delivery scheduler sets it with the reminded price as a cap).
    subscribe: SubscribeTerms | None = None


@dataclass(frozen=True, slots=True)
class SubscribeTerms:
    """How a Subscribe & Save line is priced: `discount_percent` off the offer's price (or the
    member price when lower), and never more than `price_cap_minor` a unit when set (the price
    the reminder e-mail stated). Its delivery is free."""

    discount_percent: int
    price_cap_minor: int | None = None


@dataclass(frozen=True, slots=True)
class Selection:
    """The delivery option chosen for one shipment group."""

    option: str
    pickup_location_id: int | None = None


GroupKey = tuple[int, str]  # (seller id, fulfilment)


@dataclass(slots=True)
class CartRecord:
    """A cart as stored, with its lines (oldest first) and delivery selections."""

    id: int
    account_id: int | None
    token_hash: str | None
    status: str
    currency: str
    merged_into_id: int | None
    shipping_address: ShippingAddress | None
    created_at: datetime
    updated_at: datetime
    lines: list[LineRecord] = field(default_factory=list)
    selections: dict[GroupKey, Selection] = field(default_factory=dict)
    billing_address: BillingAddress | None = None

    @property
    def is_guest(self) -> bool:
        return self.account_id is None

    def usable_by(self, principal: Principal, token: str | None) -> bool:
        """A customer's cart is its owner's alone; a guest cart belongs to whoever holds its
        token (signed in or not). Administrators may read carts, never change them."""
        if self.account_id is not None:
            return principal.account_id == self.account_id
        if token is None or self.token_hash is None:
            return False
        return hmac.compare_digest(hash_token(token), self.token_hash)

    def readable_by(self, principal: Principal, token: str | None) -> bool:
        return principal.is_admin or self.usable_by(principal, token)

    def ensure_active(self) -> None:
        """Only an ACTIVE cart changes: a merged or ordered one is history."""
        if self.status != CartStatus.ACTIVE:
            what = "was merged into your customer cart" if self.status == CartStatus.MERGED else "became an order"
            raise DomainError(f"This cart {what} and can no longer change.", code=OrderingErrorCode.CART_NOT_ACTIVE,
                              field=["input", "cartId"])

    def line_for_offer(self, offer_id: int) -> LineRecord | None:
        return next((line for line in self.lines if line.offer_id == offer_id), None)

    def line(self, line_id: int) -> LineRecord | None:
        return next((line for line in self.lines if line.id == line_id), None)


def check_quantity(quantity: int, limits: CartLimits, field_path: list[str]) -> int:
    """A line's quantity is 1 up to the per-order limit per offer (INVALID_QUANTITY below 1,
    QUANTITY_LIMIT above the limit)."""
    if quantity < 1:
        raise InvalidInput(f"A quantity is at least 1; got {quantity}. Use removeCartLines to drop a line.",
                           code=OrderingErrorCode.INVALID_QUANTITY, field=field_path)
    if quantity > limits.quantity_per_line:
        raise DomainError(f"At most {limits.quantity_per_line} units of one offer per order; asked for {quantity}.",
                          code=OrderingErrorCode.QUANTITY_LIMIT, field=field_path,
                          extensions={"quantityLimit": limits.quantity_per_line})
    return quantity


# Digital goods: no delivery, no stock limit. DVDs and Blu-rays are discs to ship (PHYSICAL);
# only streams and e-books (and memberships) are delivered online.
DIGITAL_KINDS = frozenset({ProductKind.EBOOK, ProductKind.MEMBERSHIP})
DIGITAL_FORMATS = frozenset({ProductFormat.KINDLE, ProductFormat.STREAMING})


def is_digital(product: Product) -> bool:
    return product.kind in DIGITAL_KINDS or product.format in DIGITAL_FORMATS


def check_stock(offer: Offer, product: Product, quantity: int, field_path: list[str]) -> None:
    """Physical items: no more than the offer has in stock (QUANTITY_UNAVAILABLE, with the
    quantity available). Digital items never run out, and a line holds one unit of them
    (QUANTITY_LIMIT, with a `quantityLimit` of 1)."""
    if is_digital(product):
        if quantity > DIGITAL_QUANTITY_LIMIT:
            raise DomainError("A digital title (an e-book, a stream, a rental) is bought once: a line holds one"
                              f" unit; asked for {quantity}.", code=OrderingErrorCode.QUANTITY_LIMIT, field=field_path,
                              extensions={"quantityLimit": DIGITAL_QUANTITY_LIMIT})
        return
    if quantity <= offer.quantity:
        return
    available = offer.quantity
    message = (f"Only {available} available from this seller; asked for {quantity}." if available
               else "This offer is out of stock.")
    raise DomainError(message, code=OrderingErrorCode.QUANTITY_UNAVAILABLE, field=field_path,
                      extensions={"availableQuantity": available})


# Configuration ----------------------------------------------------------------------------

@dataclass(slots=True)
class DeliveryRate:
    kind: str
    fulfilment: str
    fee_minor: int
    free_over_minor: int | None
    business_days: int
    currency: str


@dataclass(slots=True)
class SameDayCity:
    id: int
    country_code: str
    region: str
    city: str
    timezone: str
    cutoff_local: time
    fee_minor: int
    currency: str


@dataclass(slots=True)
class PickupLocation:
    id: int
    name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country_code: str


@dataclass(slots=True)
class TaxRate:
    country_code: str
    region: str | None
    tax_class: str
    rate_bp: int


@dataclass(slots=True)
class DeliveryConfig:
    rates: dict[tuple[str, str], DeliveryRate]
    same_day_cities: list[SameDayCity]
    pickup_locations: list[PickupLocation]
    tax_rates: list[TaxRate]


EMPTY_CONFIG = DeliveryConfig({}, [], [], [])


# The computed cart ------------------------------------------------------------------------

@dataclass(slots=True)
class LineProblem:
    """Something the customer should know about a line; it does not block changes to the cart.
    PRICE_CHANGED (with the previous unit price), QUANTITY_UNAVAILABLE (with what is left),
    OFFER_UNAVAILABLE (withdrawn, the seller suspended, or the product gone), ALREADY_OWNED
    (the title is in the customer's library), MEMBERSHIP_NOT_SOLD_IN_CART (a membership plan
    added before plans were joined on their own)."""

    code: str
    message: str
    available_quantity: int | None = None
    previous_unit_price: Money | None = None


@dataclass(slots=True)
class CartLineView:
    id: int
    cart_id: int
    offer_id: int
    product_id: int
    seller_id: int
    quantity: int
    added_at: datetime
    offer: Offer | None
    product: Product | None
    seller: Seller | None
    unit_price: Money
    price_when_added: Money
    line_total: Money
    requires_delivery: bool
    purchasable: bool
    problems: list[LineProblem]
    tax_class: str = "STANDARD"
    tax: Money | None = None
    # What a Prime member saves on the line (the offer's price less its member price, times
    # the quantity); None when the line is not priced at a member price.
    member_savings: Money | None = None
    # A Subscribe & Save line (discounted, delivered free).
    subscribe_and_save: bool = False
    # A cart's Subscribe & Save line: months between deliveries (placing the order subscribes).
    subscription_frequency_months: int | None = None

    @property
    def fulfilment(self) -> str | None:
        return self.offer.fulfilment if self.offer is not None else None


@dataclass(slots=True)
class DeliveryOption:
    kind: str
    available: bool
    price: Money | None
    estimated_delivery_date: date | None
    unavailable_reason: str | None = None
    pickup_locations: list[PickupLocation] = field(default_factory=list)
    cut_off_local_time: time | None = None
    time_zone: str | None = None


@dataclass(slots=True)
class ShipmentGroup:
    """The lines one seller ships with one fulfilment: they travel together, with one
    delivery option."""

    seller_id: int
    fulfilment: str
    seller: Seller
    lines: list[CartLineView]
    options: list[DeliveryOption]
    selected: DeliveryOption
    selected_pickup_location: PickupLocation | None = None
    notice: str | None = None

    @property
    def key(self) -> GroupKey:
        return (self.seller_id, self.fulfilment)

    def option(self, kind: str) -> DeliveryOption | None:
        return next((o for o in self.options if o.kind == kind), None)


@dataclass(slots=True)
class CartTotals:
    subtotal: Money
    delivery: Money
    tax: Money
    discount: Money
    total: Money
    tax_status: str
    tax_note: str | None = None


@dataclass(slots=True)
class CartView:
    """A cart as the customer sees it, computed from its lines, the offers now, the delivery
    configuration, the shipping address and the customer's membership."""

    id: int
    account_id: int | None
    status: str
    currency: str
    created_at: datetime
    updated_at: datetime
    shipping_address: ShippingAddress | None
    lines: list[CartLineView]
    shipment_groups: list[ShipmentGroup]
    totals: CartTotals
    is_guest: bool
    billing_address: BillingAddress | None = None
