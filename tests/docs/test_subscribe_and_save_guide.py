"""The Subscribe & Save guide's walkthrough works as written: a customer finds a coffee, subscribes
to it every month from the cart, places the order, lists the upcoming delivery and skips it."""
import uuid
from datetime import date

import pytest

from api.core import ids
from tests.api.carts.helpers import SEATTLE, SET_ADDRESS, offer
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("subscribe-and-save.md", "subscribe")
PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code message } } }"""


async def test_the_subscribe_and_save_walkthrough(writable_database):
    db = writable_database
    assert list(STEPS) == ["CoffeeProduct", "SubscribeToCoffee", "UpcomingDeliveries", "SkipNextDelivery",
                           "ReplaceSubscriptionCard"]
    coffee = await offer(db, "p.subscribe_eligible AND s.is_first_party AND o.quantity >= 20")
    slug = await fetchval(db, "SELECT slug FROM products WHERE id = $1", coffee["product_id"])
    async with make_client(db) as http:
        customer = await account(http, db, "guide")
        product = ok(await customer(http, STEPS["CoffeeProduct"], {"slug": slug}), "product")
        assert product["subscribeAndSave"] == {"eligible": True, "discountPercent": 15, "tiered": False,
                                               "frequencies": [1, 2, 3, 4, 5, 6]}

        cart = ok(await customer(http, STEPS["SubscribeToCoffee"], {"offerId": ids.encode("Offer", coffee["id"])}),
                  "createCart")["cart"]
        [line] = cart["lines"]
        assert line["subscription"] == {"frequencyMonths": 1}
        ok(await customer(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "address": SEATTLE}}),
           "setCartShippingAddress")
        placed = ok(await customer(http, PLACE, {"input": {"cartId": cart["id"], "idempotencyKey": uuid.uuid4().hex,
                                                          "paymentToken": "tok_visa"}}), "placeOrder")
        assert placed["order"]["id"]

        mine = ok(await customer(http, STEPS["UpcomingDeliveries"]), "viewer")["customer"]
        [sub] = [e["node"] for e in mine["subscriptions"]["edges"]]
        [upcoming] = [e["node"] for e in mine["upcomingDeliveries"]["edges"]]
        assert (sub["status"], sub["frequencyMonths"], upcoming["subscription"]["id"]) == ("ACTIVE", 1, sub["id"])

        skipped = ok(await customer(http, STEPS["SkipNextDelivery"], {"subscriptionId": sub["id"],
                                                                      "date": upcoming["date"]}),
                     "skipSubscriptionDelivery")["subscription"]
        assert date.fromisoformat(skipped["nextDeliveryDate"]) > date.fromisoformat(upcoming["date"])

        sub_id = ids.decode(sub["id"])[1]
        card = "SELECT payment_method_id FROM subscriptions WHERE id = $1"
        old_card = await fetchval(db, card, sub_id)
        declined = (await customer(http, STEPS["ReplaceSubscriptionCard"], {"subscriptionId": sub["id"],
                                                                            "paymentToken": "tok_declined"}))
        assert declined["data"]["updateSubscriptionPaymentMethod"] == {"subscription": None, "userErrors": [
            {"code": "PAYMENT_DECLINED", "field": ["input", "paymentToken"], "message": declined["data"][
                "updateSubscriptionPaymentMethod"]["userErrors"][0]["message"], "declineCode": "card_declined"}]}
        assert await fetchval(db, card, sub_id) == old_card
        replaced = ok(await customer(http, STEPS["ReplaceSubscriptionCard"], {"subscriptionId": sub["id"],
                                                                             "paymentToken": "tok_mastercard"}),
                      "updateSubscriptionPaymentMethod")
        assert replaced == {"subscription": {"id": sub["id"], "status": "ACTIVE"}, "userErrors": []}
        assert await fetchval(db, card, sub_id) not in (None, old_card)
