"""The lists guide's walkthrough works as written: a shopping list made on the web, checked off
from a phone after an offline edit, and moved to the cart; then a share link and a household."""
import json
import uuid

from api.core import ids
from tests.api.lists.helpers import physical_products, unoffered_product
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account

STEPS = steps("lists.md", "lists")


def change(kind: str, key: str, **fields) -> dict:
    return {"changeId": str(uuid.uuid4()), "kind": kind, "key": key, **fields}


async def test_the_lists_walkthrough(writable_database):
    db = writable_database
    assert list(STEPS) == ["CreateShoppingList", "AddGroceries", "PhoneSync", "ShoppingListPage", "MoveToCart",
                           "SharedList", "InviteToShoppingList", "AcceptInvitation"]
    milk, bread, eggs = await physical_products(db, 3)
    nowhere = await unoffered_product(db)
    product = {p: ids.encode("Product", p) for p in (milk, bread, eggs, nowhere)}
    async with make_client(db) as http:
        ada = await account(http, db, "guide")
        made = ok(await ada(http, STEPS["CreateShoppingList"], {"name": "Saturday shop"}), "createList")["list"]
        assert (made["kind"], made["visibility"], made["itemCount"]) == ("SHOPPING", "PRIVATE", 0)
        list_id = made["id"]
        items = [{"productId": product[milk], "quantity": 2}, {"productId": product[bread]},
                 {"productId": product[nowhere], "note": "if they have it"}]
        added = ok(await ada(http, STEPS["AddGroceries"], {"listId": list_id, "items": items}), "addListItems")["list"]
        assert added["itemCount"] == 3

        # The phone's first sync, then it goes offline.
        first = ok(await ada(http, STEPS["PhoneSync"], {"listId": list_id, "since": None, "changes": []}),
                   "syncShoppingList")
        keys = {i["product"]["id"]: i["key"] for i in first["items"]}
        # Meanwhile on the web: milk becomes 3.
        web = ok(await ada(http, STEPS["PhoneSync"], {"listId": list_id, "since": first["syncToken"], "changes": [
            change("SET_QUANTITY", keys[product[milk]], quantity=3)]}), "syncShoppingList")
        assert web["results"][0]["outcome"] == "APPLIED"
        # Offline, the phone sets milk to 1, adds eggs, and checks milk and bread off; sent late.
        eggs_key = str(uuid.uuid4())
        batch = [change("SET_QUANTITY", keys[product[milk]], quantity=1),
                 change("ADD", eggs_key, productId=product[eggs], quantity=6),
                 change("CHECK", keys[product[milk]]), change("CHECK", keys[product[bread]])]
        late = ok(await ada(http, STEPS["PhoneSync"], {"listId": list_id, "since": first["syncToken"],
                                                      "changes": batch}), "syncShoppingList")
        assert [r["outcome"] for r in late["results"]] == ["APPLIED"] * 4
        state = {i["product"]["id"]: (i["quantity"], i["checked"]) for i in late["items"]}
        assert state == {product[milk]: (1, True), product[bread]: (1, True), product[eggs]: (6, False)}
        assert late["list"]["itemCount"] == 4

        page = ok(await ada(http, STEPS["ShoppingListPage"], {"id": list_id}), "list")
        assert page["entries"]["totalCount"] == 4 and page["viewerIsOwner"] is True

        # What the phone checked off is in the trolley: the rest goes to the cart.
        moved = ok(await ada(http, STEPS["MoveToCart"], {"listId": list_id}), "moveListItemsToCart")
        assert len(moved["movedItemIds"]) == 1
        assert [s["reason"] for s in moved["skippedItems"]] == ["NO_OFFER"]
        assert [(line["product"]["id"], line["quantity"]) for line in moved["cart"]["lines"]] == [(product[eggs], 6)]

        shared = ok(await ada(http, """mutation($id: ID!) { shareList(input: {listId: $id}) { shareToken
            userErrors { code } } }""", {"id": list_id}), "shareList")
        opened = ok(await ada(http, STEPS["SharedList"], {"token": shared["shareToken"]}), "sharedList")
        assert opened["name"] == "Saturday shop"

        bob = await account(http, db, "household")
        ok(await ada(http, STEPS["InviteToShoppingList"], {"listId": list_id, "email": bob.email}),
           "inviteToShoppingList")
        payload = await fetchval(db, "SELECT payload FROM jobs WHERE payload->>'template' = 'shopping_list_invitation'"
                                     " AND payload->>'to' = $1", bob.email)
        token = json.loads(payload)["secrets"]["token"]
        joined = ok(await bob(http, STEPS["AcceptInvitation"], {"token": token}), "acceptShoppingListInvitation")
        assert joined["list"] == {"id": list_id, "name": "Saturday shop", "viewerIsOwner": False}
