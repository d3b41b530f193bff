"""The read pool of a process: one, however many requests ask for it at once, and closed with
the database."""
import asyncio

from domain.shared.db import Database


async def test_requests_arriving_together_share_one_read_pool_which_closing_closes(database):
    db = Database(database.url, pool_size=2)
    try:
        pools = await asyncio.gather(*(db.read_pool() for _ in range(5)))
    finally:
        await db.close()

    assert len({id(pool) for pool in pools}) == 1
    assert pools[0].is_closing()
