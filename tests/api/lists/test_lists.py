"""Lists over HTTP: the wish list made on first use, named and shopping lists, a list's page
showing each work once, who sees which list, share links until revoked, and bad input coming
back as typed userErrors that write nothing."""
import asyncio

from tests.api.identity.helpers import call
from tests.api.lists.helpers import (
    ADD,
    CHECK,
    CREATE,
    DELETE,
    MY_LISTS,
    PAGE,
    REMOVE,
    REVOKE,
    SHARE,
    SHARED,
    UPDATE,
    UPDATE_ITEMS,
    add,
    errors,
    gid,
    make_list,
    ok,
    physical_products,
    rows,
    work_formats,
)
from tests.conftest import make_client
from tests.fixtures.db import execute, fetchval
from tests.fixtures.identity import account


async def test_the_wish_list_is_made_on_first_use_and_its_page_shows_a_work_once(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        before = (await ada(http, MY_LISTS))["data"]["viewer"]["customer"]
        assert before == {"wishList": None, "lists": {"totalCount": 0, "nodes": []}}
        hardcover, kindle = await work_formats(db)
        other = (await physical_products(db, 1))[0]
        wish = await add(ada, http, None, [hardcover, other, kindle])
        assert wish["kind"] == "WISH_LIST" and wish["itemCount"] == 3 and wish["name"] == "Wish list"
        # Adding to "the wish list" again reuses it and adds to the item's quantity.
        again = await add(ada, http, None, [hardcover], quantity=2)
        assert again["id"] == wish["id"]
        assert [i["quantity"] for i in again["items"]["nodes"]] == [3, 1, 1]
        named = await make_list(ada, http, "Books for a rainy day", kind="NAMED")
        mine = (await ada(http, MY_LISTS))["data"]["viewer"]["customer"]
        assert mine["wishList"]["id"] == wish["id"]
        assert [n["id"] for n in mine["lists"]["nodes"]] == [wish["id"], named]

        # Two first adds at once, over two connections, make one wish list holding both.
        bob = await account(http, db, "bob")
        both = await asyncio.gather(add(bob, http, None, [hardcover]), add(bob, http, None, [other]))
        assert both[0]["id"] == both[1]["id"]
        assert await fetchval(db, "SELECT count(*) FROM lists WHERE account_id = $1", bob.account_id) == 1
        assert max(b["itemCount"] for b in both) == 2

        page = (await ada(http, PAGE, {"id": wish["id"], "first": 10}))["data"]["list"]["entries"]
        assert page["totalCount"] == 2
        work_entry, other_entry = page["nodes"]
        assert work_entry["work"] is not None and work_entry["product"]["id"] == gid("Product", hardcover)
        assert [i["product"]["id"] for i in work_entry["items"]] == [gid("Product", hardcover), gid("Product", kindle)]
        assert [i["product"]["id"] for i in other_entry["items"]] == [gid("Product", other)]


async def test_who_sees_a_list_and_a_stranger_cannot_edit_it(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, bob = await account(http, db, "ada"), await account(http, db, "bob")
        products = await physical_products(db, 2)
        public = await make_list(ada, http, "Five-star picks", kind="NAMED", visibility="PUBLIC")
        private = await make_list(ada, http, "Secret santa", kind="NAMED")
        await add(ada, http, public, products)
        await add(ada, http, private, products)
        anonymous = await call(http, PAGE, {"id": public, "first": 5})
        assert anonymous["data"]["list"]["itemCount"] == 2
        assert (await call(http, PAGE, {"id": private, "first": 5}))["data"]["list"] is None
        assert (await bob(http, PAGE, {"id": private, "first": 5}))["data"]["list"] is None
        assert (await bob(http, PAGE, {"id": public, "first": 5}))["data"]["list"]["name"] == "Five-star picks"

        before = await rows(db)
        item = (await ada(http, PAGE, {"id": public, "first": 1}))["data"]["list"]["entries"]["nodes"][0]["items"][0]
        # Another customer's list id in an edit: NOT_FOUND, public or not, and nothing written.
        for list_id in (public, private):
            body = await bob(http, ADD, {"input": {"listId": list_id, "items": [{"productId": gid("Product", products[0])}]}})
            assert errors(body, "addListItems") == [{"code": "NOT_FOUND", "field": ["input", "listId"]}]
            body = await bob(http, UPDATE, {"input": {"listId": list_id, "name": "Mine now"}})
            assert errors(body, "updateList") == [{"code": "NOT_FOUND", "field": ["input", "listId"]}]
            body = await bob(http, DELETE, {"id": list_id})
            assert errors(body, "deleteList") == [{"code": "NOT_FOUND", "field": ["input", "listId"]}]
        body = await bob(http, REMOVE, {"ids": [item["id"]]})
        assert errors(body, "removeListItems") == [{"code": "NOT_FOUND", "field": ["input", "itemIds", "0"]}]
        body = await bob(http, UPDATE_ITEMS, {"input": {"items": [{"itemId": item["id"], "quantity": 5}]}})
        assert errors(body, "updateListItems")[0]["code"] == "NOT_FOUND"
        assert await rows(db) == before

        # Anonymous callers cannot write at all.
        body = await call(http, CREATE, {"input": {"name": "x"}})
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        # Making it private hides it from everyone else at once.
        ok(await ada(http, UPDATE, {"input": {"listId": public, "visibility": "PRIVATE"}}), "updateList")
        assert (await call(http, PAGE, {"id": public, "first": 5}))["data"]["list"] is None


async def test_a_share_link_opens_the_list_until_revoked_then_reveals_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, bob = await account(http, db, "ada"), await account(http, db, "bob")
        list_id = await make_list(ada, http, "Birthday ideas", kind="NAMED")
        await add(ada, http, list_id, await physical_products(db, 1))
        shared = ok(await ada(http, SHARE, {"id": list_id}), "shareList")
        token = shared["shareToken"]
        assert shared["list"]["visibility"] == "SHARED" and token.startswith("sl_") and len(token) > 40
        opened = (await call(http, SHARED, {"token": token}))["data"]["sharedList"]
        assert opened["name"] == "Birthday ideas" and len(opened["items"]["nodes"]) == 1
        # The link is the only way in: by id a SHARED list is still nobody else's.
        assert (await bob(http, PAGE, {"id": list_id, "first": 5}))["data"]["list"] is None
        # Only the owner shares or revokes.
        assert errors(await bob(http, REVOKE, {"id": list_id}), "revokeListShareLink")[0]["code"] == "NOT_FOUND"

        revoked = ok(await ada(http, REVOKE, {"id": list_id}), "revokeListShareLink")
        assert revoked["list"]["visibility"] == "PRIVATE"
        after = await call(http, SHARED, {"token": token})
        never = await call(http, SHARED, {"token": "sl_" + "A" * 43})
        assert after["data"] is None and never["data"] is None
        for body in (after, never):
            error = body["errors"][0]
            assert error["extensions"]["reason"] == "SHARE_LINK_INVALID"
            assert "Birthday" not in str(body)
        assert after["errors"][0]["message"] == never["errors"][0]["message"]
        # Sharing again makes a new link; the old one stays dead.
        fresh = ok(await ada(http, SHARE, {"id": list_id}), "shareList")["shareToken"]
        assert fresh != token
        assert (await call(http, SHARED, {"token": fresh}))["data"]["sharedList"]["name"] == "Birthday ideas"
        assert (await call(http, SHARED, {"token": token}))["data"] is None


async def test_bad_input_is_a_typed_error_that_writes_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        products = await physical_products(db, 3)
        named = await make_list(ada, http, "Named", kind="NAMED")
        shopping = await make_list(ada, http, "Groceries")
        listed = await add(ada, http, named, products[:1])
        item = listed["items"]["nodes"][0]["id"]
        before = await rows(db)
        cases = [
            (CREATE, {"input": {"name": "   "}}, "createList", "INVALID", ["input", "name"]),
            (CREATE, {"input": {"name": "x" * 101}}, "createList", "TOO_LONG", ["input", "name"]),
            (CREATE, {"input": {"name": "Mine", "kind": "WISH_LIST"}}, "createList", "WISH_LIST_FIXED", ["input", "kind"]),
            (ADD, {"input": {"listId": named, "items": [{"productId": gid("Product", products[1]), "quantity": 0}]}},
             "addListItems", "INVALID_QUANTITY", ["input", "items", "0", "quantity"]),
            (ADD, {"input": {"listId": named, "items": [{"productId": gid("Product", products[1]), "note": "n" * 501}]}},
             "addListItems", "TOO_LONG", ["input", "items", "0", "note"]),
            (ADD, {"input": {"listId": named, "items": [{"productId": gid("Product", 10 ** 9)}]}},
             "addListItems", "NOT_FOUND", ["input", "items", "0", "productId"]),
            (ADD, {"input": {"listId": named, "items": []}}, "addListItems", "INVALID", ["input", "items"]),
            (CHECK, {"ids": [item]}, "checkOffListItems", "NOT_SHOPPING_LIST", ["input", "itemIds"]),
            (UPDATE, {"input": {"listId": named, "visibility": "SHARED"}}, "updateList", "INVALID",
             ["input", "visibility"]),
            (UPDATE_ITEMS, {"input": {"items": [{"itemId": item, "quantity": 1000}]}}, "updateListItems",
             "INVALID_QUANTITY", ["input", "items", "0", "quantity"]),
            (ADD, {"input": {"listId": gid("Product", 1), "items": [{"productId": gid("Product", products[1])}]}},
             "addListItems", "INVALID_ID", ["input", "listId"]),
        ]
        for document, variables, mutation, code, field in cases:
            assert errors(await ada(http, document, variables), mutation) == [{"code": code, "field": field}], mutation
        assert await rows(db) == before
        assert shopping


async def test_a_list_holds_at_most_ten_thousand_items(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        products = await physical_products(db, 3)
        list_id = await make_list(ada, http, "Big")
        await add(ada, http, list_id, products[:1])
        # 9,999 more items on products made for the purpose (the test catalogue is smaller), written
        # directly: the list then holds 10,000 live items.
        await execute(db, "INSERT INTO products (slug, title, kind, format, category_id)"
                          " SELECT 'list-filler-' || n, 'Filler ' || n, kind, format, category_id"
                          " FROM products p, generate_series(1, 9999) n WHERE p.id = $1", products[2])
        await execute(db, "INSERT INTO list_items (list_id, product_id, seq, added_seq)"
                          " SELECT l.id, p.id, 1, 1 FROM lists l, products p"
                          " WHERE l.account_id = $1 AND p.slug LIKE 'list-filler-%'", ada.account_id)
        await execute(db, "UPDATE lists SET item_count = 10000 WHERE account_id = $1", ada.account_id)
        before = await rows(db)
        body = await ada(http, ADD, {"input": {"listId": list_id, "items": [{"productId": gid("Product", products[1])}]}})
        assert errors(body, "addListItems") == [{"code": "LIST_FULL", "field": ["input", "items"]}]
        assert body["data"]["addListItems"]["userErrors"][0]["itemLimit"] == 10_000
        assert await rows(db) == before
        # Adding to an item already on the list is no new item: still allowed.
        assert (await add(ada, http, list_id, products[:1]))["itemCount"] == 10_000
