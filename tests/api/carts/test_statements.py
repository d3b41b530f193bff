"""A cart costs the same number of SQL statements whatever its size: reading it (root field or
node) and changing it."""
import pytest

from tests.api.carts.helpers import (
    CART,
    CART_QUERY,
    SEATTLE,
    SET_ADDRESS,
    customer_cart,
    execute,
    fetch,
    line,
    ok,
)
from tests.conftest import count_statements, make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

NODE = "query($id: ID!) { node(id: $id) { ... on Cart { %s } } }" % CART


async def test_a_cart_of_1_10_or_50_lines_costs_the_same_statements(writable_database):
    db = writable_database
    # Offers of many sellers, both fulfilments, physical and digital.
    offers = await fetch(db, """SELECT o.id FROM offers o JOIN sellers s ON s.id = o.seller_id
        WHERE o.archived_at IS NULL AND s.standing = 'GOOD' AND o.quantity >= 1
        ORDER BY (o.id * 7919) % 1000, o.id LIMIT 50""")
    counts = {}
    async with make_client(db) as http:
        carts = {}
        for size in (1, 10, 50):
            owner = await account(http, db, f"size{size}")
            cart = await customer_cart(http, owner, *(line(o) for o in offers[:size]))
            carts[size] = (owner, cart)
        # Every cart has a line whose offer was withdrawn since (its seller is fetched apart).
        await execute(db, "UPDATE offers SET archived_at = now() WHERE id = $1", offers[0]["id"])
        for size, (owner, cart) in carts.items():
            with count_statements() as changing:
                shipped = ok(await owner(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "address": SEATTLE}}),
                             "setCartShippingAddress")
            with count_statements() as reading:
                read = (await owner(http, CART_QUERY, {"id": cart["id"]}))["data"]["cart"]
            with count_statements() as by_node:
                node = (await owner(http, NODE, {"id": cart["id"]}))["data"]["node"]
            assert len(read["lines"]) == len(node["lines"]) == len(shipped["lines"]) == size
            assert read["lines"][0]["problems"][0]["code"] == "OFFER_UNAVAILABLE"
            counts[size] = (changing.count, reading.count, by_node.count)
    assert counts[1] == counts[10] == counts[50], counts
    # The caller's session, the cart with its lines (and which of their titles are owned already)
    # and choices, offers, products, the withdrawn offer's seller, the delivery and tax
    # configuration, and the owner's membership benefits.
    assert counts[50][1] == 7, counts
