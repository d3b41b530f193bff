"""Shopping-list sync between devices over HTTP: a phone that went offline sends its old edits
late and the list converges by the documented rules (last writer per field, check-off beats an
un-check it had not seen, an added item is never lost), a retried batch applies nothing twice,
and devices syncing at the same time over separate connections lose nothing."""
import asyncio
import uuid

from tests.api.lists.helpers import (
    SYNC,
    add,
    errors,
    gid,
    make_list,
    new_key,
    ok,
    physical_products,
    rows,
)
from tests.conftest import make_client
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account

READ_SYNC = """query($id: ID!, $since: String) { shoppingListSync(listId: $id, since: $since) {
  items { key quantity checked removed } syncToken } }"""


def change(kind: str, key: str, **fields) -> dict:
    return {"changeId": str(uuid.uuid4()), "kind": kind, "key": key, **fields}


async def sync(caller, http, list_id: str, since: str | None, changes: list[dict]) -> dict:
    return ok(await caller(http, SYNC, {"input": {"listId": list_id, "since": since, "changes": changes}}),
              "syncShoppingList")


def by_product(items: list[dict]) -> dict:
    return {i["product"]["id"]: i for i in items}


async def test_a_phone_offline_sends_old_edits_late_and_the_list_converges(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        milk, bread, eggs, jam = await physical_products(db, 4)
        list_id = await make_list(ada, http)
        await add(ada, http, list_id, [milk, bread])
        # The phone syncs in the store, then loses its connection.
        phone = await sync(ada, http, list_id, None, [])
        keys = {i["product"]["id"]: i["key"] for i in phone["items"]}
        token = phone["syncToken"]
        # Meanwhile, on the web: milk becomes 3, bread is checked off, jam is added.
        web = await sync(ada, http, list_id, token, [
            change("SET_QUANTITY", keys[gid("Product", milk)], quantity=3),
            change("CHECK", keys[gid("Product", bread)]),
            change("ADD", new_key(), productId=gid("Product", jam), quantity=1)])
        assert [r["outcome"] for r in web["results"]] == ["APPLIED"] * 3
        # The phone, offline, had set milk to 1, un-checked bread, added eggs and jam (twice).
        eggs_key, jam_key = new_key(), new_key()
        offline = [change("SET_QUANTITY", keys[gid("Product", milk)], quantity=1),
                   change("UNCHECK", keys[gid("Product", bread)]),
                   change("ADD", eggs_key, productId=gid("Product", eggs), quantity=12),
                   change("ADD", jam_key, productId=gid("Product", jam), quantity=2, note="apricot"),
                   change("SET_NOTE", eggs_key, note="free range")]
        late = await sync(ada, http, list_id, token, offline)
        outcomes = [(r["outcome"], r["key"]) for r in late["results"]]
        web_jam = next(i["key"] for i in web["items"] if i["product"]["id"] == gid("Product", jam))
        assert outcomes == [("APPLIED", keys[gid("Product", milk)]), ("STALE", keys[gid("Product", bread)]),
                            ("APPLIED", eggs_key), ("MERGED", web_jam), ("APPLIED", eggs_key)]
        state = by_product(late["items"])
        assert state[gid("Product", milk)]["quantity"] == 1          # last writer in server order
        assert state[gid("Product", bread)]["checked"] is True         # a check-off beats an unseen un-check
        assert state[gid("Product", eggs)] | {"product": None} == {
            "key": eggs_key, "quantity": 12, "note": "free range", "checked": False, "removed": False, "product": None}
        assert state[gid("Product", jam)]["quantity"] == 2 and state[gid("Product", jam)]["note"] == "apricot"
        assert late["list"]["itemCount"] == 4

        # The answer was lost: the phone sends the same batch again. Nothing is applied twice.
        before = await rows(db)
        retried = await sync(ada, http, list_id, token, offline)
        assert [r["outcome"] for r in retried["results"]] == ["DUPLICATE"] * 5
        assert [r["key"] for r in retried["results"]] == [k for _, k in outcomes]
        assert await rows(db) == before
        # The web, syncing from its own token, gets exactly what the phone changed (bread, whose
        # un-check lost, did not change since the web checked it off).
        seen = by_product((await sync(ada, http, list_id, web["syncToken"], []))["items"])
        assert {p: (i["quantity"], i["checked"]) for p, i in seen.items()} == {
            gid("Product", milk): (1, False), gid("Product", eggs): (12, False), gid("Product", jam): (2, False)}
        # Nothing changed since the last token: an empty answer, and the read-only query agrees.
        quiet = await sync(ada, http, list_id, late["syncToken"], [])
        assert quiet["items"] == [] and quiet["syncToken"] == late["syncToken"]
        read = (await ada(http, READ_SYNC, {"id": list_id, "since": None}))["data"]["shoppingListSync"]
        assert len(read["items"]) == 4 and read["syncToken"] == late["syncToken"]


async def test_a_removal_never_swallows_an_add_its_device_had_not_seen(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        milk, bread = await physical_products(db, 2)
        list_id = await make_list(ada, http)
        await add(ada, http, list_id, [milk, bread])
        first = await sync(ada, http, list_id, None, [])
        keys = {i["product"]["id"]: i["key"] for i in first["items"]}
        # Someone adds milk again (it goes into the milk item) after the phone's token...
        again = await sync(ada, http, list_id, first["syncToken"],
                           [change("ADD", new_key(), productId=gid("Product", milk), quantity=4)])
        assert again["results"][0]["outcome"] == "MERGED"
        # ...and the phone, which had not seen that, removes milk and bread.
        late = await sync(ada, http, list_id, first["syncToken"],
                          [change("REMOVE", keys[gid("Product", milk)]), change("REMOVE", keys[gid("Product", bread)])])
        assert [r["outcome"] for r in late["results"]] == ["STALE", "APPLIED"]
        state = by_product(late["items"])
        assert state[gid("Product", milk)]["removed"] is False and state[gid("Product", milk)]["quantity"] == 4
        assert state[gid("Product", bread)]["removed"] is True
        # An edit of the removed item now: GONE, and the item stays removed.
        gone = await sync(ada, http, list_id, late["syncToken"], [change("SET_QUANTITY", keys[gid("Product", bread)],
                                                                          quantity=2)])
        assert gone["results"][0]["outcome"] == "GONE"


async def test_bad_sync_input_is_refused_whole(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, bob = await account(http, db, "ada"), await account(http, db, "bob")
        milk, bread = await physical_products(db, 2)
        list_id = await make_list(ada, http)
        other = await make_list(ada, http, "Other")
        named = await make_list(ada, http, "Named", kind="NAMED")
        token = (await sync(ada, http, other, None, []))["syncToken"]
        before = await rows(db)
        add_bread = change("ADD", new_key(), productId=gid("Product", bread))
        cases = [
            (ada, {"listId": list_id, "since": token, "changes": [add_bread]}, "SYNC_TOKEN_INVALID", ["input", "since"]),
            (ada, {"listId": list_id, "since": token[:-2] + "xx", "changes": []}, "SYNC_TOKEN_INVALID",
             ["input", "since"]),
            (ada, {"listId": list_id, "changes": [add_bread, change("SET_QUANTITY", new_key(), quantity=2)]},
             "NOT_FOUND", ["input", "changes", "1", "key"]),
            (ada, {"listId": list_id, "changes": [add_bread, change("ADD", new_key(), productId=gid("Product", milk),
                                                                   quantity=0)]},
             "INVALID_QUANTITY", ["input", "changes", "1", "quantity"]),
            (ada, {"listId": named, "changes": [add_bread]}, "NOT_SHOPPING_LIST", ["input", "listId"]),
            (bob, {"listId": list_id, "changes": [add_bread]}, "NOT_FOUND", ["input", "listId"]),
        ]
        for caller, variables, code, field in cases:
            body = await caller(http, SYNC, {"input": variables})
            assert errors(body, "syncShoppingList") == [{"code": code, "field": field}], code
        assert await rows(db) == before


async def test_devices_syncing_at_once_lose_no_added_item(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        products = await physical_products(db, 41)
        shared, rest = products[0], products[1:]
        list_id = await make_list(ada, http)
        await add(ada, http, list_id, [shared])
        start = await sync(ada, http, list_id, None, [])
        shared_key = start["items"][0]["key"]

        async def device(own: list[int], check: bool) -> list[dict]:
            answers = []
            for product in own:
                changes = [change("ADD", new_key(), productId=gid("Product", product)),
                           change("ADD", new_key(), productId=gid("Product", shared), quantity=2),
                           change("CHECK" if check else "UNCHECK", shared_key)]
                answers.append(await sync(ada, http, list_id, start["syncToken"], changes))
            return answers

        # Two devices, each over its own connection, send 20 batches each at the same time.
        web, phone = await asyncio.gather(device(rest[:20], True), device(rest[20:], False))
        final = await sync(ada, http, list_id, None, [])
        live = {i["product"]["id"] for i in final["items"] if not i["removed"]}
        assert live == {gid("Product", p) for p in products}
        assert final["list"]["itemCount"] == 41
        assert await fetchval(db, "SELECT count(*) FROM list_items i JOIN lists l ON l.id = i.list_id"
                                  " WHERE l.account_id = $1", ada.account_id) == 41
        # Every add of the shared product went into the one item.
        assert {a["results"][1]["outcome"] for a in web + phone} == {"MERGED"}
        # One change number per batch, given in commit order: the first add, then the 40 batches.
        numbers = await fetchval(db, "SELECT last_seq FROM lists WHERE account_id = $1", ada.account_id)
        assert numbers == 1 + 40
        tokens = [a["syncToken"] for a in web + phone]
        assert len(set(tokens)) == 40
        # The phone never saw a check-off made after its token: its un-checks of one are STALE,
        # so the shared item ends checked off whenever the web's check came after the phone's start.
        assert {a["results"][2]["outcome"] for a in web} == {"APPLIED"}
        assert {a["results"][2]["outcome"] for a in phone} <= {"APPLIED", "STALE"}
        checked = next(i for i in final["items"] if i["key"] == shared_key)["checked"]
        assert checked is True or all(a["results"][2]["outcome"] == "APPLIED" for a in phone)
