"""Every `userError.field` is the exact path of the input field at fault: a bad second item of a
list input is reported at index "1", down to the leaf (a refund's amount is the `amount` of the
line's MoneyInput)."""
import pytest

from domain.payments.test_provider import TestPaymentProvider
from tests.api.carts.helpers import gid, offer
from tests.conftest import make_client
from tests.fixtures.customer_service import ship
from tests.fixtures.identity import account
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

BOOK = "s.is_first_party AND p.kind = 'PHYSICAL' AND o.quantity >= 10"
USD = "USD"


def _document(name: str, input_type: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ userErrors {{ code field }} }} }}"


async def test_a_bad_second_list_item_is_reported_at_its_index(writable_database):
    db = writable_database
    async with make_client(db) as http:
        customer = await account(http, db, "paths")
        admin = await account(http, db, "paths-admin", admin=True)
        item = await offer(db, BOOK)
        placed = await placed_order(db, customer.account_id, [(item["id"], 2)])
        async with TestPaymentProvider(db.url) as provider:
            await ship(db, provider, placed.shipment_ids)
        order, line = gid("Order", placed.id), gid("OrderLine", placed.line_ids[0])
        other_line = gid("OrderLine", 10**12)
        money = {"amount": "1.00", "currencyCode": USD}
        cases = [
            (customer, "cartCreate", "CartCreateInput", {"lines": [
                {"offerId": gid("Offer", item["id"]), "quantity": 1},
                {"offerId": gid("Offer", item["id"]), "quantity": 0}]},
             ("INVALID_QUANTITY", ["input", "lines", "1", "quantity"])),
            (customer, "requestReturn", "RequestReturnInput", {"orderId": order, "reason": "DAMAGED", "lines": [
                {"orderLineId": line, "quantity": 1}, {"orderLineId": other_line, "quantity": 0}]},
             ("INVALID_QUANTITY", ["input", "lines", "1", "quantity"])),
            (customer, "requestReturn", "RequestReturnInput", {"orderId": order, "reason": "DAMAGED", "lines": [
                {"orderLineId": line, "quantity": 1}, {"orderLineId": line, "quantity": 1}]},
             ("INVALID", ["input", "lines", "1", "orderLineId"])),
            (admin, "refundOrder", "RefundOrderInput", {"orderId": order, "reason": "Sorry", "idempotencyKey": "p1",
                                                        "lines": [{"orderLineId": line, "amount": money},
                                                                  {"orderLineId": other_line,
                                                                   "amount": {"amount": "-1", "currencyCode": USD}}]},
             ("INVALID_AMOUNT", ["input", "lines", "1", "amount", "amount"])),
            (admin, "refundOrder", "RefundOrderInput", {"orderId": order, "reason": "Sorry", "idempotencyKey": "p2",
                                                        "lines": [{"orderLineId": line, "amount": money},
                                                                  {"orderLineId": other_line, "amount": money}]},
             ("NOT_FOUND", ["input", "lines", "1", "orderLineId"])),
            (admin, "refundOrder", "RefundOrderInput", {"orderId": order, "reason": "Sorry", "idempotencyKey": "p3",
                                                        "lines": [{"orderLineId": line, "amount": money},
                                                                  {"orderLineId": line, "amount": money}]},
             ("INVALID", ["input", "lines", "1", "orderLineId"])),
            (admin, "updateProduct", "UpdateProductInput", {"id": gid("Product", item["product_id"]), "images": [
                {"url": "https://img.example.com/a.jpg"}, {"url": "http://img.example.com/b.jpg"}]},
             ("IMAGE_URL_INVALID", ["input", "images", "1", "url"])),
            (admin, "updateProduct", "UpdateProductInput", {"id": gid("Product", item["product_id"]), "images": [
                {"url": "https://img.example.com/a.jpg"}, {"url": "https://img.example.com/a.jpg"}]},
             ("IMAGE_INVALID", ["input", "images", "1", "url"])),
        ]
        for caller, name, input_type, given, expected in cases:
            body = await caller(http, _document(name, input_type), {"input": given})
            assert "errors" not in body, (name, body)
            assert [(e["code"], e["field"]) for e in body["data"][name]["userErrors"]] == [expected], (name, given)
