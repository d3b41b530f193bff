"""The browsing history guide works as written: a guest views products, signs in and attaches
them, the customer reads, trims, pauses, resumes and clears the history, and an administrator
sees only its count."""
from api.core import ids
from tests.api.identity.helpers import call
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetch
from tests.fixtures.identity import account

STEPS = steps("browsing-history.md", "history")


async def test_the_browsing_history_walkthrough(writable_database):
    db = writable_database
    assert list(STEPS) == ["RecordView", "RecordGuestView", "MergeGuestHistory", "BrowsingHistory",
                           "RemoveFromHistory", "ClearHistory", "PauseHistory", "ResumeHistory",
                           "CustomerHistoryCount"]
    a, b, c = [ids.encode("Product", r["id"]) for r in await fetch(
        db, "SELECT id FROM products WHERE archived_at IS NULL ORDER BY id LIMIT 3")]
    async with make_client(db) as http:
        started = ok(await call(http, STEPS["RecordView"], {"productId": a}), "recordProductView")
        token = started["historyToken"]
        assert started["recorded"] and token
        again = ok(await call(http, STEPS["RecordGuestView"], {"productId": b, "historyToken": token}),
                   "recordProductView")
        assert again["recorded"]

        customer = await account(http, db, "guide-browser")
        admin = await account(http, db, "guide-support", admin=True)
        ok(await customer(http, STEPS["RecordView"], {"productId": c}), "recordProductView")
        merged = ok(await customer(http, STEPS["MergeGuestHistory"], {"historyToken": token}),
                    "mergeGuestBrowsingHistory")
        assert merged["mergedCount"] == 2
        listed = ok(await customer(http, STEPS["BrowsingHistory"]), "viewer")["browsingHistory"]
        assert [e["node"]["id"] for e in listed["edges"]] == [c, b, a]
        assert (listed["totalCount"], listed["paused"]) == (3, False)

        removed = ok(await customer(http, STEPS["RemoveFromHistory"], {"productId": b}), "removeBrowsingHistoryItem")
        assert removed["removedProductId"] == b
        assert ok(await customer(http, STEPS["PauseHistory"]), "pauseBrowsingHistory")["paused"] is True
        paused = ok(await customer(http, STEPS["RecordView"], {"productId": b}), "recordProductView")
        assert paused == {"recorded": False, "historyToken": None, "userErrors": []}
        assert ok(await customer(http, STEPS["ResumeHistory"]), "resumeBrowsingHistory")["paused"] is False

        seen = ok(await admin(http, STEPS["CustomerHistoryCount"],
                              {"customerId": ids.encode("Customer", customer.account_id)}), "node")
        assert seen["browsingHistoryCount"] == 2
        cleared = ok(await customer(http, STEPS["ClearHistory"]), "clearBrowsingHistory")
        assert cleared["removedCount"] == 2
        assert ok(await customer(http, STEPS["BrowsingHistory"]), "viewer")["browsingHistory"]["totalCount"] == 0
