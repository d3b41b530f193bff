"""Expired keys are purged by the `idempotency.purge` job, which queues itself again hourly."""
from datetime import UTC, datetime, timedelta

import pytest

from domain.idempotency import service as idempotency
from domain.jobs import service as jobs
from domain.shared import clock
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.jobs import fetch, job_rows, worker

pytestmark = pytest.mark.one_copy_per_file


async def _claim(db, key: str, ttl: timedelta) -> None:
    async with UnitOfWork(db) as uow:
        claimed = await idempotency.claim(uow.session, "account:1", "demo.purge", key, {"key": key}, ttl=ttl)
        await idempotency.complete(uow.session, claimed, {"orderId": 1})
        await uow.commit()


async def _keys(db) -> list[str]:
    return [r["key"] for r in await fetch(db, "SELECT key FROM idempotency_keys ORDER BY key")]


@pytest.mark.own_copy
async def test_purging_deletes_expired_keys_only(writable_database):
    db = writable_database
    await _claim(db, "old-1", timedelta(seconds=1))
    await _claim(db, "old-2", timedelta(seconds=1))
    await _claim(db, "fresh", idempotency.DEFAULT_TTL)

    async with UnitOfWork(db) as uow:
        deleted = await idempotency.purge_expired(uow.session, now=clock.now() + timedelta(minutes=1))
        await uow.commit()

    assert deleted == 2
    assert await _keys(db) == ["fresh"]


@pytest.mark.own_copy
async def test_a_purge_stops_at_its_limit_and_leaves_the_rest_for_the_next_run(writable_database):
    db = writable_database
    for n in range(3):
        await _claim(db, f"old-{n}", timedelta(seconds=1))

    async with UnitOfWork(db) as uow:
        deleted = await idempotency.purge_expired(uow.session, now=clock.now() + timedelta(minutes=1), limit=2)
        await uow.commit()

    assert deleted == 2
    assert len(await _keys(db)) == 1


@pytest.mark.own_copy
async def test_the_purge_job_deletes_expired_keys_and_queues_the_next_run_on_the_hour(writable_database, monkeypatch):
    db = writable_database
    await _claim(db, "old", timedelta(seconds=1))
    await _claim(db, "fresh", idempotency.DEFAULT_TTL)
    later = clock.now() + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    async with UnitOfWork(db) as uow:
        await jobs.enqueue(uow.session, idempotency.PURGE_JOB, {})
        await uow.commit()

    stats = await worker(db).run_once()

    assert (stats.done, stats.failed) == (1, 0)
    assert await _keys(db) == ["fresh"]
    [ran, scheduled] = await job_rows(db)
    assert (ran["kind"], ran["status"]) == ("idempotency.purge", "DONE")
    assert (scheduled["kind"], scheduled["status"]) == ("idempotency.purge", "PENDING")
    [next_run] = await fetch(db, "SELECT run_at, dedupe_key FROM jobs WHERE id = $1", scheduled["id"])
    slot = idempotency.next_purge_slot(later)
    assert next_run["run_at"] == slot
    assert next_run["dedupe_key"] == f"idempotency.purge@{slot:%Y-%m-%dT%H:00Z}"


async def test_scheduling_the_purge_twice_for_one_hour_queues_one_job(writable_database):
    db = writable_database
    async with UnitOfWork(db) as uow:
        await idempotency.schedule_purge(uow.session)
        await idempotency.schedule_purge(uow.session)
        await uow.commit()

    assert [r["kind"] for r in await job_rows(db)] == ["idempotency.purge"]


@pytest.mark.parametrize("after, slot", [
    (datetime(2026, 11, 23, 10, 0, tzinfo=UTC), datetime(2026, 11, 23, 11, 0, tzinfo=UTC)),
    (datetime(2026, 11, 23, 23, 59, 59, tzinfo=UTC), datetime(2026, 11, 24, 0, 0, tzinfo=UTC)),
])
def test_purges_run_at_the_start_of_the_next_hour(after, slot):
    assert idempotency.next_purge_slot(after) == slot
