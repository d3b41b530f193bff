"""The cart guide's walkthrough works as written, step by step: a guest's cart, its delivery and
totals, and the merge after sign-in. (Its examples are fenced `graphql cart`: they need the
variables each step hands to the next, so the test of stand-alone examples skips them.)"""
import pytest

from tests.api.carts.helpers import PLATFORM_BOOK, PLATFORM_GOODS, gid, offer
from tests.api.identity.helpers import PASSWORD, call, register, sign_in
from tests.conftest import make_client
from tests.docs.guides import ok, steps

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("carts.md", "cart")


async def test_the_cart_walkthrough_runs(writable_database):
    assert list(STEPS) == ["GuestCart", "AddLines", "ShipTo", "ChooseDelivery", "ReadCart", "MergeAfterSignIn",
                           "MyCart"]
    db = writable_database
    book, goods = await offer(db, PLATFORM_BOOK), await offer(db, PLATFORM_GOODS)
    async with make_client(db) as http:
        created = ok(await call(http, STEPS["GuestCart"], {"offerId": gid("Offer", book["id"])}), "createCart")
        cart = {"cartId": created["cart"]["id"], "cartToken": created["cartToken"]}
        assert created["cart"]["totalQuantity"] == 2

        added = ok(await call(http, STEPS["AddLines"], {**cart, "offerId": gid("Offer", goods["id"])}),
                    "addCartLines")
        assert added["cart"]["totalQuantity"] == 3

        shipped = ok(await call(http, STEPS["ShipTo"], cart), "setCartShippingAddress")
        [group] = shipped["cart"]["shipmentGroups"]
        assert [o["kind"] for o in group["deliveryOptions"]] == ["STANDARD", "TWO_DAY", "SAME_DAY", "PICKUP"]

        chosen = ok(await call(http, STEPS["ChooseDelivery"], {**cart, "sellerId": group["seller"]["id"]}),
                     "selectCartDeliveryOption")
        assert chosen["cart"]["shipmentGroups"][0]["selectedDeliveryOption"]["kind"] == "TWO_DAY"

        read = (await call(http, STEPS["ReadCart"], {"cartToken": cart["cartToken"]}))["data"]["cart"]
        assert (read["status"], read["totals"]["taxStatus"]) == ("ACTIVE", "CALCULATED")
        assert read["totals"]["delivery"]["amount"] == "9.99"

        assert (await register(http, "cart-reader@example.com"))["accepted"]
        access = (await sign_in(http, "cart-reader@example.com", PASSWORD))["tokens"]["accessToken"]
        merged = ok(await call(http, STEPS["MergeAfterSignIn"], {"cartToken": cart["cartToken"]}, token=access),
                     "mergeGuestCart")
        assert (merged["cart"]["isGuest"], merged["cart"]["totalQuantity"], merged["mergedLineCount"]) == (
            False, 3, 2)

        mine = (await call(http, STEPS["MyCart"], token=access))["data"]["cart"]
        assert (mine["id"], mine["totalQuantity"]) == (merged["cart"]["id"], 3)
