"""Two staff editing one offer at once, on separate connections: the edits apply one after the
other and the price history stays consistent with the offer."""
import asyncio

import asyncpg
import pytest

from tests.api.marketplace.helpers import UPDATE_OFFER, fetch, gid, live_offer, usd
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file


async def _race(db, lock: str, key: int, edits: list[tuple[int, dict]]) -> list[dict]:
    """Run the updates `edits` (seller id of the staff making it, input) while a third
    connection holds a row (`lock` on `key`) that all of them need, so that all of them are
    waiting before any can proceed; then let them go at once."""
    async with make_client(db) as http:
        staff = [await account(http, db, f"staff{i}", seller_id=seller) for i, (seller, _) in enumerate(edits)]
        holder, monitor = await asyncpg.connect(db.url), await asyncpg.connect(db.url)
        try:
            transaction = holder.transaction()
            await transaction.start()
            await holder.execute(lock, key)
            tasks = [asyncio.create_task(s(http, UPDATE_OFFER, {"input": value})) for s, (_, value) in zip(staff, edits)]
            for _ in range(200):
                # (outside the holder's transaction, which would see one snapshot of the activity)
                waiting = await monitor.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock'")
                if waiting == len(edits):
                    break
                await asyncio.sleep(0.02)
            assert waiting == len(edits), "the updates did not all wait"
            await transaction.rollback()
        finally:
            await holder.close()
            await monitor.close()
        results = await asyncio.gather(*tasks)
    return [r["data"]["updateOffer"] for r in results]


async def _race_on_offer(db, offer, inputs: list[dict]) -> list[dict]:
    edits = [(offer["seller_id"], {"offerId": gid("Offer", offer["id"]), **value}) for value in inputs]
    return await _race(db, "SELECT 1 FROM offers WHERE id = $1 FOR UPDATE", offer["id"], edits)


async def _history(db, offer_id: int) -> list[asyncpg.Record]:
    return await fetch(db, "SELECT id, price_minor, changed_at FROM offer_price_history WHERE offer_id = $1 ORDER BY id",
                       offer_id)


@pytest.mark.own_copy
async def test_the_same_new_price_set_twice_at_once_is_one_history_entry(writable_database):
    db = writable_database
    offer = await live_offer(db)
    results = await _race_on_offer(db, offer, [{"price": usd("777.77"), "quantity": 5}, {"price": usd("777.77"), "quantity": 6}])
    assert [r["userErrors"] for r in results] == [[], []]
    history = await _history(db, offer["id"])
    assert [h["price_minor"] for h in history] == [offer["price_minor"], 77777]
    row = (await fetch(db, "SELECT price_minor, quantity FROM offers WHERE id = $1", offer["id"]))[0]
    assert row["price_minor"] == 77777 and row["quantity"] in (5, 6)


@pytest.mark.own_copy
async def test_two_different_prices_at_once_leave_the_last_one_applied_last_in_the_history(writable_database):
    db = writable_database
    offer = await live_offer(db)
    results = await _race_on_offer(db, offer, [{"price": usd("888.88")}, {"price": usd("999.99"), "quantity": 9}])
    assert [r["userErrors"] for r in results] == [[], []]
    history = await _history(db, offer["id"])
    assert sorted(h["price_minor"] for h in history[1:]) == [88888, 99999]
    assert history[-1]["changed_at"] >= history[-2]["changed_at"]
    row = (await fetch(db, "SELECT price_minor, quantity FROM offers WHERE id = $1", offer["id"]))[0]
    assert row["price_minor"] == history[-1]["price_minor"]
    assert row["quantity"] == 9
    # each answer showed the offer as its own update left it
    answered = {r["offer"]["price"]["amount"] for r in results}
    assert answered == {"888.88", "999.99"}


async def test_two_sellers_repricing_one_product_at_once_leave_its_search_facts_right(writable_database):
    db = writable_database
    rows = await fetch(db, """
        SELECT o.id, o.seller_id, o.product_id FROM offers o JOIN sellers s ON s.id = o.seller_id
        WHERE o.archived_at IS NULL AND s.standing = 'GOOD' AND o.product_id = (
          SELECT product_id FROM offers o2 JOIN sellers s2 ON s2.id = o2.seller_id
          WHERE o2.archived_at IS NULL AND s2.standing = 'GOOD' AND NOT s2.is_first_party
          GROUP BY product_id HAVING count(DISTINCT o2.seller_id) >= 2 ORDER BY product_id LIMIT 1)
          AND NOT s.is_first_party
        ORDER BY o.id LIMIT 2""")
    product_id = rows[0]["product_id"]
    edits = [(r["seller_id"], {"offerId": gid("Offer", r["id"]), "price": usd(price), "quantity": 4})
             for r, price in zip(rows, ("0.03", "0.02"))]
    # each update locks the product first: both wait, then run one after the other
    results = await _race(db, "SELECT 1 FROM products WHERE id = $1 FOR NO KEY UPDATE", product_id, edits)
    assert [r["userErrors"] for r in results] == [[], []]
    document = (await fetch(db, "SELECT price_minor, in_stock FROM search_documents WHERE product_id = $1",
                            product_id))[0]
    assert (document["price_minor"], document["in_stock"]) == (2, True)
