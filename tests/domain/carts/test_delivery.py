"""Delivery rules on crafted shipments: business days, which options a fulfilment gets, the
same-day cut-off in the city's own time zone, and what a customer may choose."""
from datetime import UTC, date, datetime, time

import pytest

from domain.carts import delivery
from domain.carts.entities import (
    CartLineView,
    DeliveryConfig,
    DeliveryRate,
    PickupLocation,
    SameDayCity,
    Selection,
    ShippingAddress,
)
from domain.catalogue.entities import Product
from domain.marketplace.entities import Offer, Seller
from domain.shared.errors import DomainError
from domain.shared.money import Money

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # a Tuesday; 10:00 in Seattle, 13:00 in New York
CONFIG = DeliveryConfig(
    rates={("STANDARD", "PLATFORM"): DeliveryRate("STANDARD", "PLATFORM", 599, 3500, 5, "USD"),
           ("STANDARD", "MERCHANT"): DeliveryRate("STANDARD", "MERCHANT", 100, None, 7, "USD"),
           ("TWO_DAY", "PLATFORM"): DeliveryRate("TWO_DAY", "PLATFORM", 999, None, 2, "USD"),
           ("PICKUP", "PLATFORM"): DeliveryRate("PICKUP", "PLATFORM", 0, None, 2, "USD")},
    same_day_cities=[SameDayCity(1, "US", "WA", "Seattle", "America/Los_Angeles", time(13), 1999, "USD"),
                     SameDayCity(2, "US", "NY", "New York", "America/New_York", time(13), 1999, "USD"),
                     SameDayCity(3, "GB", "", "London", "Europe/London", time(10), 1500, "USD"),
                     SameDayCity(4, "US", "TX", "Nowhere", "Not/AZone", time(13), 1999, "USD")],
    pickup_locations=[PickupLocation(7, "Locker", "1 Pike St", "", "Seattle", "WA", "98101", "US"),
                      PickupLocation(8, "Counter", "1 Strand", "", "London", "", "WC2N 5HR", "GB")],
    tax_rates=[],
)
SELLER = Seller(1, "platform", "Platform", True, "GOOD", None, 0, NOW)


def _line(price_minor: int, quantity: int = 1, fulfilment: str = "PLATFORM", shipping_minor: int = 0):
    offer = Offer(1, 1, 1, "NEW", "", fulfilment, price_minor, shipping_minor, "USD", 50, fulfilment == "PLATFORM",
                  NOW, SELLER)
    total = Money(price_minor * quantity)
    return CartLineView(id=1, cart_id=1, offer_id=1, product_id=1, seller_id=1, quantity=quantity, added_at=NOW,
                        offer=offer, product=None, seller=SELLER, unit_price=Money(price_minor),
                        price_when_added=Money(price_minor), line_total=total, requires_delivery=True,
                        purchasable=True, problems=[])


def _address(city: str, region: str, country: str = "US") -> ShippingAddress:
    return ShippingAddress("Ada", "1 Main St", "", city, region, "98109", country, "")


def _by_kind(options):
    return {o.kind: o for o in options}


@pytest.mark.parametrize("start, days, expected", [
    (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 -> Monday
    (date(2026, 11, 27), 5, date(2026, 12, 4)),
    (date(2026, 11, 28), 0, date(2026, 11, 28)),  # today, whatever the day
    (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday + 1 -> Monday
    (date(2026, 11, 24), 2, date(2026, 11, 26)),
])
def test_business_days_skip_weekends(start, days, expected):
    assert delivery.add_business_days(start, days) == expected


def test_platform_shipments_get_every_option_and_merchant_ones_standard_with_the_sellers_shipping():
    seattle = _address("Seattle", "WA")
    platform = _by_kind(delivery.options_for([_line(1000)], "PLATFORM", CONFIG, seattle, False, NOW))
    assert {k: (o.available, o.price, o.estimated_delivery_date) for k, o in platform.items()} == {
        "STANDARD": (True, Money(599), date(2026, 12, 1)),
        "TWO_DAY": (True, Money(999), date(2026, 11, 26)),
        "SAME_DAY": (True, Money(1999), date(2026, 11, 24)),
        "PICKUP": (True, Money(0), date(2026, 11, 26)),
    }
    assert [p.id for p in platform["PICKUP"].pickup_locations] == [7]
    merchant = _by_kind(delivery.options_for([_line(1000, 3, "MERCHANT", 250)], "MERCHANT", CONFIG, seattle, False,
                                             NOW))
    assert (merchant["STANDARD"].price, merchant["STANDARD"].estimated_delivery_date) == (Money(100 + 3 * 250),
                                                                                          date(2026, 12, 3))
    assert [merchant[k].available for k in ("TWO_DAY", "SAME_DAY", "PICKUP")] == [False, False, False]


def test_free_standard_from_the_threshold_and_free_two_day_for_members():
    options = _by_kind(delivery.options_for([_line(1750, 2)], "PLATFORM", CONFIG, None, True, NOW))
    assert (options["STANDARD"].price, options["TWO_DAY"].price) == (Money(0), Money(0))
    assert [p.id for p in options["PICKUP"].pickup_locations] == [7, 8]  # no address yet: every location


@pytest.mark.parametrize("address, available, reason", [
    (_address("Seattle", "WA"), True, None),  # 10:00 local, cut-off 13:00
    (_address("SEATTLE", "wa"), True, None),
    (_address("New York", "NY"), False, "before 13:00 local time; it is 13:00 there now"),
    (_address("London", "", "GB"), False, "before 10:00 local time; it is 18:00 there now"),
    (_address("Seattle", "OR"), False, "does not reach Seattle"),  # another state's Seattle
    (_address("Tacoma", "WA"), False, "does not reach Tacoma"),
    (_address("Nowhere", "TX"), False, "not available right now"),  # a misconfigured time zone
    (None, False, "Add a shipping address"),
])
def test_same_day_needs_a_listed_city_before_its_local_cut_off(address, available, reason):
    same_day = _by_kind(delivery.options_for([_line(1000)], "PLATFORM", CONFIG, address, False, NOW))["SAME_DAY"]
    assert same_day.available is available
    assert (same_day.unavailable_reason is None) if reason is None else (reason in same_day.unavailable_reason)


def test_a_stored_choice_applies_while_available_else_standard_with_a_notice():
    options = delivery.options_for([_line(1000)], "PLATFORM", CONFIG, _address("Seattle", "WA"), False, NOW)
    assert delivery.chosen(options, Selection("TWO_DAY"))[0].kind == "TWO_DAY"
    picked, location, notice = delivery.chosen(options, Selection("PICKUP", 7))
    assert (picked.kind, location.id, notice) == ("PICKUP", 7, None)
    gone, location, notice = delivery.chosen(options, Selection("PICKUP", 8))  # London's counter
    assert (gone.kind, location) == ("STANDARD", None)
    assert notice == "Pickup no longer applies: The pickup location chosen is no longer available. Standard" \
                     " delivery applies instead."
    late = delivery.options_for([_line(1000)], "PLATFORM", CONFIG, _address("New York", "NY"), False, NOW)
    option, _, notice = delivery.chosen(late, Selection("SAME_DAY"))
    assert option.kind == "STANDARD" and notice.startswith("Same-day delivery no longer applies: Same-day delivery"
                                                           " to New York must be ordered before 13:00")
    assert delivery.chosen(late, None) == (late[0], None, None)


@pytest.mark.parametrize("kind, pickup, code", [
    ("SAME_DAY", None, "SAME_DAY_UNAVAILABLE"),
    ("TWO_DAY", None, "DELIVERY_OPTION_UNAVAILABLE"),
    ("PICKUP", None, "DELIVERY_OPTION_UNAVAILABLE"),
    ("STANDARD", 7, "PICKUP_LOCATION_INVALID"),
])
def test_merchant_shipments_refuse_what_they_do_not_offer(kind, pickup, code):
    options = delivery.options_for([_line(1000, 1, "MERCHANT")], "MERCHANT", CONFIG, _address("Seattle", "WA"),
                                   False, NOW)
    with pytest.raises(DomainError) as refused:
        delivery.check_choice(options, kind, pickup)
    assert refused.value.code == code


def test_pickup_needs_one_of_the_listed_locations():
    options = delivery.options_for([_line(1000)], "PLATFORM", CONFIG, _address("Seattle", "WA"), False, NOW)
    assert delivery.check_choice(options, "PICKUP", 7) == Selection("PICKUP", 7)
    assert delivery.check_choice(options, "SAME_DAY", None) == Selection("SAME_DAY", None)
    for location in (None, 8, 999):
        with pytest.raises(DomainError) as refused:
            delivery.check_choice(options, "PICKUP", location)
        assert (refused.value.code, refused.value.field) == ("PICKUP_LOCATION_INVALID", ["input", "pickupLocationId"])


def _product(title: str, release_date: date | None) -> Product:
    return Product(1, "slug", title, "", "PHYSICAL", "PAPERBACK", 1, None, None, None, [], {}, [], release_date,
                   None, 0, NOW, NOW)


def _preorder_line(title: str, release_date: date | None, price_minor: int = 1000):
    line = _line(price_minor)
    line.product = _product(title, release_date)
    return line


def test_a_pre_order_is_estimated_from_its_release_date_and_never_same_day():
    release = date(2027, 3, 31)  # a Wednesday
    group = [_preorder_line("Out Now", date(2026, 1, 1)), _preorder_line("Coming Soon", release)]
    options = _by_kind(delivery.options_for(group, "PLATFORM", CONFIG, _address("Seattle", "WA"), False, NOW))
    assert {k: (o.available, o.estimated_delivery_date) for k, o in options.items()} == {
        "STANDARD": (True, date(2027, 4, 7)),
        "TWO_DAY": (True, date(2027, 4, 2)),
        "SAME_DAY": (False, None),
        "PICKUP": (True, date(2027, 4, 2)),
    }
    assert options["SAME_DAY"].unavailable_reason == ("Coming Soon is a pre-order released on 2027-03-31: it cannot"
                                                      " arrive today.")
    assert options["SAME_DAY"].price is None
    with pytest.raises(DomainError) as refused:
        delivery.check_choice(list(options.values()), "SAME_DAY", None)
    assert refused.value.code == "SAME_DAY_UNAVAILABLE" and "released on 2027-03-31" in refused.value.message


@pytest.mark.parametrize("releases, start", [
    ([None], date(2026, 11, 24)),
    ([date(2026, 11, 24)], date(2026, 11, 24)),  # released today: it leaves today
    ([date(2026, 11, 25), date(2027, 3, 31), date(2027, 1, 4)], date(2027, 3, 31)),  # the group waits for the last
])
def test_a_group_leaves_when_its_last_item_is_released(releases, start):
    lines = [_preorder_line(f"Title {n}", release) for n, release in enumerate(releases)]
    assert delivery.ships_from(lines, NOW.date()) == start
    standard = delivery.options_for(lines, "PLATFORM", CONFIG, _address("Seattle", "WA"), False, NOW)[0]
    assert standard.estimated_delivery_date == delivery.add_business_days(start, 5)


@pytest.mark.parametrize("start, end, days", [
    (date(2026, 11, 24), date(2026, 11, 24), 0),
    (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday to Monday
    (date(2026, 11, 28), date(2026, 12, 4), 5),  # from a Saturday
    (date(2026, 11, 30), date(2026, 11, 27), 0),  # an end before the start
])
def test_business_days_between_is_what_add_business_days_adds(start, end, days):
    assert delivery.business_days_between(start, end) == days
