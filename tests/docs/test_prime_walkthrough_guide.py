"""The Prime walkthrough works as written, step by step, as a client copies it: a new customer
opens an account and signs in, joins Prime with the trial, subscribes to a demo coffee every
month from the cart and places the order, skips the next delivery, and borrows a Prime Reading
e-book. Each step's variables are values an earlier step returned; the access token of the
sign-in goes with every request after it."""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tests.api.identity.helpers import call
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetch

STEPS = steps("prime-walkthrough.md", "prime-walkthrough")


async def test_the_prime_walkthrough_runs_as_written(writable_database):
    assert list(STEPS) == ["OpenAccount", "SignInToShop", "JoinPrimeWithTrial", "FindCoffee",
                           "SubscribeToCoffeeMonthly", "ShipCoffeeHome", "PlaceCoffeeOrder", "MyCoffeeSubscription",
                           "SkipNextCoffee", "FindPrimeBook", "BorrowPrimeBook", "MyBorrowedBooks"]
    db = writable_database
    async with make_client(db) as http:
        assert ok(await call(http, STEPS["OpenAccount"]), "registerCustomer")["accepted"] is True
        token = ok(await call(http, STEPS["SignInToShop"]), "signIn")["tokens"]["accessToken"]

        async def step(name: str, field: str, variables: dict | None = None) -> dict:
            return ok(await call(http, STEPS[name], variables, token=token), field)

        membership = (await step("JoinPrimeWithTrial", "joinPrime"))["membership"]
        assert (membership["status"], membership["isMember"], membership["inTrial"]) == ("TRIAL", True, True)
        assert membership["nextChargeAt"] == membership["trialEndsAt"]
        assert membership["nextChargeAmount"] == {"amount": "14.99", "currencyCode": "USD"}

        coffee = await step("FindCoffee", "product")
        assert "Coffee" in coffee["title"]
        assert coffee["subscribeAndSave"] == {"eligible": True, "discountPercent": 15, "frequencies": [1, 2, 3, 4, 5, 6]}
        offer = coffee["featuredOffer"]
        cart = (await step("SubscribeToCoffeeMonthly", "createCart", {"offerId": offer["id"]}))["cart"]
        [cart_line] = cart["lines"]
        discounted = (Decimal(offer["price"]["amount"]) * Decimal("0.85")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert (cart_line["subscription"], Decimal(cart_line["unitPrice"]["amount"])) == (
            {"frequencyMonths": 1}, discounted)
        shipped = (await step("ShipCoffeeHome", "setCartShippingAddress", {"cartId": cart["id"]}))["cart"]
        assert shipped["totals"]["delivery"]["amount"] == "0.00"
        order = (await step("PlaceCoffeeOrder", "placeOrder", {"cartId": cart["id"]}))["order"]
        assert order["total"] == shipped["totals"]["total"]

        mine = (await step("MyCoffeeSubscription", "viewer"))["customer"]
        [subscription] = mine["subscriptions"]["nodes"]
        [upcoming] = mine["upcomingDeliveries"]["nodes"]
        assert (subscription["status"], subscription["frequencyMonths"], subscription["product"]["id"]) == (
            "ACTIVE", 1, coffee["id"])
        assert (upcoming["subscription"]["id"], upcoming["date"]) == (subscription["id"],
                                                                      subscription["nextDeliveryDate"])
        skipped = (await step("SkipNextCoffee", "skipSubscriptionDelivery",
                              {"subscriptionId": subscription["id"], "date": upcoming["date"]}))["subscription"]
        assert date.fromisoformat(skipped["nextDeliveryDate"]) > date.fromisoformat(upcoming["date"])
        recorded = await fetch(db, "SELECT outcome::text AS outcome, order_id FROM subscription_deliveries"
                                   " WHERE due_date = $1", date.fromisoformat(upcoming["date"]))
        assert [(r["outcome"], r["order_id"]) for r in recorded] == [("SKIPPED", None)]

        book = await step("FindPrimeBook", "product")
        assert (book["format"], book["includedWithPrime"]) == ("KINDLE", True)
        licence = (await step("BorrowPrimeBook", "borrowTitle", {"productId": book["id"]}))["licence"]
        assert (licence["kind"], licence["status"], licence["product"]) == (
            "MEMBERSHIP", "ACTIVE", {"id": book["id"], "includedWithPrime": True})
        borrowed = await step("MyBorrowedBooks", "library")
        assert (borrowed["totalCount"], [n["id"] for n in borrowed["nodes"]]) == (1, [licence["id"]])
