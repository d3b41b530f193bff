"""Households and the cart over HTTP: the owner invites by e-mail through the platform (the
answer never says whether the address has an account), the invitee accepts signed in and both
edit and sync the same list; a list moves to the cart as its products' featured offers, leaving
what cannot go on the list and saying why."""
import json
import uuid

from tests.api.lists.helpers import (
    ACCEPT,
    INVITE,
    MOVE,
    PAGE,
    SHARE,
    SYNC,
    add,
    errors,
    gid,
    make_list,
    ok,
    physical_products,
    rows,
    unoffered_product,
)
from tests.conftest import make_client
from tests.fixtures.db import fetch
from tests.fixtures.identity import account


async def _invitation_tokens(db, email: str) -> list[str]:
    found = await fetch(db, "SELECT payload FROM jobs WHERE kind = 'email.send' AND payload->>'template' ="
                            " 'shopping_list_invitation' AND payload->>'to' = $1 ORDER BY id", email)
    return [json.loads(r[0])["secrets"]["token"] for r in found]


async def test_a_household_shares_one_shopping_list(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, bob, eve = (await account(http, db, "ada"), await account(http, db, "bob"),
                         await account(http, db, "eve"))
        milk, bread = await physical_products(db, 2)
        list_id = await make_list(ada, http)
        await add(ada, http, list_id, [milk])
        # Inviting an address with an account and one without: the same answer.
        known = await ada(http, INVITE, {"id": list_id, "email": bob.email})
        unknown = await ada(http, INVITE, {"id": list_id, "email": "nobody-here@example.com"})
        assert known["data"] == unknown["data"] == {"inviteToShoppingList": {"list": {"id": list_id}, "userErrors": []}}
        assert len(await _invitation_tokens(db, "nobody-here@example.com")) == 1
        (token,) = await _invitation_tokens(db, bob.email)
        # The e-mail's token is no good to anyone else.
        assert errors(await eve(http, ACCEPT, {"token": token}), "acceptShoppingListInvitation") == [
            {"code": "INVITATION_INVALID", "field": ["input", "token"]}]
        assert errors(await bob(http, ACCEPT, {"token": "li_forged"}), "acceptShoppingListInvitation") == [
            {"code": "INVITATION_INVALID", "field": ["input", "token"]}]
        joined = ok(await bob(http, ACCEPT, {"token": token}), "acceptShoppingListInvitation")["list"]
        assert joined["id"] == list_id and joined["viewerIsOwner"] is False
        # Accepting again (a retry) answers the same; a member can neither share nor invite.
        assert ok(await bob(http, ACCEPT, {"token": token}), "acceptShoppingListInvitation")["list"]["id"] == list_id
        assert errors(await bob(http, SHARE, {"id": list_id}), "shareList")[0]["code"] == "NOT_LIST_OWNER"
        assert errors(await bob(http, INVITE, {"id": list_id, "email": eve.email}),
                      "inviteToShoppingList")[0]["code"] == "NOT_LIST_OWNER"
        # Both edit and sync the same list.
        bob_sync = ok(await bob(http, SYNC, {"input": {"listId": list_id, "changes": [
            {"changeId": str(uuid.uuid4()), "kind": "ADD", "key": str(uuid.uuid4()),
             "productId": gid("Product", bread)}]}}), "syncShoppingList")
        assert {i["product"]["id"] for i in bob_sync["items"]} == {gid("Product", milk), gid("Product", bread)}
        ada_view = (await ada(http, PAGE, {"id": list_id, "first": 10}))["data"]["list"]
        assert ada_view["itemCount"] == 2
        # Eve, not invited, sees nothing of it.
        assert (await eve(http, PAGE, {"id": list_id, "first": 10}))["data"]["list"] is None
        # A named list has no household.
        named = await make_list(ada, http, "Named", kind="NAMED")
        assert errors(await ada(http, INVITE, {"id": named, "email": bob.email}),
                      "inviteToShoppingList")[0]["code"] == "NOT_SHOPPING_LIST"
        assert errors(await ada(http, INVITE, {"id": list_id, "email": "not an address"}),
                      "inviteToShoppingList")[0]["code"] == "EMAIL_INVALID"


async def test_a_list_moves_to_the_cart_and_what_cannot_go_stays(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        milk, bread = await physical_products(db, 2)
        nowhere = await unoffered_product(db)
        shopping = await make_list(ada, http)
        listed = await add(ada, http, shopping, [milk, bread, nowhere], quantity=2)
        items = {i["product"]["id"]: i["id"] for i in listed["items"]["nodes"]}
        moved = ok(await ada(http, MOVE, {"input": {"listId": shopping}}), "moveListItemsToCart")
        assert sorted(moved["movedItemIds"]) == sorted([items[gid("Product", milk)], items[gid("Product", bread)]])
        assert moved["skippedItems"] == [{"item": {"id": items[gid("Product", nowhere)]}, "reason": "NO_OFFER"}]
        assert {(line["product"]["id"], line["quantity"]) for line in moved["cart"]["lines"]} == {
            (gid("Product", milk), 2), (gid("Product", bread), 2)}
        # On a shopping list the moved items stay, checked off, for the household to see.
        assert moved["list"]["itemCount"] == 3
        assert {i["id"]: i["checked"] for i in moved["list"]["items"]["nodes"]} == {
            items[gid("Product", milk)]: True, items[gid("Product", bread)]: True, items[gid("Product", nowhere)]: False}

        # Moving the whole shopping list again moves nothing: what was moved is checked off.
        again = ok(await ada(http, MOVE, {"input": {"listId": shopping}}), "moveListItemsToCart")
        assert again["movedItemIds"] == [] and len(again["cart"]["lines"]) == 2

        # From the wish list, one item: it leaves the list and adds to the cart's line.
        wish = await add(ada, http, None, [milk])
        wish_item = wish["items"]["nodes"][0]["id"]
        moved = ok(await ada(http, MOVE, {"input": {"listId": wish["id"], "itemIds": [wish_item]}}),
                   "moveListItemsToCart")
        assert moved["list"]["itemCount"] == 0
        assert {(line["product"]["id"], line["quantity"]) for line in moved["cart"]["lines"]} == {
            (gid("Product", milk), 3), (gid("Product", bread), 2)}

        # Someone else's list, or an item of another list: NOT_FOUND, nothing written.
        bob = await account(http, db, "bob")
        before = await rows(db)
        assert errors(await bob(http, MOVE, {"input": {"listId": shopping}}), "moveListItemsToCart") == [
            {"code": "NOT_FOUND", "field": ["input", "listId"]}]
        assert errors(await ada(http, MOVE, {"input": {"listId": wish["id"], "itemIds": [items[gid("Product", milk)]]}}),
                      "moveListItemsToCart") == [{"code": "NOT_FOUND", "field": ["input", "itemIds", "0"]}]
        assert await rows(db) == before
