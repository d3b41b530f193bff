"""The read pool of a process: one, however many requests ask for it at once, and closed with
the database."""
import asyncio

from domain.shared.db import Database
from tests.fixtures.db import connection


async def test_requests_arriving_together_share_one_read_pool_which_closing_closes(database):
    db = Database(database.url, pool_size=2)
    try:
        pools = await asyncio.gather(*(db.read_pool() for _ in range(5)))
    finally:
        await db.close()

    assert len({id(pool) for pool in pools}) == 1
    assert pools[0].is_closing()


async def test_a_connection_given_back_is_free_without_a_statement(database):
    """The read pool's connections run single SELECTs, which leave no session state: giving one
    back sends nothing to the server (asyncpg's default reset was four statements in a round
    trip, before every request's connection was free again), and the next request gets it as
    it was."""
    db = Database(database.url, pool_size=1)
    try:
        reader = await db.reader()
        pid = (await reader.fetchrow("SELECT pg_backend_pid() AS pid /* the last one */"))["pid"]
        await reader.close()
        async with connection(database) as observer:
            last = await observer.fetchval("SELECT query FROM pg_stat_activity WHERE pid = $1", pid)
        assert last == "SELECT pg_backend_pid() AS pid /* the last one */"

        reader = await db.reader()
        assert (await reader.fetchrow("SELECT pg_backend_pid() AS pid"))["pid"] == pid  # the same connection
        await reader.close()
    finally:
        await db.close()
