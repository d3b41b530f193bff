"""Delivery options of a shipment group (the lines one seller ships with one fulfilment).

Rules (prices and days come from `delivery_rates`, `same_day_cities` and `pickup_locations`):
- STANDARD: always offered. PLATFORM groups pay the rate's fee, nothing when the group's items
  reach the rate's free-delivery threshold; MERCHANT groups pay the rate's fee plus the offers'
  own shipping charges (per unit).
- TWO_DAY: only where a rate exists for the fulfilment (the platform's Prime shipping); free
  for members whose benefits include free two-day delivery (asked of the subscriptions context),
  whatever the order size.
- SAME_DAY: platform-fulfilled groups shipping to a listed city, ordered before the city's local
  cut-off time; priced per city; arrives today (the city's local date). Never for a group with
  an item not released yet: it cannot leave today.
- PICKUP: where a rate exists for the fulfilment, at an active pickup location in the shipping
  country (any location while the cart has no address).
- Estimated dates count business days (Monday to Friday) from the day the group can leave:
  today (UTC, as the clock says), or the latest release date of a pre-ordered item in it.
- A group gets the option chosen for it while that option is available; otherwise STANDARD,
  with a notice saying why the choice no longer applies.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.carts.entities import (
    CartLineView,
    DeliveryConfig,
    DeliveryOption,
    PickupLocation,
    SameDayCity,
    Selection,
    ShippingAddress,
)
from domain.carts.errors import OrderingErrorCode
from domain.carts.statuses import DeliveryOptionKind
from domain.shared.errors import DomainError, InvalidInput
from domain.shared.money import Money

KINDS = ("STANDARD", "TWO_DAY", "SAME_DAY", "PICKUP")
PLATFORM = "PLATFORM"
MERCHANT = "MERCHANT"
DEFAULT = "STANDARD"
_NAMES = {"STANDARD": "Standard delivery", "TWO_DAY": "Two-day delivery", "SAME_DAY": "Same-day delivery",
          "PICKUP": "Pickup"}


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days (Monday-Friday) after `start`; `start` itself for 0."""
    current, added = start, 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def business_days_between(start: date, end: date) -> int:
    """How many business days `add_business_days` adds to `start` to reach `end` (0 when `end`
    is not after `start`)."""
    days, current = 0, start
    while current < end:
        current = add_business_days(current, 1)
        days += 1
    return days


def _unreleased(lines: Sequence[CartLineView], today: date) -> CartLineView | None:
    """The line released last among those not released by `today` (None when all are out)."""
    waiting = [line for line in lines
               if line.product is not None and line.product.release_date is not None
               and line.product.release_date > today]
    return max(waiting, key=lambda line: line.product.release_date, default=None)


def ships_from(lines: Sequence[CartLineView], today: date) -> date:
    """The day a group's items can leave: today, or the latest release date of a pre-ordered
    item among them (a group travels together)."""
    last = _unreleased(lines, today)
    return today if last is None else last.product.release_date


def _unavailable(kind: str, reason: str) -> DeliveryOption:
    return DeliveryOption(kind=kind, available=False, price=None, estimated_delivery_date=None,
                          unavailable_reason=reason)


def _standard(lines: Sequence[CartLineView], fulfilment: str, config: DeliveryConfig, start: date) -> DeliveryOption:
    rate = config.rates.get(("STANDARD", fulfilment))
    if rate is None:
        return _unavailable("STANDARD", "Standard delivery is not set up for these items.")
    items_minor = sum(line.line_total.minor for line in lines)
    fee = 0 if rate.free_over_minor is not None and items_minor >= rate.free_over_minor else rate.fee_minor
    if lines and all(line.subscribe_and_save for line in lines):
        # Subscribe & Save deliveries ship free.
        return DeliveryOption(kind=DeliveryOptionKind.STANDARD, available=True, price=Money(0, rate.currency),
                              estimated_delivery_date=add_business_days(start, rate.business_days))
    if fulfilment == MERCHANT:
        fee += sum(line.offer.shipping_minor * line.quantity for line in lines if line.offer is not None)
    return DeliveryOption(kind=DeliveryOptionKind.STANDARD, available=True, price=Money(fee, rate.currency),
                          estimated_delivery_date=add_business_days(start, rate.business_days))


def _two_day(fulfilment: str, config: DeliveryConfig, free_two_day: bool, start: date) -> DeliveryOption:
    rate = config.rates.get(("TWO_DAY", fulfilment))
    if rate is None:
        return _unavailable("TWO_DAY", "The seller ships these items itself: two-day delivery is only for items"
                                       " shipped by the platform (Prime).")
    fee = 0 if free_two_day and fulfilment == PLATFORM else rate.fee_minor
    return DeliveryOption(kind=DeliveryOptionKind.TWO_DAY, available=True, price=Money(fee, rate.currency),
                          estimated_delivery_date=add_business_days(start, rate.business_days))


def same_day_city(cities: Sequence[SameDayCity], address: ShippingAddress) -> SameDayCity | None:
    city, region = address.city.casefold(), address.region.casefold()
    for candidate in cities:
        if (candidate.country_code == address.country_code and candidate.city.casefold() == city
                and (not candidate.region or candidate.region.casefold() == region)):
            return candidate
    return None


def _same_day(lines: Sequence[CartLineView], fulfilment: str, config: DeliveryConfig,
              address: ShippingAddress | None, now: datetime) -> DeliveryOption:
    if fulfilment != PLATFORM:
        return _unavailable("SAME_DAY", "Same-day delivery is only for items shipped by the platform.")
    unreleased = _unreleased(lines, now.astimezone(UTC).date())
    if unreleased is not None:
        return _unavailable("SAME_DAY", f"{unreleased.product.title} is a pre-order released on"
                                        f" {unreleased.product.release_date:%Y-%m-%d}: it cannot arrive today.")
    if address is None:
        return _unavailable("SAME_DAY", "Add a shipping address to see whether same-day delivery reaches it.")
    city = same_day_city(config.same_day_cities, address)
    if city is None:
        return _unavailable("SAME_DAY", f"Same-day delivery does not reach {address.city} ({address.country_code}).")
    try:
        zone = ZoneInfo(city.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return _unavailable("SAME_DAY", f"Same-day delivery to {city.city} is not available right now.")
    local = now.astimezone(zone)
    option = DeliveryOption(kind=DeliveryOptionKind.SAME_DAY, available=True, price=Money(city.fee_minor, city.currency),
                            estimated_delivery_date=local.date(), cut_off_local_time=city.cutoff_local,
                            time_zone=city.timezone)
    if local.time() >= city.cutoff_local:
        option.available, option.price, option.estimated_delivery_date = False, None, None
        option.unavailable_reason = (f"Same-day delivery to {city.city} must be ordered before"
                                     f" {city.cutoff_local:%H:%M} local time; it is {local:%H:%M} there now.")
    return option


def _pickup(fulfilment: str, config: DeliveryConfig, address: ShippingAddress | None, start: date) -> DeliveryOption:
    rate = config.rates.get(("PICKUP", fulfilment))
    if rate is None:
        return _unavailable("PICKUP", "Only items shipped by the platform can be collected at a pickup location.")
    locations = [p for p in config.pickup_locations if address is None or p.country_code == address.country_code]
    if not locations:
        return _unavailable("PICKUP", f"There is no pickup location in {address.country_code}.")
    return DeliveryOption(kind=DeliveryOptionKind.PICKUP, available=True, price=Money(rate.fee_minor, rate.currency),
                          estimated_delivery_date=add_business_days(start, rate.business_days),
                          pickup_locations=locations)


def options_for(lines: Sequence[CartLineView], fulfilment: str, config: DeliveryConfig,
                address: ShippingAddress | None, free_two_day: bool, now: datetime) -> list[DeliveryOption]:
    """Every delivery option of a group, available or not (then with the reason), in the
    order STANDARD, TWO_DAY, SAME_DAY, PICKUP."""
    start = ships_from(lines, now.astimezone(UTC).date())
    return [_standard(lines, fulfilment, config, start), _two_day(fulfilment, config, free_two_day, start),
            _same_day(lines, fulfilment, config, address, now), _pickup(fulfilment, config, address, start)]


def chosen(options: Sequence[DeliveryOption], stored: Selection | None,
           ) -> tuple[DeliveryOption, PickupLocation | None, str | None]:
    """The option a group gets: the stored choice while it is available, else STANDARD (or
    the first available option), with a notice when a stored choice no longer applies."""
    by_kind = {o.kind: o for o in options}
    if stored is not None:
        option = by_kind.get(stored.option)
        location = None
        if option is not None and option.available and stored.pickup_location_id is not None:
            location = next((p for p in option.pickup_locations if p.id == stored.pickup_location_id), None)
        if option is not None and option.available and (stored.pickup_location_id is None or location is not None):
            return option, location, None
    fallback = by_kind.get(DEFAULT)
    if fallback is None or not fallback.available:
        fallback = next((o for o in options if o.available), options[0])
    notice = None
    if stored is not None:
        option = by_kind.get(stored.option)
        why = option.unavailable_reason if option is not None and not option.available else (
            "The pickup location chosen is no longer available.")
        notice = f"{_NAMES[stored.option]} no longer applies: {why} {_NAMES[fallback.kind]} applies instead."
    return fallback, None, notice


def check_choice(options: Sequence[DeliveryOption], kind: str, pickup_location_id: int | None) -> Selection:
    """What a customer may choose for a group: an available option (SAME_DAY_UNAVAILABLE or
    DELIVERY_OPTION_UNAVAILABLE with the reason otherwise); PICKUP with one of the group's
    listed pickup locations, and only PICKUP with a location (PICKUP_LOCATION_INVALID)."""
    option = next((o for o in options if o.kind == kind), None)
    if option is None or not option.available:
        reason = option.unavailable_reason if option is not None else "It is not offered for these items."
        code = OrderingErrorCode.SAME_DAY_UNAVAILABLE if kind == DeliveryOptionKind.SAME_DAY else OrderingErrorCode.DELIVERY_OPTION_UNAVAILABLE
        raise DomainError(f"{_NAMES.get(kind, kind)} is not available: {reason}", code=code,
                          field=["input", "option"])
    if kind == DeliveryOptionKind.PICKUP:
        if pickup_location_id is None or all(p.id != pickup_location_id for p in option.pickup_locations):
            raise DomainError("Choose one of the pickup locations listed for this shipment.",
                              code=OrderingErrorCode.PICKUP_LOCATION_INVALID, field=["input", "pickupLocationId"])
    elif pickup_location_id is not None:
        raise InvalidInput("A pickup location goes only with the PICKUP option.", code=OrderingErrorCode.PICKUP_LOCATION_INVALID,
                           field=["input", "pickupLocationId"])
    return Selection(kind, pickup_location_id if kind == DeliveryOptionKind.PICKUP else None)
