"""Delivery options per shipment group: prices, estimated dates in business days from a moved
clock, free two-day delivery for members, same-day delivery before each city's local cut-off,
pickup locations, and choices that stop applying when the address, the lines or the clock move."""
from datetime import UTC, datetime

import pytest

from domain.shared import clock
from tests.api.carts.helpers import (
    BERLIN,
    CART_QUERY,
    LINES_REMOVE,
    MERCHANT_GOODS,
    PLATFORM_BOOK,
    PORTLAND,
    SEATTLE,
    SELECT_DELIVERY,
    SET_ADDRESS,
    cart_rows,
    codes,
    customer_cart,
    fetch,
    gid,
    guest_cart,
    line,
    offer,
    ok,
    pk,
)
from tests.api.identity.helpers import call
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

FRIDAY = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
SEATTLE_12_59 = datetime(2026, 11, 24, 20, 59, tzinfo=UTC)  # PST is UTC-8 in November
SEATTLE_13_00 = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
NEW_YORK = {"fullName": "Ada Reader", "line1": "1 Broadway", "city": "new york", "region": "NY",
            "postalCode": "10004", "countryCode": "US"}
CHEAP_BOOK = f"{PLATFORM_BOOK} AND o.price_minor < 1000"
JOIN_PRIME = """mutation { joinPrime(input: {plan: PRIME_MONTHLY, paymentToken: "tok_visa"}) {
  membership { status } userErrors { code } } }"""


@pytest.fixture
def at(monkeypatch):
    def move(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
    return move


def _options(group: dict) -> dict:
    return {o["kind"]: (o["available"], o["price"] and o["price"]["amount"], o["estimatedDeliveryDate"])
            for o in group["deliveryOptions"]}


async def _ship_to(http, cart, token, address) -> dict:
    return ok(await call(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "cartToken": token,
                                                       "address": address}}), "setCartShippingAddress")


def _select(cart, token, group, option, pickup=None) -> dict:
    value = {"cartId": cart["id"], "cartToken": token, "sellerId": group["seller"]["id"],
             "fulfilment": group["fulfilment"], "option": option}
    if pickup is not None:
        value["pickupLocationId"] = pickup
    return {"input": value}


async def test_each_shipment_gets_priced_options_dated_in_business_days(writable_database, at):
    db = writable_database
    book, goods = await offer(db, CHEAP_BOOK), await offer(db, MERCHANT_GOODS)
    at(FRIDAY)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book), line(goods, 2))
        cart = await _ship_to(http, cart, token, PORTLAND)
    platform, merchant = cart["shipmentGroups"]
    assert (platform["seller"]["id"], platform["fulfilment"]) == (gid("Seller", book["seller_id"]), "PLATFORM")
    assert _options(platform) == {
        "STANDARD": (True, "5.99", "2026-12-04"),  # 5 business days from a Friday
        "TWO_DAY": (True, "9.99", "2026-12-01"),
        "SAME_DAY": (False, None, None),  # Portland is not served
        "PICKUP": (True, "0.00", "2026-12-01"),
    }
    assert [p["city"] for p in platform["deliveryOptions"][3]["pickupLocations"]] == ["Chicago", "New York",
                                                                                       "Seattle"]
    shipping = f"{2 * goods['shipping_minor'] / 100:.2f}"
    assert _options(merchant) == {"STANDARD": (True, shipping, "2026-12-08"), "TWO_DAY": (False, None, None),
                                  "SAME_DAY": (False, None, None), "PICKUP": (False, None, None)}
    assert "ships these items itself" in merchant["deliveryOptions"][1]["unavailableReason"]
    assert [g["selectedDeliveryOption"]["kind"] for g in cart["shipmentGroups"]] == ["STANDARD", "STANDARD"]
    assert cart["totals"]["delivery"]["amount"] == f"{(599 + 2 * goods['shipping_minor']) / 100:.2f}"


async def test_platform_standard_delivery_is_free_from_35_dollars(writable_database):
    db = writable_database
    book = await offer(db, f"{PLATFORM_BOOK} AND o.price_minor BETWEEN 500 AND 3499")
    below = 3499 // book["price_minor"]
    async with make_client(db) as http:
        small, _ = await guest_cart(http, line(book, below))
        large, _ = await guest_cart(http, line(book, below + 1))
    assert small["shipmentGroups"][0]["selectedDeliveryOption"]["price"]["amount"] == "5.99"
    assert large["shipmentGroups"][0]["selectedDeliveryOption"]["price"]["amount"] == "0.00"


async def test_two_day_delivery_is_free_for_members_on_platform_items_whatever_the_size(writable_database):
    db = writable_database
    book, goods = await offer(db, CHEAP_BOOK), await offer(db, MERCHANT_GOODS)
    async with make_client(db) as http:
        member = await account(http, db, "member")
        other = await account(http, db, "other")
        joined = await member(http, JOIN_PRIME)
        assert joined["data"]["joinPrime"]["userErrors"] == [], joined
        members = await customer_cart(http, member, line(book), line(goods))
        others = await customer_cart(http, other, line(book))
        cart_id = members["id"]
        platform = members["shipmentGroups"][0]
        chosen = ok(await member(http, SELECT_DELIVERY, _select(members, None, platform, "TWO_DAY")),
                    "selectCartDeliveryOption")
    assert _options(platform)["TWO_DAY"][:2] == (True, "0.00")
    assert _options(others["shipmentGroups"][0])["TWO_DAY"][:2] == (True, "9.99")
    assert _options(members["shipmentGroups"][1])["TWO_DAY"][0] is False  # the seller ships itself
    assert chosen["shipmentGroups"][0]["selectedDeliveryOption"]["kind"] == "TWO_DAY"
    assert chosen["totals"]["delivery"]["amount"] == members["shipmentGroups"][1]["selectedDeliveryOption"][
        "price"]["amount"]
    assert chosen["id"] == cart_id


async def test_same_day_can_be_chosen_before_the_local_cut_off_and_not_after(writable_database, at):
    db = writable_database
    book = await offer(db, CHEAP_BOOK)
    at(SEATTLE_12_59)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book))
        cart = await _ship_to(http, cart, token, SEATTLE)
        [group] = cart["shipmentGroups"]
        same_day = group["deliveryOptions"][2]
        assert (same_day["available"], same_day["price"]["amount"], same_day["estimatedDeliveryDate"],
                same_day["cutOffLocalTime"], same_day["timeZone"]) == (
            True, "19.99", "2026-11-24", "13:00", "America/Los_Angeles")
        chosen = ok(await call(http, SELECT_DELIVERY, _select(cart, token, group, "SAME_DAY")),
                    "selectCartDeliveryOption")
        assert chosen["shipmentGroups"][0]["selectedDeliveryOption"]["kind"] == "SAME_DAY"
        assert chosen["totals"]["delivery"]["amount"] == "19.99"

        at(SEATTLE_13_00)
        later = (await call(http, CART_QUERY, {"token": token}))["data"]["cart"]
        [group] = later["shipmentGroups"]
        assert _options(group)["SAME_DAY"] == (False, None, None)
        assert "before 13:00 local time; it is 13:00 there now" in group["deliveryOptions"][2]["unavailableReason"]
        # The choice no longer applies: standard delivery, and a notice saying why.
        assert group["selectedDeliveryOption"]["kind"] == "STANDARD"
        assert group["notice"].startswith("Same-day delivery no longer applies: Same-day delivery to Seattle")
        assert later["totals"]["delivery"]["amount"] == "5.99"
        before = await cart_rows(db, pk(cart["id"]))
        refused = await call(http, SELECT_DELIVERY, _select(cart, token, group, "SAME_DAY"))
    assert codes(refused, "selectCartDeliveryOption") == ["SAME_DAY_UNAVAILABLE"]
    [error] = refused["data"]["selectCartDeliveryOption"]["userErrors"]
    assert "must be ordered before 13:00" in error["message"] and error["field"] == ["input", "option"]
    assert await cart_rows(db, pk(cart["id"])) == before


async def test_each_city_has_its_own_local_cut_off(writable_database, at):
    db = writable_database
    book = await offer(db, CHEAP_BOOK)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book))
        await _ship_to(http, cart, token, NEW_YORK)  # the city matches whatever its case
        results = {}
        for moment in (datetime(2026, 11, 24, 14, 59, tzinfo=UTC), datetime(2026, 11, 24, 15, 0, tzinfo=UTC)):
            at(moment)
            group = (await call(http, CART_QUERY, {"token": token}))["data"]["cart"]["shipmentGroups"][0]
            results[moment.strftime("%H:%M")] = _options(group)["SAME_DAY"][0]
    assert results == {"14:59": True, "15:00": False}  # 09:59 and 10:00 in New York


async def test_same_day_is_refused_outside_the_listed_cities_and_without_an_address(writable_database):
    db = writable_database
    book = await offer(db, CHEAP_BOOK)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book))
        [group] = cart["shipmentGroups"]
        no_address = await call(http, SELECT_DELIVERY, _select(cart, token, group, "SAME_DAY"))
        cart = await _ship_to(http, cart, token, PORTLAND)
        before = await cart_rows(db, pk(cart["id"]))
        portland = await call(http, SELECT_DELIVERY, _select(cart, token, cart["shipmentGroups"][0], "SAME_DAY"))
    assert codes(no_address, "selectCartDeliveryOption") == ["SAME_DAY_UNAVAILABLE"]
    assert "Add a shipping address" in no_address["data"]["selectCartDeliveryOption"]["userErrors"][0]["message"]
    assert codes(portland, "selectCartDeliveryOption") == ["SAME_DAY_UNAVAILABLE"]
    assert "does not reach Portland" in portland["data"]["selectCartDeliveryOption"]["userErrors"][0]["message"]
    assert await cart_rows(db, pk(cart["id"])) == before


async def test_pickup_takes_one_of_the_locations_listed_for_the_shipping_country(writable_database):
    db = writable_database
    book = await offer(db, CHEAP_BOOK)
    seattle = await fetch(db, "SELECT id FROM pickup_locations WHERE city = 'Seattle'")
    seattle_locker = gid("PickupLocation", seattle[0][0])
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book))
        cart = await _ship_to(http, cart, token, BERLIN)
        [group] = cart["shipmentGroups"]
        pickup = group["deliveryOptions"][3]
        assert [p["name"] for p in pickup["pickupLocations"]] == ["Tributary Pickup - Alexanderplatz"]
        berlin_locker = pickup["pickupLocations"][0]["id"]
        before = await cart_rows(db, pk(cart["id"]))
        refused = [
            await call(http, SELECT_DELIVERY, _select(cart, token, group, "PICKUP")),
            await call(http, SELECT_DELIVERY, _select(cart, token, group, "PICKUP", seattle_locker)),
            await call(http, SELECT_DELIVERY, _select(cart, token, group, "STANDARD", berlin_locker)),
        ]
        assert [codes(body, "selectCartDeliveryOption") for body in refused] == [["PICKUP_LOCATION_INVALID"]] * 3
        assert await cart_rows(db, pk(cart["id"])) == before
        chosen = ok(await call(http, SELECT_DELIVERY, _select(cart, token, group, "PICKUP", berlin_locker)),
                    "selectCartDeliveryOption")
    [group] = chosen["shipmentGroups"]
    assert (group["selectedDeliveryOption"]["kind"], group["selectedPickupLocation"]["id"]) == ("PICKUP", berlin_locker)
    assert chosen["totals"]["delivery"]["amount"] == "0.00"


async def test_options_a_shipment_does_not_offer_and_shipments_not_in_the_cart_are_refused(writable_database):
    db = writable_database
    book, goods = await offer(db, CHEAP_BOOK), await offer(db, MERCHANT_GOODS)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book), line(goods))
        platform, merchant = cart["shipmentGroups"]
        before = await cart_rows(db, pk(cart["id"]))
        two_day = await call(http, SELECT_DELIVERY, _select(cart, token, merchant, "TWO_DAY"))
        pickup = await call(http, SELECT_DELIVERY, _select(cart, token, merchant, "PICKUP"))
        elsewhere = await call(http, SELECT_DELIVERY, _select(cart, token, {**merchant, "fulfilment": "PLATFORM"},
                                                              "STANDARD"))
    assert codes(two_day, "selectCartDeliveryOption") == ["DELIVERY_OPTION_UNAVAILABLE"]
    assert codes(pickup, "selectCartDeliveryOption") == ["DELIVERY_OPTION_UNAVAILABLE"]
    assert codes(elsewhere, "selectCartDeliveryOption") == ["NOT_FOUND"]
    assert elsewhere["data"]["selectCartDeliveryOption"]["userErrors"][0]["field"] == ["input", "sellerId"]
    assert await cart_rows(db, pk(cart["id"])) == before


async def test_choices_that_no_longer_apply_are_dropped_when_the_address_or_lines_change(writable_database, at):
    db = writable_database
    first = await offer(db, CHEAP_BOOK)
    goods = await offer(db, MERCHANT_GOODS)
    at(SEATTLE_12_59)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(first), line(goods))
        cart = await _ship_to(http, cart, token, SEATTLE)
        platform, merchant = cart["shipmentGroups"]
        ok(await call(http, SELECT_DELIVERY, _select(cart, token, platform, "SAME_DAY")), "selectCartDeliveryOption")
        ok(await call(http, SELECT_DELIVERY, _select(cart, token, merchant, "STANDARD")), "selectCartDeliveryOption")
        moved = await _ship_to(http, cart, token, PORTLAND)
        assert [g["selectedDeliveryOption"]["kind"] for g in moved["shipmentGroups"]] == ["STANDARD", "STANDARD"]
        assert [g["notice"] for g in moved["shipmentGroups"]] == [None, None]
        rows = await fetch(db, "SELECT fulfilment::text, option::text FROM cart_delivery_selections WHERE cart_id = $1",
                           pk(cart["id"]))
        assert [tuple(r) for r in rows] == [("MERCHANT", "STANDARD")]
        removed = ok(await call(http, LINES_REMOVE, {"input": {"cartId": cart["id"], "cartToken": token,
                                                               "lineIds": [cart["lines"][1]["id"]]}}),
                     "removeCartLines")
        assert len(removed["shipmentGroups"]) == 1
    assert await fetch(db, "SELECT 1 FROM cart_delivery_selections WHERE cart_id = $1", pk(cart["id"])) == []
