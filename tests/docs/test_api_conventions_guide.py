"""The error shape in docs/api-conventions.md is what the API answers: the example mutation,
with a product's ID where the second line's offer ID goes, gets the `userErrors` shown."""
import json
import re

import pytest

from tests.api.carts.helpers import gid, offer
from tests.conftest import make_client
from tests.docs.guides import DOCS, steps
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("api-conventions.md", "errors")
SHOWN = json.loads(re.search(r"^```json errors\n(.*?)^```", (DOCS / "api-conventions.md").read_text(),
                             re.S | re.M).group(1))


async def test_the_error_shape_example_answers_as_shown(writable_database):
    assert list(STEPS) == ["AddToCart"]
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "shape")
        cart = (await me(http, 'mutation { createCart(input: {}) { cart { id } } }'))["data"]["createCart"]["cart"]
        item = await offer(db, "p.kind = 'PHYSICAL' AND o.quantity >= 5")
        body = await me(http, STEPS["AddToCart"], {"input": {"cartId": cart["id"], "lines": [
            {"offerId": gid("Offer", item["id"]), "quantity": 1}, {"offerId": gid("Product", 1), "quantity": 1}]}})
    assert "errors" not in body
    assert body["data"] == SHOWN["data"]
