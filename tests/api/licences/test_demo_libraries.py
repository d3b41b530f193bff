"""A demo customer's past Kindle purchases are in their library as a paid order would have put
them there: one PURCHASE licence per delivered Kindle line, listed by `library` and announced by
`librarySync`."""
from api.core import ids
from domain.seed.customers import DEMO_PASSWORD, read_customers
from tests.api.identity.helpers import call, sign_in
from tests.conftest import TEST_BOOKS, make_client
from tests.fixtures.db import fetch

ORDERS = """query($after: String) { orders(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { status lines { format digital product { id } } } } }"""
LIBRARY = """query($after: String) { library(first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { kind status format productKind product { id } } } }"""
SYNC = """query($since: String) { librarySync(since: $since) { nextToken hasMore
  changes { kind licence { product { id } } } } }"""
# What the seed wrote, read apart from the API: the reader's delivered Kindle lines.
_KINDLE_LINES = """SELECT l.product_id FROM order_lines l JOIN orders o ON o.id = l.order_id
JOIN shipments s ON s.id = l.shipment_id JOIN accounts a ON a.id = o.account_id
WHERE a.email = $1 AND l.format = 'KINDLE' AND s.status = 'DELIVERED'"""


async def _pages(http, query: str, field: str, token: str) -> list[dict]:
    nodes, after = [], None
    while True:
        body = await call(http, query, {"after": after}, token=token)
        assert "errors" not in body, body
        page = body["data"][field]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


async def test_a_demo_customers_library_lists_exactly_their_delivered_kindle_lines(writable_demo_database):
    db = writable_demo_database
    # The first readers of the sample, whatever the size of their histories.
    readers = read_customers(limit=3, books=TEST_BOOKS)
    kindle_lines = 0
    async with make_client(db) as http:
        for reader in readers:
            expected = sorted(ids.encode("Product", r["product_id"]) for r in await fetch(db, _KINDLE_LINES, reader.email))
            kindle_lines += len(expected)
            signed = await sign_in(http, reader.email, DEMO_PASSWORD)
            assert signed["userErrors"] == [], signed
            token = signed["tokens"]["accessToken"]

            orders = await _pages(http, ORDERS, "orders", token)
            bought = sorted(line["product"]["id"] for order in orders if order["status"] == "DELIVERED"
                            for line in order["lines"] if line["format"] == "KINDLE")
            assert bought == expected
            library = await _pages(http, LIBRARY, "library", token)
            assert sorted(n["product"]["id"] for n in library) == bought
            assert {(n["kind"], n["status"], n["format"], n["productKind"]) for n in library} <= {
                ("PURCHASE", "ACTIVE", "KINDLE", "EBOOK")}

            synced, since = [], None
            while True:
                page = (await call(http, SYNC, {"since": since}, token=token))["data"]["librarySync"]
                synced += page["changes"]
                since = page["nextToken"]
                if not page["hasMore"]:
                    break
            assert [c["kind"] for c in synced] == ["LICENCE_ADDED"] * len(bought)
            assert sorted(c["licence"]["product"]["id"] for c in synced) == bought
    assert kindle_lines > 0
