"""The nightly job over the demo customers' real orders: it fills the tables, a rerun gives the
same tables, two runs at once end as one, and the serving reads return what the offline
evaluation scores, in one statement whatever is asked."""
from __future__ import annotations

import asyncio

import pytest

from domain.recommendations import job, model, reads
from domain.recommendations import service as recommendations
from domain.shared.db import Database
from domain.shared.unit_of_work import UnitOfWork
from tests.conftest import count_statements
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.licences import new_account


async def _train(db: Database) -> job.RunStats:
    async with UnitOfWork(db) as uow:
        stats = await recommendations.run_job(uow.session, k=model.TOP_K)
        await uow.commit()
    return stats


async def _tables(db: Database) -> tuple[list, list, list]:
    return (await fetch(db, "SELECT item, related, score FROM recommendation_related ORDER BY item, related"),
            await fetch(db, "SELECT item, related, score FROM recommendation_together ORDER BY item, related"),
            await fetch(db, "SELECT item, customers, rank FROM recommendation_popular ORDER BY rank"))


class _Reading:
    """A request's reader for each statement, given back at once (so no test leaves a connection
    out of its database's pool); its statements are counted as a request's are."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def fetch(self, sql: str, *args):
        reader = await self._db.reader()
        try:
            return await reader.fetch(sql, *args)
        finally:
            await reader.close()


async def _reader(db: Database) -> _Reading:
    return _Reading(db)


@pytest.fixture(scope="module")
async def trained(demo_clones) -> Database:
    """A demo database the job has run on once; the tests using it only read."""
    from tests.conftest import private_copy

    async with private_copy(demo_clones) as db:
        await _train(db)
        yield db


async def test_the_job_fills_the_tables_from_the_demo_customers_orders(trained):
    related, together, popular = await _tables(trained)
    customers = await fetchval(trained, "SELECT count(DISTINCT account_id) FROM orders")
    assert customers > 100 and len(related) > 1000 and len(together) > 10 and len(popular) > 100
    per_item = await fetchval(trained, "SELECT max(n) FROM (SELECT count(*) AS n FROM recommendation_related"
                                       " GROUP BY item) t")
    assert per_item == model.TOP_K
    # The most popular item is the one most customers have.
    top = await fetchval(trained, "SELECT coalesce(p.work_id, -p.id) FROM orders o JOIN order_lines l"
                                  " ON l.order_id = o.id JOIN products p ON p.id = l.product_id"
                                  " GROUP BY 1 ORDER BY count(DISTINCT o.account_id) DESC, 1 LIMIT 1")
    assert popular[0]["item"] == top and popular[0]["rank"] == 1
    # The next night's run is queued, once.
    assert await fetchval(trained, "SELECT count(*) FROM jobs WHERE kind = $1 AND status = 'PENDING'",
                          recommendations.TRAIN_JOB) == 1


async def test_a_rerun_gives_the_same_tables_and_two_runs_at_once_end_as_one(trained, writable_demo_database):
    db = writable_demo_database
    await asyncio.gather(_train(db), _train(db))
    assert await _tables(db) == await _tables(trained)
    await _train(db)
    assert await _tables(db) == await _tables(trained)


async def _demo_accounts(db: Database, count: int) -> list[int]:
    rows = await fetch(db, "SELECT account_id FROM orders GROUP BY account_id HAVING count(*) > 3"
                           " ORDER BY account_id LIMIT $1", count)
    return [r["account_id"] for r in rows]


async def _history(db: Database, account_id: int) -> list[int]:
    rows = await fetch(db, "SELECT coalesce(p.work_id, -p.id) AS item FROM orders o JOIN order_lines l"
                           " ON l.order_id = o.id JOIN products p ON p.id = l.product_id"
                           " WHERE o.account_id = $1 ORDER BY o.placed_at, l.id", account_id)
    return [r["item"] for r in rows]


async def test_the_sql_returns_the_top_10_the_offline_evaluation_scores(trained):
    rows = await fetch(trained, "SELECT item, related, score FROM recommendation_related ORDER BY item, score DESC")
    items = sorted({r["item"] for r in rows} | {r["related"] for r in rows})
    index = {key: i for i, key in enumerate(items)}
    import numpy as np
    table = model.Related(np.array(items), np.array([index[r["item"]] for r in rows]),
                          np.array([index[r["related"]] for r in rows]),
                          np.array([r["score"] for r in rows], dtype=np.float32))
    matrix = table.matrix()
    conn = await _reader(trained)
    for account_id in await _demo_accounts(trained, 5):
        expected = model.score_history(table, matrix, index, await _history(trained, account_id), n=10)
        assert len(expected) == 10
        served = await reads.recommended_for(conn, account_id, 10)
        assert [r.item for r in served] == [key for key, _ in expected]
        assert [round(r.score, 4) for r in served] == [round(s, 4) for _, s in expected]


async def test_a_customer_is_never_recommended_what_they_bought_or_hold_and_hears_why(trained):
    conn = await _reader(trained)
    for account_id in await _demo_accounts(trained, 3):
        served = await reads.recommended_for(conn, account_id, 100)
        bought = await fetch(trained, "SELECT DISTINCT l.product_id, coalesce(p.work_id, -p.id) AS item"
                                      " FROM orders o JOIN order_lines l ON l.order_id = o.id"
                                      " JOIN products p ON p.id = l.product_id WHERE o.account_id = $1", account_id)
        held = await fetch(trained, "SELECT coalesce(p.work_id, -p.id) AS item FROM licences li"
                                    " JOIN products p ON p.id = li.product_id WHERE li.account_id = $1", account_id)
        owned = {r["item"] for r in bought} | {r["item"] for r in held}
        assert len(served) == 100 and not owned & {r.item for r in served}
        personal = [r for r in served if r.because is not None]
        assert personal and all(r.because == "BOUGHT" for r in personal)
        assert {r.because_product_id for r in personal} <= {r["product_id"] for r in bought}
        # Pages follow on from each other.
        second = await reads.recommended_for(conn, account_id, 10, after=10)
        assert [r.product_id for r in second] == [r.product_id for r in served[10:20]]


async def test_a_new_customer_gets_the_popular_items_in_one_statement(trained):
    account_id = await new_account(trained, "newcomer")
    popular = await fetch(trained, "SELECT item FROM recommendation_popular ORDER BY rank LIMIT 40")
    conn = await _reader(trained)
    with count_statements() as counter:
        served = await reads.recommended_for(conn, account_id, 5)
    assert counter.count == 1
    assert [r.item for r in served] == [r["item"] for r in popular][:5]
    assert all(r.because is None and r.because_product_id is None for r in served)


async def test_also_bought_for_50_products_is_one_statement_and_never_another_format_of_the_same_work(trained):
    products = await fetch(trained, "SELECT DISTINCT p.id FROM products p JOIN recommendation_related r"
                                    " ON r.item = p.work_id ORDER BY p.id LIMIT 50")
    ids = [r["id"] for r in products]
    assert len(ids) == 50
    conn = await _reader(trained)
    with count_statements() as counter:
        related = await reads.also_bought(conn, ids, 100)
        together = await reads.bought_together(conn, ids, 3)
    assert counter.count == 2
    works = {r["id"]: r["work_id"] for r in await fetch(trained, "SELECT id, work_id FROM products")}
    assert sum(len(v) for v in related.values()) > 50 * 20
    for pid, neighbours in related.items():
        assert len(neighbours) <= 100
        assert all(works[n.related_product_id] != works[pid] for n in neighbours)
        assert [n.score for n in neighbours] == sorted((n.score for n in neighbours), reverse=True)
    assert all(len(v) <= 3 for v in together.values()) and any(together.values())


async def test_an_archived_or_sold_out_product_drops_out_at_once(trained, writable_demo_database):
    db = writable_demo_database
    await execute(db, "INSERT INTO recommendation_related SELECT * FROM unnest($1::bigint[], $2::bigint[],"
                      " $3::real[])", *[list(c) for c in zip(*[(r["item"], r["related"], r["score"]) for r in await fetch(
                          trained, "SELECT item, related, score FROM recommendation_related")])])
    source = await fetchval(db, "SELECT p.id FROM products p JOIN recommendation_related r ON r.item = p.work_id"
                                " ORDER BY p.id LIMIT 1")
    conn = await _reader(db)
    before = (await reads.also_bought(conn, [source], 5))[source]
    first, second = before[0].related_product_id, before[1].related_product_id
    await execute(db, "UPDATE products SET archived_at = now() WHERE id = $1", first)
    await execute(db, "UPDATE offers SET quantity = 0 WHERE product_id = $1", second)
    after = (await reads.also_bought(conn, [source], 5))[source]
    shown = {n.related_product_id for n in after}
    assert first not in shown and second not in shown and len(after) == 5


async def test_the_worker_runs_the_first_training_a_fresh_database_queues_past_the_usual_job_limit(
        writable_demo_database):
    from tests.fixtures.jobs import job_rows, worker

    db = writable_demo_database
    async with UnitOfWork(db) as uow:
        await recommendations.schedule(uow.session)
        await recommendations.schedule(uow.session)  # a second worker starting: nothing more
        await uow.commit()
    assert sorted(r["kind"] for r in await job_rows(db)) == [recommendations.TRAIN_JOB] * 2
    # The usual limit would cut the training short; the job names its own.
    stats = await worker(db, job_timeout=0.001).run_once()
    assert stats.done == 1 and stats.failed == 0 and stats.retried == 0
    assert await fetchval(db, "SELECT count(*) FROM recommendation_related") > 1000
    pending = [r for r in await job_rows(db) if r["status"] == "PENDING"]
    assert len(pending) == 1 and pending[0]["wait"].total_seconds() > 0


async def _view(db: Database, account_id: int, product_ids: list[int]) -> None:
    from domain.recommendations import history
    from domain.shared.principal import Principal

    roomy = history.HistoryLimits(entries=1000, burst=10_000, per_second=10_000)
    for product_id in product_ids:
        async with UnitOfWork(db) as uow:
            assert (await history.record_view(uow.session, Principal(account_id=account_id), product_id, None,
                                              roomy)).recorded
            await uow.commit()


async def _in_history(db: Database, account_id: int, use_case) -> None:
    from domain.shared.principal import Principal

    async with UnitOfWork(db) as uow:
        await use_case(uow.session, Principal(account_id=account_id))
        await uow.commit()


async def test_a_customer_with_nothing_but_views_is_recommended_what_is_related_to_them(trained):
    from domain.recommendations import history

    # Three books: a well-connected one, its closest related book (looked at first), and another.
    source = await fetch(trained, "SELECT p.id, p.work_id FROM products p JOIN recommendation_related r"
                                  " ON r.item = p.work_id WHERE p.archived_at IS NULL GROUP BY p.id"
                                  " ORDER BY count(*) DESC, p.id LIMIT 2")
    (x, x_item), z = (source[0]["id"], source[0]["work_id"]), source[1]["id"]
    y_item = await fetchval(trained, "SELECT related FROM recommendation_related WHERE item = $1 AND related > 0"
                                     " ORDER BY score DESC, related LIMIT 1", x_item)
    y = await fetchval(trained, "SELECT min(id) FROM products WHERE work_id = $1 AND archived_at IS NULL", y_item)
    account_id = await new_account(trained, "browser")
    await _view(trained, account_id, [y, z, x])  # x is the latest
    viewed = {r["id"]: r["item"] for r in await fetch(
        trained, "SELECT id, coalesce(work_id, -id) AS item FROM products WHERE id = ANY($1)", [x, y, z])}

    conn = await _reader(trained)
    with count_statements() as counter:
        served = await reads.recommended_for(conn, account_id, 10)
    assert counter.count == 1
    assert len(served) == 10 and all(r.because == "VIEWED" for r in served)
    assert {r.because_product_id for r in served} <= {x, y, z} and served[0].because_product_id == x
    # Not the popular list: what is related to the views, as the offline scoring computes it.
    popular = [r["item"] for r in await fetch(trained, "SELECT item FROM recommendation_popular ORDER BY rank"
                                                       " LIMIT 10")]
    assert [r.item for r in served] != popular
    rows = await fetch(trained, "SELECT item, related, score FROM recommendation_related")
    items = sorted({r["item"] for r in rows} | {r["related"] for r in rows})
    index = {key: i for i, key in enumerate(items)}
    import numpy as np
    table = model.Related(np.array(items), np.array([index[r["item"]] for r in rows]),
                          np.array([index[r["related"]] for r in rows]),
                          np.array([r["score"] for r in rows], dtype=np.float32))
    expected = model.score_history(table, table.matrix(), index, [], n=10,
                                   views=[viewed[x], viewed[z], viewed[y]])
    assert [r.item for r in served] == [key for key, _ in expected]
    assert [round(r.score, 4) for r in served] == [round(s, 4) for _, s in expected]
    # A book looked at but not bought may be recommended: here, the one most related to the latest.
    assert viewed[y] in {r.item for r in served}

    # A paused history counts for nothing (what it holds comes back on resuming); a cleared one neither.
    await _in_history(trained, account_id, lambda s, p: history.set_paused(s, p, True, history.HistoryLimits()))
    assert [r.item for r in await reads.recommended_for(conn, account_id, 10)] == popular
    await _in_history(trained, account_id, lambda s, p: history.set_paused(s, p, False, history.HistoryLimits()))
    assert [r.item for r in await reads.recommended_for(conn, account_id, 10)] == [r.item for r in served]
    await _in_history(trained, account_id, lambda s, p: history.clear(s, p, None))
    assert [r.item for r in await reads.recommended_for(conn, account_id, 10)] == popular


async def test_before_the_first_training_a_customer_gets_the_most_rated_products(demo_database):
    assert await fetchval(demo_database, "SELECT count(*) FROM recommendation_popular") == 0
    account_id = (await _demo_accounts(demo_database, 1))[0]
    conn = await _reader(demo_database)
    with count_statements() as counter:
        served = await reads.recommended_for(conn, account_id, 100)
    assert counter.count == 1
    assert len(served) == 100 and all(r.because is None for r in served)
    owned = {r["item"] for r in await fetch(
        demo_database, "SELECT coalesce(p.work_id, -p.id) AS item FROM orders o JOIN order_lines l"
                       " ON l.order_id = o.id JOIN products p ON p.id = l.product_id WHERE o.account_id = $1",
        account_id)}
    assert owned and not owned & {r.item for r in served}
    assert [r.score for r in served] == sorted((r.score for r in served), reverse=True) and served[0].score > 0
