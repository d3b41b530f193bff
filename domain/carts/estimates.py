"""Delivery estimates without a cart: the product page's "arrives by ...".

Rules: an offer's estimate is what a cart holding one unit of it alone would show, by the
cart's own delivery rules (`delivery.options_for`, so the product page and the cart agree):
the earliest available option, the cheaper one on the same day. A pre-order's estimates count
their business days from the release date instead of today (from max(today, release date)).
Digital items (e-books, streams) need no delivery: available at once, or on the release date
for a pre-order. Where to: the location the caller gives, else the signed-in caller's default
address, else the configured default location.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from domain.carts import delivery, repository
from domain.carts.entities import DeliveryConfig, DeliveryOption, ShippingAddress, is_digital
from domain.carts.errors import OrderingErrorCode
from domain.carts.statuses import DeliveryEstimateStatus, DeliveryLocationSource, DeliveryOptionKind
from domain.catalogue.entities import Product
from domain.identity import service as identity
from domain.marketplace.entities import Offer
from domain.shared import clock
from domain.shared.db import Reader
from domain.shared.errors import InvalidInput
from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions

MAX_CITY = 100
MAX_REGION = 100
MAX_POSTAL_CODE = 20
_OPTION_NAMES = {"STANDARD": "Standard delivery", "TWO_DAY": "Two-day delivery", "SAME_DAY": "Same-day delivery"}


@dataclass(frozen=True, slots=True)
class Location:
    """Where an estimate is for: a country, and the region, city and postal code when known
    (same-day delivery is by city; pickup locations by country)."""

    country_code: str
    region: str = ""
    city: str = ""
    postal_code: str = ""


@dataclass(slots=True)
class DeliveryContext:
    """What every estimate of a request shares: where to, from where that came, the delivery
    configuration and the caller's membership."""

    location: Location
    source: str
    config: DeliveryConfig
    free_two_day: bool


@dataclass(slots=True)
class DeliveryEstimate:
    """When one offer would arrive. `option`: the earliest available delivery option (SHIPS
    only); `estimated_date`: arrival (SHIPS), or when a digital item is in the library."""

    status: str
    message: str
    estimated_date: date | None = None
    option: DeliveryOption | None = None
    location: Location | None = None
    location_source: str | None = None


def _text(value: str | None, name: str, label: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise InvalidInput(f"The {label} has at most {limit} characters.", field=[name])
    return value


def location(country_code: str | None, region: str | None = None, city: str | None = None,
             postal_code: str | None = None) -> Location | None:
    """A location the caller gives (None when none is): a supported country's 2-letter code
    (INVALID, COUNTRY_NOT_SUPPORTED), a region of that country's list where it has one, a
    city and a postal code of at most 100 and 20 characters."""
    if country_code is None:
        if any(v for v in (region, city, postal_code)):
            raise InvalidInput("Give the country (countryCode) with a region, city or postal code.",
                               field=["countryCode"])
        return None
    code = country_code.strip().upper()
    country = identity.SUPPORTED_COUNTRIES.get(code)
    if country is None:
        if len(code) != 2 or not code.isalpha():
            raise InvalidInput("Give the country as its 2-letter ISO 3166 code, e.g. US.", field=["countryCode"])
        raise InvalidInput(f"We do not ship to the country {code}.", code=OrderingErrorCode.COUNTRY_NOT_SUPPORTED,
                           field=["countryCode"])
    given_region = _text(region, "region", country.region_label, MAX_REGION)
    canonical = country.canonical_region(given_region) if given_region else ""
    if canonical is None:
        raise InvalidInput(f"{given_region!r} is not a {country.region_label} of {country.name}; give"
                           f" {country.region_hint}.", field=["region"])
    return Location(code, canonical, _text(city, "city", "city", MAX_CITY),
                    _text(postal_code, "postalCode", "postal code", MAX_POSTAL_CODE).upper())


async def delivery_context(reader: Reader, principal: Principal, given: Location | None,
                           default: Location) -> DeliveryContext:
    """Where to (the given location, else the signed-in caller's default address, else
    `default`) and the delivery configuration there: one statement, plus one for the address
    book of a signed-in caller who gave no location."""
    where, source = given, DeliveryLocationSource.GIVEN
    if where is None and principal.signed_in:
        book = (await identity.addresses_by_accounts(reader, principal, [principal.account_id])).get(
            principal.account_id, [])
        address = next((a for a in book if a.is_default), None)
        if address is not None:
            where = Location(address.country_code, address.region, address.city, address.postal_code)
            source = DeliveryLocationSource.DEFAULT_ADDRESS
    if where is None:
        where, source = default, DeliveryLocationSource.CONFIGURED_DEFAULT
    config = await repository.delivery_config(reader, [where.country_code], False)
    benefits = await subscriptions.membership_benefits(reader, principal.account_id)
    return DeliveryContext(where, source, config, benefits.free_two_day)


class _OneUnit:
    """What the cart's delivery rules read of a line, for one unit of an offer."""

    __slots__ = ("offer", "product")
    quantity = 1
    # The product page estimates a one-time purchase.
    subscribe_and_save = False

    def __init__(self, offer: Offer, product: Product | None) -> None:
        self.offer = offer
        self.product = product

    @property
    def line_total(self):
        return self.offer.price


def options_for_offer(offer: Offer, config: DeliveryConfig, address: ShippingAddress | None, free_two_day: bool,
                      now: datetime, product: Product | None = None) -> list[DeliveryOption]:
    """The options a cart holding one unit of this offer alone shows (a pre-order's from its
    release date, as the cart counts them)."""
    return delivery.options_for([_OneUnit(offer, product)], offer.fulfilment, config, address, free_two_day, now)


def earliest(options: list[DeliveryOption]) -> DeliveryOption | None:
    """The available option that arrives first; the cheaper one on the same day."""
    available = [o for o in options if o.available and o.estimated_delivery_date is not None]
    return min(available, key=lambda o: (o.estimated_delivery_date, o.price.minor if o.price else 0), default=None)


def _address(where: Location) -> ShippingAddress:
    return ShippingAddress("", "", "", where.city, where.region, where.postal_code, where.country_code, "")


def _day(value: date) -> str:
    return f"{value:%A}, {value:%B} {value.day}"


def needs_delivery(product: Product) -> bool:
    """Whether an estimate of this product needs a `DeliveryContext` (digital items do not)."""
    return not is_digital(product)


def estimate(product: Product, offer: Offer | None, context: DeliveryContext | None,
             now: datetime | None = None) -> DeliveryEstimate:
    """When one unit of `offer` (the product's featured offer, say) would reach the caller
    (`context`: required when the product `needs_delivery`)."""
    now = now or clock.now()
    today = now.astimezone(UTC).date()
    preorder = product.release_date is not None and product.release_date > today
    if offer is None:
        return DeliveryEstimate(DeliveryEstimateStatus.UNAVAILABLE, "Nobody has this in stock right now.")
    if is_digital(product):
        if preorder:
            return DeliveryEstimate(DeliveryEstimateStatus.ON_RELEASE, f"Pre-order: in your library on {_day(product.release_date)},"
                                    " the release date.", estimated_date=product.release_date)
        return DeliveryEstimate(DeliveryEstimateStatus.INSTANT, "Available instantly in your library after purchase.", estimated_date=today)
    where, source = context.location, context.source
    options = options_for_offer(offer, context.config, _address(where), context.free_two_day, now, product)
    first = earliest(options)
    if first is None:
        reason = next((o.unavailable_reason for o in options if o.unavailable_reason), None)
        return DeliveryEstimate(DeliveryEstimateStatus.UNAVAILABLE, reason or "No delivery option reaches this location.",
                                location=where, location_source=source)
    price = "free" if first.price is None or first.price.minor == 0 else f"{first.price.currency} {first.price.amount}"
    when = _day(first.estimated_delivery_date)
    message = (f"Ready for pickup by {when} ({price})." if first.kind == DeliveryOptionKind.PICKUP
               else f"Arrives by {when} with {_OPTION_NAMES[first.kind]} ({price}).")
    if preorder:
        message = f"Pre-order: released on {_day(product.release_date)}. {message}"
    return DeliveryEstimate(DeliveryEstimateStatus.SHIPS, message, estimated_date=first.estimated_delivery_date, option=first, location=where,
                            location_source=source)
