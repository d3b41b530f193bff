"""Every object a client may refetch is a `Node`: `node(id:)` gives back sessions, annotations,
order lines, refunds, return requests and pickup locations by the global ID they carry (who sees
which is the role matrix's business, tests/api/test_role_matrix.py); an unknown ID of a
UUID-keyed type is null like any other; inputs take the global IDs."""
import uuid

import pytest

from api.core import ids
from domain.payments.test_provider import TestPaymentProvider
from tests.api.carts.helpers import gid, offer
from tests.api.licences.helpers import note_change, sync
from tests.conftest import count_statements, make_client
from tests.fixtures.customer_service import ship
from tests.fixtures.identity import account
from tests.fixtures.orders import placed_order
from tests.fixtures.reading import device, licence

pytestmark = pytest.mark.one_copy_per_file

BOOK = "s.is_first_party AND p.kind = 'PHYSICAL' AND o.quantity >= 10"
ORDER = """query($n: String!) { order(number: $n) { lines { id title } refunds { id amount { amount } }
  returnRequests { id status } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on OrderLine { title } ... on OrderRefund { amount { amount } } ... on ReturnRequest { status }
  ... on PickupLocation { name } ... on Session { clientKind } ... on Annotation { uuid note } } }"""
REQUEST_RETURN = """mutation($input: RequestReturnInput!) { requestReturn(input: $input) {
  returnRequest { id } userErrors { code } } }"""
REFUND = """mutation($input: RefundOrderInput!) { refundOrder(input: $input) { refund { id } userErrors { code } } }"""


async def _node(caller, http, global_id: str) -> dict | None:
    body = await caller(http, NODE, {"id": global_id})
    assert "errors" not in body, body
    return body["data"]["node"]


async def test_order_lines_refunds_and_return_requests_come_back_by_their_ids(writable_database):
    db = writable_database
    async with make_client(db) as http:
        customer = await account(http, db, "nodes")
        admin = await account(http, db, "nodes-admin", admin=True)
        item = await offer(db, BOOK)
        placed = await placed_order(db, customer.account_id, [(item["id"], 2)])
        async with TestPaymentProvider(db.url) as provider:
            await ship(db, provider, placed.shipment_ids)
        line = gid("OrderLine", placed.line_ids[0])
        asked = await customer(http, REQUEST_RETURN, {"input": {"orderId": gid("Order", placed.id), "reason": "DAMAGED",
                                                                "lines": [{"orderLineId": line, "quantity": 1}]}})
        assert asked["data"]["requestReturn"]["userErrors"] == []
        refunded = await admin(http, REFUND, {"input": {
            "orderId": gid("Order", placed.id), "reason": "Sorry", "idempotencyKey": "nodes-1",
            "lines": [{"orderLineId": line, "amount": {"amount": "0.50", "currencyCode": "USD"}}]}})
        assert refunded["data"]["refundOrder"]["userErrors"] == []
        order = (await customer(http, ORDER, {"n": placed.number}))["data"]["order"]
        listed = [*order["lines"], *order["refunds"], *order["returnRequests"]]
        assert [item["id"] for item in listed] == [line, refunded["data"]["refundOrder"]["refund"]["id"],
                                                   asked["data"]["requestReturn"]["returnRequest"]["id"]]
        for listed_item in listed:
            assert await _node(customer, http, listed_item["id"]) == {
                "__typename": ids.decode(listed_item["id"])[0], **listed_item}
        # The line's format is the product's format enum, as it was at checkout.
        formats = await customer(http, "query($n: String!) { order(number: $n) { lines { format } } }",
                                 {"n": placed.number})
        assert formats["data"]["order"]["lines"] == [{"format": item["format"]}]


async def test_sessions_annotations_and_pickup_locations_come_back_by_their_ids(writable_database):
    db = writable_database
    async with make_client(db) as http:
        reader = await account(http, db, "nodes-reader")
        book = await licence(db, reader.account_id)
        kindle = await device(http, reader)
        note = uuid.uuid4()
        made = await sync(reader, http, kindle, [note_change(book, note, -2, note="first")])
        [annotation] = made["annotations"]
        assert annotation["id"] == ids.encode("Annotation", note)
        # The global ID names the same annotation as the UUID the device made.
        edited = await sync(reader, http, kindle, [note_change(book, annotation["id"], -1, note="second")])
        assert [r["outcome"] for r in edited["results"]] == ["APPLIED"]
        assert await _node(reader, http, annotation["id"]) == {
            "__typename": "Annotation", "id": annotation["id"], "uuid": str(note), "note": "second"}
        assert await _node(reader, http, reader.session_gid) == {
            "__typename": "Session", "id": reader.session_gid, "clientKind": "WEB"}
        pickup = (await reader(http, "query($id: ID!) { node(id: $id) { id } }",
                               {"id": gid("PickupLocation", 1)}))["data"]["node"]
        assert pickup == {"id": gid("PickupLocation", 1)}
        for unknown in (ids.encode("Session", uuid.uuid4()), ids.encode("Annotation", uuid.uuid4()),
                        gid("OrderLine", 10**12), gid("ReturnRequest", 10**12), gid("OrderRefund", 10**12)):
            assert await _node(reader, http, unknown) is None


async def test_a_uuid_keyed_id_with_a_number_is_malformed(gql):
    body = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": ids.encode("Session", 12)},
                     expect_errors=True)
    assert body["errors"][0]["extensions"]["reason"] == "INVALID_ID"


async def test_nodes_of_many_order_lines_cost_the_same_statements_as_one(writable_database):
    db = writable_database
    async with make_client(db) as http:
        customer = await account(http, db, "nodes-many")
        item = await offer(db, BOOK)
        placed = [await placed_order(db, customer.account_id, [(item["id"], 1)]) for _ in range(5)]
        lines = [gid("OrderLine", p.line_ids[0]) for p in placed]
        counts = []
        for asked in (lines[:1], lines):
            with count_statements() as counter:
                body = await customer(http, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": asked})
            assert body["data"]["nodes"] == [{"id": line} for line in asked]
            counts.append(counter.count)
    assert counts[0] == counts[1], counts
