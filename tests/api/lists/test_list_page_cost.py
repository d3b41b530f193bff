"""A list's page costs a constant number of statements whatever its size: a page of 100 entries
(each work once, with its formats, products and works) costs what a page of 5 does, and the
profile page's block of public lists is one statement for any number of owners."""
from tests.api.identity.helpers import call
from tests.api.lists.helpers import PAGE, add, make_list
from tests.conftest import count_statements, make_client
from tests.fixtures.db import fetch
from tests.fixtures.identity import account

FULL_PAGE = """query($id: ID!, $first: Int!) { list(id: $id) { id name kind visibility itemCount
  entries(first: $first) { totalCount pageInfo { hasNextPage endCursor } nodes {
    work { id title } product { id title }
    items { id key quantity note checked product { id title format } } } }
  items(first: $first) { nodes { id product { id slug } } } } }"""


async def test_a_list_page_costs_the_same_for_5_and_100_entries(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        # 150 entries: products of different works, and products of no work.
        products = [r[0] for r in await fetch(db, "SELECT min(id) FROM products WHERE archived_at IS NULL"
                                                  " GROUP BY coalesce(work_id, -id) ORDER BY 1 LIMIT 150")]
        assert len(products) == 150
        small = await make_list(ada, http, "Small", kind="NAMED", visibility="PUBLIC")
        big = await make_list(ada, http, "Big", kind="NAMED", visibility="PUBLIC")
        await add(ada, http, small, products[:5])
        await add(ada, http, big, products)
        counts = []
        for list_id, first in ((small, 5), (big, 100)):
            with count_statements() as counter:
                body = await call(http, FULL_PAGE, {"id": list_id, "first": first})
            assert "errors" not in body, body
            entries = body["data"]["list"]["entries"]
            assert len(entries["nodes"]) == min(first, entries["totalCount"])
            counts.append(counter.count)
        # The list, its entries page, its items page, products and works: one statement each.
        assert counts == [5, 5]
        assert len(body["data"]["list"]["items"]["nodes"]) == 100
        assert entries["totalCount"] == 150 and entries["pageInfo"]["hasNextPage"] is True
        assert (await call(http, PAGE, {"id": small, "first": 100}))["data"]["list"]["entries"]["totalCount"] == 5
