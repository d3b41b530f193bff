"""The checkout guide's example works as written: the customer's cart placed with the total
they saw, and the same key again answering with the same order. (Fenced `graphql checkout`:
it needs variables, so the test of stand-alone examples skips it.)"""
import httpx
import pytest

from api.app import create_app
from domain.payments.test_provider import TestPaymentProvider
from domain.shared.config import Settings
from tests.api.carts.helpers import PLATFORM_BOOK, SEATTLE, SET_ADDRESS, customer_cart, line, offer, ok
from tests.docs.guides import DOCS, examples
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

[PLACE_ORDER] = examples(DOCS / "checkout.md", "checkout")


async def test_the_checkout_example_runs(writable_database):
    db = writable_database
    async with TestPaymentProvider(db.url) as provider:
        app = create_app(Settings(env="development", cost_budget=1_000_000_000), database=db, payments=provider)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            buyer = await account(http, db, "readme")
            cart = await customer_cart(http, buyer, line(await offer(db, PLATFORM_BOOK), 2))
            cart = ok(await buyer(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "address": SEATTLE}}),
                      "setCartShippingAddress")
            variables = {"cartId": cart["id"], "idempotencyKey": "3f1c7a52-readme",
                         "total": cart["totals"]["total"]["amount"]}

            first = await buyer(http, PLACE_ORDER, variables)
            again = await buyer(http, PLACE_ORDER, variables)

    assert "errors" not in first, first
    placed = first["data"]["placeOrder"]
    assert placed["userErrors"] == [] and placed["order"]["status"] == "PLACED"
    assert placed["order"]["total"]["amount"] == cart["totals"]["total"]["amount"]
    assert again["data"] == first["data"]
