"""Registering webhooks over GraphQL: who may, which URLs, events and payload documents are
refused (with the code, and nothing written), and who sees which webhooks. The tests write only
webhooks of their own accounts' and look them up by id: they share the file's copy."""
from __future__ import annotations

import pytest

from tests.api.webhooks.helpers import CREATE, DELETE, UPDATE, call, fetchval, gid
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

URL = "https://93.184.215.14/hooks"  # a public address literal: nothing to resolve, nothing is called
SELLER, OTHER_SELLER = 2, 3


@pytest.fixture
async def http(writable_database):
    async with make_client(writable_database) as client:
        yield client


async def _create(http, token, **input_) -> dict:
    body = await call(http, token, CREATE, {"input": {"url": URL, "events": ["ORDER_PLACED"], **input_}})
    return body


def _codes(body: dict) -> list[str]:
    return [e["code"] for e in body["data"]["createWebhook"]["userErrors"]]


async def test_a_customer_cannot_register_a_webhook_and_anonymous_callers_must_sign_in(http, writable_database):
    customer = await account(http, writable_database, "buyer")
    for token, code in ((customer.token, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        body = await _create(http, token)
        assert body["errors"][0]["extensions"]["code"] == code
    body = await _create(http, customer.token, sellerId=gid("Seller", SELLER))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await fetchval(writable_database, "SELECT count(*) FROM webhooks WHERE owner_account_id = $1",
                          customer.account_id) == 0


async def test_a_seller_registers_for_its_own_events_and_gets_the_secret_once(http, writable_database):
    staff = await account(http, writable_database, "staff", seller_id=SELLER)
    body = await _create(http, staff.token, sellerId=gid("Seller", SELLER), events=["ORDER_PLACED", "OFFER_OUT_OF_STOCK"])
    payload = body["data"]["createWebhook"]
    assert payload["userErrors"] == []
    assert payload["secret"].startswith("whsec_") and len(payload["secret"]) > 40
    assert payload["webhook"]["events"] == ["ORDER_PLACED", "OFFER_OUT_OF_STOCK"]
    assert payload["webhook"]["seller"] == {"id": gid("Seller", SELLER)} and payload["webhook"]["enabled"] is True
    platform = await _create(http, staff.token)
    assert platform["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = await _create(http, staff.token, sellerId=gid("Seller", SELLER), events=["ORDER_UPDATED"])
    assert _codes(refused) == ["WEBHOOK_EVENT_NOT_ALLOWED"]
    assert refused["data"]["createWebhook"]["userErrors"][0]["field"] == ["input", "events", "0"]


@pytest.mark.parametrize(("url", "code"), [
    ("http://93.184.215.14/hooks", None),  # development allows http
    ("https://10.0.0.7/hooks", "WEBHOOK_ADDRESS_NOT_ALLOWED"),
    ("https://127.0.0.1/hooks", "WEBHOOK_ADDRESS_NOT_ALLOWED"),
    ("https://169.254.169.254/latest/meta-data/", "WEBHOOK_ADDRESS_NOT_ALLOWED"),
    ("https://[::1]/hooks", "WEBHOOK_ADDRESS_NOT_ALLOWED"),
    ("https://localhost/hooks", "WEBHOOK_ADDRESS_NOT_ALLOWED"),
    ("https://user:secret@93.184.215.14/", "WEBHOOK_URL_INVALID"),
])
async def test_urls_pointing_inside_are_refused(http, writable_database, url, code):
    admin = await account(http, writable_database, "ops", admin=True)
    body = await call(http, admin.token, CREATE, {"input": {"url": url, "events": ["ORDER_PLACED"]}})
    assert _codes(body) == ([] if code is None else [code])
    if code is not None:
        assert body["data"]["createWebhook"]["userErrors"][0]["field"] == ["input", "url"]
        assert await fetchval(writable_database, "SELECT count(*) FROM webhooks WHERE owner_account_id = $1",
                              admin.account_id) == 0


@pytest.mark.parametrize(("query", "code"), [
    ("subscription { event { ... on OrderPlaced { order { email } } } }", "WEBHOOK_FIELD_NOT_ALLOWED"),
    ("subscription { event { ... on OrderPlaced { shipments { order { email } } } } }",
     "WEBHOOK_FIELD_NOT_ALLOWED"),
    ("subscription { event { ... on ShipmentCreated { shipment { id } } } }", "WEBHOOK_QUERY_INVALID"),
    ("subscription { event { ... on OrderPlaced { nope } } }", "WEBHOOK_QUERY_INVALID"),
    ("subscription { event { ", "WEBHOOK_QUERY_INVALID"),
    ("query { webhooks { nodes { id } } }", "WEBHOOK_QUERY_INVALID"),
    ("subscription { __typename }", "WEBHOOK_QUERY_INVALID"),
    ("subscription { event { eventId ... on OrderPlaced { shipments { id lines { quantity } order { __typename } } } } }",
     None),
])
async def test_a_sellers_document_is_checked_against_the_schema_its_events_and_its_rights(
        http, writable_database, query, code):
    staff = await account(http, writable_database, "staff", seller_id=SELLER)
    body = await _create(http, staff.token, sellerId=gid("Seller", SELLER), query=query)
    assert _codes(body) == ([] if code is None else [code])


async def test_an_administrators_document_may_select_the_customers_order(http, writable_database):
    admin = await account(http, writable_database, "ops", admin=True)
    body = await _create(http, admin.token, query="subscription { event { ... on OrderPlaced { order { email number } } } }")
    assert _codes(body) == []


async def test_a_seller_neither_sees_nor_changes_another_sellers_webhooks(http, writable_database):
    mine = await account(http, writable_database, "staff", seller_id=SELLER)
    theirs = await account(http, writable_database, "rival", seller_id=OTHER_SELLER)
    made = (await _create(http, theirs.token, sellerId=gid("Seller", OTHER_SELLER)))["data"]["createWebhook"]
    webhook_id = made["webhook"]["id"]

    listed = await call(http, mine.token, "{ webhooks(first: 100) { nodes { id } } }", {})
    assert webhook_id not in [n["id"] for n in listed["data"]["webhooks"]["nodes"]]
    seen = await call(http, mine.token, "query($id: ID!) { webhook(id: $id) { id url } }", {"id": webhook_id})
    assert seen["data"]["webhook"] is None
    for document, variables in ((UPDATE, {"webhookId": webhook_id, "url": URL + "/x"}),
                                (DELETE, {"webhookId": webhook_id})):
        body = await call(http, mine.token, document, {"input": variables})
        [payload] = body["data"].values()
        assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
    assert await fetchval(writable_database, "SELECT url FROM webhooks WHERE owner_account_id = $1",
                          theirs.account_id) == URL
    listed = await call(http, theirs.token, "{ webhooks(first: 100) { nodes { id url } } }", {})
    assert {"id": webhook_id, "url": URL} in listed["data"]["webhooks"]["nodes"]


async def test_a_customer_listing_webhooks_is_refused(http, writable_database):
    customer = await account(http, writable_database, "buyer")
    body = await call(http, customer.token, "{ webhooks { nodes { id } } }", {})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_event_root_cannot_be_run_outside_a_webhook(http, writable_database):
    admin = await account(http, writable_database, "ops", admin=True)
    # Over HTTP no subscription runs at all; over a WebSocket `event` is FORBIDDEN
    # (tests/api/realtime/test_subscriptions.py).
    response = await http.post("/graphql", json={"query": "subscription { event { eventId } }"},
                               headers={"Authorization": f"Bearer {admin.token}"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["reason"] == "SUBSCRIPTION_OVER_HTTP"
