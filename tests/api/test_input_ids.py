"""A malformed or wrong-type global ID anywhere in a mutation's input is a `userError` coded
INVALID_ID on that exact field (list indices included), with the payload's results empty and
nothing written; in a query argument it is a BAD_USER_INPUT error with reason INVALID_ID."""
import base64

import pytest

from api.core import ids
from api.core.input_ids import InputIds
from api.schema import Mutation, build_schema
from domain.shared.config import Settings
from tests.api.carts.helpers import gid
from tests.conftest import make_client
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

MONEY = {"amount": "1.00", "currencyCode": "USD"}
NOW = "2026-01-01T00:00:00Z"


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


MALFORMED = ["not-an-id", "", "x" * 500, _b64("Product:abc"), _b64("Product:-4"), _b64("9x:1")]

# mutation, its input with `BAD` where the ID under test goes, the exact path of that ID.
# Every other ID is well formed and of the right type, and comes first in the list it is in.
CASES = [
    ("addCartLines", "CartLinesAddInput", {"cartId": gid("Cart", 1), "lines": [
        {"offerId": gid("Offer", 1), "quantity": 1}, {"offerId": "BAD", "quantity": 1}]},
     ["input", "lines", "1", "offerId"], "Offer"),
    ("cartLinesRemove", "CartLinesRemoveInput", {"cartId": gid("Cart", 1), "lineIds": [gid("CartLine", 1), "BAD"]},
     ["input", "lineIds", "1"], "CartLine"),
    ("addCartLines", "CartLinesAddInput", {"cartId": "BAD", "lines": []}, ["input", "cartId"], "Cart"),
    ("requestReturn", "RequestReturnInput", {"orderId": gid("Order", 1), "reason": "DAMAGED", "lines": [
        {"orderLineId": gid("OrderLine", 1), "quantity": 1}, {"orderLineId": "BAD", "quantity": 1}]},
     ["input", "lines", "1", "orderLineId"], "OrderLine"),
    ("refundOrder", "RefundOrderInput", {"orderId": gid("Order", 1), "reason": "Sorry", "idempotencyKey": "k1",
                                         "lines": [{"orderLineId": gid("OrderLine", 1), "amount": MONEY},
                                                   {"orderLineId": "BAD", "amount": MONEY}]},
     ["input", "lines", "1", "orderLineId"], "OrderLine"),
    ("refundOrder", "RefundOrderInput", {"orderId": "BAD", "reason": "Sorry", "idempotencyKey": "k1", "lines": []},
     ["input", "orderId"], "Order"),
    ("updateReadingState", "UpdateReadingStateInput", {"deviceId": gid("Device", 1), "states": [
        {"licenceId": gid("Licence", 1), "position": 1, "clientTime": NOW},
        {"licenceId": "BAD", "position": 1, "clientTime": NOW}]},
     ["input", "states", "1", "licenceId"], "Licence"),
    ("activateLicence", "ActivateLicenceInput", {"licenceId": gid("Licence", 1), "deviceId": "BAD"},
     ["input", "deviceId"], "Device"),
    ("createOffer", "CreateOfferInput", {"sellerId": gid("Seller", 1), "productId": "BAD", "condition": "NEW",
                                         "fulfilment": "MERCHANT", "price": MONEY, "quantity": 1},
     ["input", "productId"], "Product"),
    ("updateProduct", "UpdateProductInput", {"id": gid("Product", 1), "brandId": "BAD"}, ["input", "brandId"], "Brand"),
    ("setDefaultAddress", "SetDefaultAddressInput", {"addressId": "BAD"}, ["input", "addressId"], "Address"),
]


def _document(name: str, input_type: str) -> str:
    return (f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ __typename "
            "userErrors { code message field } } }")


def _with(value, bad: str):
    if value == "BAD":
        return bad
    if isinstance(value, dict):
        return {k: _with(v, bad) for k, v in value.items()}
    if isinstance(value, list):
        return [_with(v, bad) for v in value]
    return value


def _wrong_type(expected: str) -> str:
    return gid("Seller" if expected != "Seller" else "Product", 1)


async def _tables(db) -> list[int]:
    return [await fetchval(db, f"SELECT count(*) FROM {table}")
            for table in ("carts", "cart_lines", "return_requests", "order_refunds", "offers", "reading_states")]


async def test_a_bad_id_anywhere_in_a_mutation_input_is_a_user_error_on_that_field(writable_database):
    db = writable_database
    async with make_client(db) as http:
        admin = await account(http, db, "ids", admin=True, seller_id=1)
        before = await _tables(db)
        for name, input_type, given, path, expected in CASES:
            for bad in [*MALFORMED, _wrong_type(expected)]:
                body = await admin(http, _document(name, input_type), {"input": _with(given, bad)})
                assert "errors" not in body, (name, bad, body)
                [error] = body["data"][name]["userErrors"]
                assert (error["code"], error["field"]) == ("INVALID_ID", path), (name, bad)
                assert ("not a valid ID" in error["message"]) == (bad in MALFORMED), error["message"]
        assert await _tables(db) == before


async def test_a_refused_id_leaves_the_payload_results_empty(writable_database):
    async with make_client(writable_database) as http:
        admin = await account(http, writable_database, "ids", admin=True)
        body = await admin(http, """mutation($input: ReportPlaybackInput!) { reportPlayback(input: $input) {
          licence { id } quality { problems } refunded refund { id } userErrors { code field } } }""", {"input": {
            "licenceId": gid("Licence", 1), "deviceId": "nope", "reportId": "6f1c1e64-7c44-4b8e-9d43-1a0d2b4f6a11",
            "watchedSeconds": 1, "rebufferingSeconds": 0, "averageBitrateKbps": 1000}})
    assert body.get("data") and body["data"]["reportPlayback"] == {"licence": None, "quality": None, "refunded": False, "refund": None,
                                              "userErrors": [{"code": "INVALID_ID", "field": ["input", "deviceId"]}]}


@pytest.mark.parametrize("query, variables, field", [
    ("query($id: ID!) { product(id: $id) { id } }", {"id": gid("Seller", 1)}, ["id"]),
    ("query($id: ID!) { node(id: $id) { id } }", {"id": "not-an-id"}, ["id"]),
    ("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [gid("Product", 1), "nope"]}, ["ids", "1"]),
    ("query($id: ID) { seller(id: $id) { id } }", {"id": gid("Product", 1)}, ["id"]),
    ("query($f: ProductFilterInput) { search(query: \"harry\", filter: $f) { totalCount } }",
     {"f": {"brandIds": [gid("Brand", 1), gid("Product", 1)]}}, ["filter", "brandIds", "1"]),
])
async def test_a_bad_id_in_a_query_argument_is_a_typed_error(gql, query, variables, field):
    body = await gql(query, variables, expect_errors=True)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["reason"] == "INVALID_ID"
    assert error["extensions"]["field"] == field
    assert "Unexpected" not in error["message"]


def test_every_mutation_can_answer_a_refused_id_with_its_payload():
    build_schema(Settings(env="development"))  # puts the extension on every mutation field
    refused = ids.InvalidId("'x' is not a valid ID.", field=["input", "id"])
    fields = Mutation.__strawberry_definition__.fields
    answers = {}
    for field in fields:
        [extension] = [e for e in field.extensions if isinstance(e, InputIds)]
        payload = extension.refused(refused)
        answers[field.python_name] = [(e.code.value, e.field) for e in payload.user_errors]
    assert len(answers) == len(fields) > 50
    assert set(map(str, answers.values())) == {str([("INVALID_ID", ["input", "id"])])}
