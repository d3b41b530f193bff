"""The price history is append-only in the database itself, starts with one SEED entry per
seeded offer, and gives the prior price over a 30-day window."""
from datetime import timedelta
from decimal import Decimal

import asyncpg
import pytest
from sqlalchemy import text

from domain.marketplace import service as marketplace
from domain.shared import clock
from domain.shared.pagination import PageRequest
from domain.shared.principal import Principal
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.licences import new_account

pytestmark = pytest.mark.one_copy_per_file


async def _connect(db) -> asyncpg.Connection:
    return await asyncpg.connect(db.url)


async def test_every_seeded_offer_starts_its_history_with_one_seed_entry(database):
    conn = await _connect(database)
    try:
        mismatched = await conn.fetchval("""
            SELECT count(*) FROM offers o LEFT JOIN offer_price_history h ON h.offer_id = o.id AND h.source = 'SEED'
            WHERE h.id IS NULL OR h.price_minor <> o.price_minor OR h.shipping_minor <> o.shipping_minor""")
        offers, entries = await conn.fetchrow("SELECT (SELECT count(*) FROM offers), (SELECT count(*) FROM offer_price_history)")
    finally:
        await conn.close()
    assert mismatched == 0
    assert offers == entries > 0


REWRITES = [
    ("UPDATE offer_price_history SET price_minor = 1 WHERE offer_id = 1", "append-only: UPDATE is not allowed"),
    ("DELETE FROM offer_price_history WHERE offer_id = 1", "append-only: DELETE is not allowed"),
    ("TRUNCATE offer_price_history", "append-only: TRUNCATE is not allowed"),
    ("TRUNCATE offer_price_history CASCADE", "append-only: TRUNCATE is not allowed"),
    # offers are archived, never deleted: their history holds on to them
    ("DELETE FROM offers WHERE id = 1", "foreign key constraint"),
]


async def test_nobody_can_rewrite_the_price_history_not_even_in_sql(writable_database):
    conn = await _connect(writable_database)
    try:
        before = [tuple(r) for r in await conn.fetch("SELECT * FROM offer_price_history ORDER BY id")]
        for statement, message in REWRITES:
            with pytest.raises(asyncpg.PostgresError) as raised:
                await conn.execute(statement)
            assert message in str(raised.value), statement
        after = [tuple(r) for r in await conn.fetch("SELECT * FROM offer_price_history ORDER BY id")]
    finally:
        await conn.close()
    assert after == before and before


async def _offer_with_history(db, entries: list[tuple[int, int, int]]) -> int:
    """A new offer whose history is `entries` of (days ago, price, shipping); the offer's
    price is the last entry's."""
    conn = await _connect(db)
    try:
        seller, product = await conn.fetchrow("""
            SELECT s.id, p.id FROM sellers s CROSS JOIN products p
            WHERE s.standing = 'GOOD' AND NOT s.is_first_party AND p.archived_at IS NULL AND NOT EXISTS (
              SELECT 1 FROM offers o WHERE o.seller_id = s.id AND o.product_id = p.id) LIMIT 1""")
        _, price, shipping = entries[-1]
        offer_id = await conn.fetchval(
            "INSERT INTO offers (seller_id, product_id, condition, fulfilment, price_minor, shipping_minor, quantity)"
            " VALUES ($1, $2, 'NEW', 'MERCHANT', $3, $4, 5) RETURNING id", seller, product, price, shipping)
        now = clock.now()
        for days_ago, price, shipping in entries:
            await conn.execute(
                "INSERT INTO offer_price_history (offer_id, price_minor, shipping_minor, currency, changed_at, source)"
                " VALUES ($1, $2, $3, 'USD', $4, 'SELLER')", offer_id, price, shipping, now - timedelta(days=days_ago))
    finally:
        await conn.close()
    return offer_id


PRIOR_PRICES = [
    # only ever one price: none
    ([(60, 1000, 0)], None),
    # the lowest price of the 30 days before the current price (10 days ago) took effect;
    # 2000 was replaced 50 days ago, before the window opened 40 days ago
    ([(100, 2000, 0), (50, 1500, 0), (20, 1800, 0), (10, 1200, 0)], 1500),
    # a shipping-only change does not restart the current price
    ([(100, 2000, 0), (50, 1500, 0), (20, 1800, 0), (10, 1200, 0), (5, 1200, 499)], 1500),
    # the price in effect when the window opened counts, however long before it was set
    ([(400, 900, 0), (1, 1000, 0)], 900),
    # a price that comes back: the window ends when it came back
    ([(35, 1000, 0), (20, 700, 0), (3, 1000, 0)], 700),
    # a price replaced exactly when the window opened was never in effect inside it
    ([(70, 500, 0), (40, 800, 0), (10, 900, 0)], 800),
    # a higher earlier price is a prior price too (the field does not judge)
    ([(15, 400, 0), (2, 600, 0)], 400),
]


async def test_prior_price_is_the_lowest_price_of_the_30_days_before_the_current_one(writable_database):
    offers = [await _offer_with_history(writable_database, entries) for entries, _ in PRIOR_PRICES]
    reader = await writable_database.reader()
    try:
        found = await marketplace.prior_prices(reader, offers)  # one statement for all of them
    finally:
        await reader.close()
    got = [found[o].minor if o in found else None for o in offers]
    assert got == [expected for _, expected in PRIOR_PRICES]


async def test_a_price_set_after_waiting_for_another_edit_is_the_newest_in_the_history(writable_database):
    db = writable_database
    offer_id, seller_id = (await fetch(db, "SELECT o.id, o.seller_id FROM offers o JOIN sellers s ON s.id = o.seller_id"
                                           " WHERE o.archived_at IS NULL AND s.standing = 'GOOD' ORDER BY o.id LIMIT 1"))[0]
    staff = Principal(account_id=await new_account(db, "staff"), seller_ids=frozenset({seller_id}))

    async with UnitOfWork(db) as late:
        await late.session.execute(text("SELECT 1"))  # its transaction starts first...
        async with UnitOfWork(db) as early:  # ...but another edit takes the offer's lock and commits meanwhile
            await marketplace.update_offer(early.session, staff, offer_id, _price("888.88"))
            await early.commit()
        await marketplace.update_offer(late.session, staff, offer_id, _price("999.99"))
        await late.commit()

    reader = await db.reader()
    try:
        newest_first = await marketplace.price_history_for_offers(reader, staff, [offer_id], PageRequest(limit=3))
    finally:
        await reader.close()
    assert [change.price_minor for change in newest_first[offer_id].items[:2]] == [99999, 88888]
    assert await fetchval(db, "SELECT price_minor FROM offers WHERE id = $1", offer_id) == 99999


def _price(amount: str) -> marketplace.OfferChanges:
    return marketplace.OfferChanges(price=marketplace.Amount(Decimal(amount), "USD"))
