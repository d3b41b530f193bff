"""Browsing history over HTTP: a guest's views under its token, attached at sign-in; the
viewer's page; bad input as typed errors with nothing written; a history nobody else reads
(administrators see a count); a constant number of statements per page."""
from __future__ import annotations

import pytest

from api.core import ids
from tests.api.identity.helpers import call
from tests.conftest import count_statements, make_client
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.identity import account

RECORD = """mutation($p: ID!, $t: String) { recordProductView(input: {productId: $p, historyToken: $t}) {
  recorded historyToken userErrors { code message field ... on BrowsingHistoryError { retryAfterSeconds } } } }"""
HISTORY = """query($first: Int, $after: String, $t: String) { viewer { browsingHistory(first: $first, after: $after,
  historyToken: $t) { totalCount paused pageInfo { hasNextPage endCursor } edges { viewedAt node { id title } } } } }"""
MERGE = """mutation($t: String!) { mergeGuestBrowsingHistory(input: {historyToken: $t}) {
  mergedCount userErrors { code field } } }"""
REMOVE = """mutation($p: ID!) { removeBrowsingHistoryItem(input: {productId: $p}) {
  removedProductId userErrors { code field } } }"""
COUNT = "query($id: ID!) { node(id: $id) { ... on Customer { browsingHistoryCount } } }"


async def _products(db, n: int) -> list[str]:
    rows = await fetch(db, "SELECT id FROM products WHERE archived_at IS NULL ORDER BY id LIMIT $1", n)
    return [ids.encode("Product", r["id"]) for r in rows]


def _listed(body: dict) -> list[str]:
    return [edge["node"]["id"] for edge in body["data"]["viewer"]["browsingHistory"]["edges"]]


async def _rows(db, account_id: int) -> int:
    return await fetchval(db, "SELECT count(*) FROM browsing_history_views v JOIN browsing_histories h"
                              " ON h.id = v.history_id WHERE h.account_id = $1", account_id)


async def test_a_guest_browses_signs_in_and_finds_its_views_in_its_history(history_database):
    db = history_database
    a, b, c = await _products(db, 3)
    async with make_client(db) as http:
        first = (await call(http, RECORD, {"p": a}))["data"]["recordProductView"]
        token = first["historyToken"]
        assert first["recorded"] and first["userErrors"] == [] and token
        for product in (b, a):
            again = (await call(http, RECORD, {"p": product, "t": token}))["data"]["recordProductView"]
            assert again == {"recorded": True, "historyToken": None, "userErrors": []}
        guest = await call(http, HISTORY, {"t": token})
        assert _listed(guest) == [a, b]
        assert (await call(http, HISTORY, {}))["data"] == {"viewer": {"browsingHistory": {
            "totalCount": 0, "paused": False, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}}}

        customer = await account(http, db, "browser")
        await customer(http, RECORD, {"p": c})
        merged = (await customer(http, MERGE, {"t": token}))["data"]["mergeGuestBrowsingHistory"]
        assert merged == {"mergedCount": 2, "userErrors": []}
        page = await customer(http, HISTORY, {"first": 2})
        assert _listed(page) == [c, a]
        history = page["data"]["viewer"]["browsingHistory"]
        assert history["totalCount"] == 3 and history["pageInfo"]["hasNextPage"]
        rest = await customer(http, HISTORY, {"first": 2, "after": history["pageInfo"]["endCursor"]})
        assert _listed(rest) == [b]
        # The guest's token is spent: its history is the customer's now.
        spent = (await call(http, RECORD, {"p": a, "t": token}))["data"]["recordProductView"]
        assert spent["userErrors"][0]["code"] == "NOT_FOUND" and spent["userErrors"][0]["field"] == [
            "input", "historyToken"]
        again = (await customer(http, MERGE, {"t": token}))["data"]["mergeGuestBrowsingHistory"]
        assert again == {"mergedCount": 0, "userErrors": []}


@pytest.mark.parametrize("first", [0, 101, -1])
async def test_a_page_size_out_of_range_is_a_typed_error(history_database, first):
    async with make_client(history_database) as http:
        customer = await account(http, history_database, "pager")
        body = await customer(http, HISTORY, {"first": first})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["reason"] == "INVALID_PAGE_SIZE"


async def test_bad_views_are_typed_errors_and_write_nothing(history_database):
    db = history_database
    archived = await fetchval(db, "UPDATE products SET archived_at = now() WHERE id = (SELECT max(id) FROM products"
                                  " WHERE archived_at IS NULL) RETURNING id")
    async with make_client(db) as http:
        customer = await account(http, db, "bad-views")
        for product, code in ((ids.encode("Product", archived), "NOT_FOUND"),
                              (ids.encode("Product", 999_999_999), "NOT_FOUND"),
                              (ids.encode("Seller", 1), "INVALID_ID"), ("nonsense", "INVALID_ID")):
            body = (await customer(http, RECORD, {"p": product}))["data"]["recordProductView"]
            assert (body["recorded"], body["userErrors"][0]["code"]) == (False, code)
            assert body["userErrors"][0]["field"] == ["input", "productId"]
        (product,) = await _products(db, 1)
        for token in ("no-such-token", "x" * 5000):
            body = (await call(http, RECORD, {"p": product, "t": token}))["data"]["recordProductView"]
            assert [e["code"] for e in body["userErrors"]] == ["NOT_FOUND"] and body["historyToken"] is None
            refused = await call(http, HISTORY, {"t": token})
            assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert await _rows(db, customer.account_id) == 0


async def test_views_past_the_rate_limit_are_rate_limited_and_write_nothing(history_database):
    db = history_database
    products = await _products(db, 6)
    async with make_client(db, browsing_history_burst=4, browsing_history_views_per_second=0.01) as http:
        customer = await account(http, db, "fast-clicker")
        answers = [(await customer(http, RECORD, {"p": p}))["data"]["recordProductView"] for p in products]
    assert [a["recorded"] for a in answers] == [True] * 4 + [False] * 2
    assert [e["code"] for a in answers[4:] for e in a["userErrors"]] == ["RATE_LIMITED"] * 2
    assert answers[4]["userErrors"][0]["retryAfterSeconds"] == 100
    assert await _rows(db, customer.account_id) == 4


async def test_while_paused_a_view_is_answered_as_not_recorded(history_database):
    db = history_database
    a, b = await _products(db, 2)
    async with make_client(db) as http:
        customer = await account(http, db, "pauser")
        await customer(http, RECORD, {"p": a})
        paused = await customer(http, "mutation { pauseBrowsingHistory { paused userErrors { code } } }")
        assert paused["data"]["pauseBrowsingHistory"] == {"paused": True, "userErrors": []}
        body = (await customer(http, RECORD, {"p": b}))["data"]["recordProductView"]
        assert body == {"recorded": False, "historyToken": None, "userErrors": []}
        page = (await customer(http, HISTORY, {}))["data"]["viewer"]["browsingHistory"]
        assert (page["paused"], [e["node"]["id"] for e in page["edges"]]) == (True, [a])
        resumed = await customer(http, "mutation { resumeBrowsingHistory { paused userErrors { code } } }")
        assert resumed["data"]["resumeBrowsingHistory"] == {"paused": False, "userErrors": []}
        assert (await customer(http, RECORD, {"p": b}))["data"]["recordProductView"]["recorded"]


async def test_a_history_is_its_owners_alone_and_administrators_see_only_its_count(history_database):
    db = history_database
    a, b = await _products(db, 2)
    async with make_client(db) as http:
        owner = await account(http, db, "private")
        other = await account(http, db, "nosy")
        staff = await account(http, db, "seller-staff", seller_id=2)
        admin = await account(http, db, "support", admin=True)
        for product in (a, b):
            await owner(http, RECORD, {"p": product})
        customer_id = {"id": ids.encode("Customer", owner.account_id)}

        assert (await admin(http, COUNT, customer_id))["data"]["node"] == {"browsingHistoryCount": 2}
        assert (await owner(http, COUNT, customer_id))["data"]["node"] == {"browsingHistoryCount": 2}
        for nosy in (other, staff):
            assert (await nosy(http, COUNT, customer_id))["data"]["node"] is None
        # Everyone reads their own history only: the administrator's is empty.
        for caller in (admin, other, staff):
            assert _listed(await caller(http, HISTORY, {})) == []
        # The customer type has no field that lists what the history holds.
        listing = await admin(http, "query($id: ID!) { node(id: $id) { ... on Customer { browsingHistory"
                                    " { totalCount } } } }", customer_id)
        assert listing["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        # Another customer's entry does not exist for the caller.
        for caller in (other, admin):
            body = (await caller(http, REMOVE, {"p": a}))["data"]["removeBrowsingHistoryItem"]
            assert body == {"removedProductId": None, "userErrors": [{"code": "NOT_FOUND", "field": [
                "input", "productId"]}]}
        removed = (await owner(http, REMOVE, {"p": a}))["data"]["removeBrowsingHistoryItem"]
        assert removed == {"removedProductId": a, "userErrors": []}
        cleared = await owner(http, "mutation { clearBrowsingHistory(input: {}) { removedCount userErrors { code } } }")
        assert cleared["data"]["clearBrowsingHistory"] == {"removedCount": 1, "userErrors": []}
        assert (await admin(http, COUNT, customer_id))["data"]["node"] == {"browsingHistoryCount": 0}


PAGE = """query($first: Int!) { viewer { browsingHistory(first: $first) { totalCount edges { viewedAt node {
  id title category { name } } } } } }"""


async def test_the_history_page_costs_the_same_statements_whatever_its_size(history_database):
    db = history_database
    async with make_client(db) as http:
        customer = await account(http, db, "heavy-browser")
        await execute(db, "INSERT INTO browsing_histories (account_id, allowance, entry_count) VALUES ($1, 30, 120)",
                      customer.account_id)
        await execute(db, "INSERT INTO browsing_history_views (history_id, product_id, position)"
                          " SELECT h.id, p.id, nextval('browsing_history_positions') FROM browsing_histories h,"
                          " (SELECT id FROM products WHERE archived_at IS NULL ORDER BY id LIMIT 120) p"
                          " WHERE h.account_id = $1", customer.account_id)
        counts = []
        for first in (1, 20, 100):
            with count_statements() as counter:
                body = await customer(http, PAGE, {"first": first})
            assert len(body["data"]["viewer"]["browsingHistory"]["edges"]) == first
            counts.append(counter.count)
    # the caller's session, the page with the history's count, its products, their categories
    assert counts == [4, 4, 4], "\n".join(counter.statements)
