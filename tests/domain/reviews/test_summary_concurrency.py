"""The rating summary stays exact under a storm of concurrent review writes on separate
connections (new reviews, star changes, hiding and restoring the same reviews at once,
author deletions, transactions that roll back), and the products' averages, their search
documents and a recount all agree with it afterwards."""
import asyncio
import random

import asyncpg

from domain.reviews import summary
from tests.fixtures.db import connection, fetch

WORKS = (1, 2, 3)
WRITERS = 8
ROUNDS = 40

_NEW_ACCOUNT = ("INSERT INTO accounts (email, display_name, password_hash) VALUES ($1, $2, 'x') RETURNING id")
_PRODUCT_OF = "SELECT id FROM products WHERE work_id = $1 ORDER BY id LIMIT 1"
_TOGGLE = """UPDATE reviews SET status = CASE WHEN status = 'PUBLISHED' THEN 'HIDDEN' ELSE 'PUBLISHED' END::review_status,
  hidden_at = CASE WHEN status = 'PUBLISHED' THEN now() END WHERE id = $1"""


class _Recounter:
    """`summary.recount` reads through anything with `fetch`; a plain connection is one."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def fetch(self, sql: str, *args):
        return await self.conn.fetch(sql, *args)


async def _writer(db, number: int, shared: list[int]) -> None:
    rng = random.Random(number)
    conn = await asyncpg.connect(db.url)
    try:
        accounts = [await conn.fetchval(_NEW_ACCOUNT, f"storm-{number}-{i}@example.com", f"Storm {number}")
                    for i in range(len(WORKS))]
        mine: list[int] = []
        for _ in range(ROUNDS):
            roll = rng.random()
            tx = conn.transaction()
            await tx.start()
            if roll < 0.25 and len(mine) < len(WORKS):
                work = WORKS[len(mine)]
                product = await conn.fetchval(_PRODUCT_OF, work)
                mine.append(await conn.fetchval(
                    "INSERT INTO reviews (work_id, product_id, account_id, stars) VALUES ($1, $2, $3, $4) RETURNING id",
                    work, product, accounts[len(mine)], rng.randint(1, 5)))
            elif roll < 0.45 and mine:
                await conn.execute("UPDATE reviews SET stars = $2, version = version + 1, updated_at = now()"
                                   " WHERE id = $1 AND status <> 'DELETED'", rng.choice(mine), rng.randint(1, 5))
            elif roll < 0.75:
                # Every writer hides and restores the same reviews: they race for the same rows.
                await conn.execute(_TOGGLE, rng.choice(shared))
            elif roll < 0.85 and mine:
                await conn.execute("UPDATE reviews SET status = 'DELETED', deleted_at = now()"
                                   " WHERE id = $1 AND status <> 'DELETED'", rng.choice(mine))
            else:
                await conn.execute(_TOGGLE, rng.choice(shared))
                await tx.rollback()
                continue
            await tx.commit()
    finally:
        await conn.close()


async def test_concurrent_writes_leave_every_summary_equal_to_a_recount(writable_demo_database):
    db = writable_demo_database
    shared = [r["id"] for r in await fetch(
        db, "SELECT id FROM reviews WHERE work_id = ANY($1::bigint[]) ORDER BY id LIMIT 6", list(WORKS))]
    before = {r["work_id"]: r["review_count"] for r in await fetch(
        db, "SELECT work_id, review_count FROM review_summaries WHERE work_id = ANY($1::bigint[])", list(WORKS))}
    assert len(shared) == 6 and all(before.get(w) for w in WORKS)

    await asyncio.gather(*(_writer(db, n, shared) for n in range(WRITERS)))

    async with connection(db) as conn:
        recounted = await summary.recount(_Recounter(conn), WORKS)
        kept = {r["work_id"]: tuple(r[1:]) for r in await conn.fetch(
            "SELECT work_id, review_count, star_total, stars_1, stars_2, stars_3, stars_4, stars_5"
            " FROM review_summaries WHERE work_id = ANY($1::bigint[])", list(WORKS))}
        copies = await conn.fetch(
            "SELECT p.work_id, p.average_rating, p.ratings_count, d.average_rating AS doc_average,"
            " d.ratings_count AS doc_count FROM products p JOIN search_documents d ON d.product_id = p.id"
            " WHERE p.work_id = ANY($1::bigint[])", list(WORKS))
        storm = await conn.fetchval("SELECT count(*) FROM reviews r JOIN accounts a ON a.id = r.account_id"
                                    " WHERE a.email LIKE 'storm-%'")
    assert storm > 0
    for work in WORKS:
        r = recounted[work]
        assert kept[work] == (r.count, r.star_total, *r.histogram), work
    assert copies
    for c in copies:
        r = recounted[c["work_id"]]
        assert (c["average_rating"], c["ratings_count"]) == (r.average, r.count)
        assert (c["doc_average"], c["doc_count"]) == (r.average, r.count)
