"""The renewal sweep keeps itself going: each run queues the next hour's, once, and scheduling it
again for the same hour (each worker's start) queues nothing more."""
from datetime import UTC, datetime, timedelta

import pytest

from domain.shared.unit_of_work import UnitOfWork
from domain.subscriptions import service as subscriptions
from tests.fixtures.db import fetch
from tests.fixtures.jobs import worker

pytestmark = pytest.mark.one_copy_per_file


async def _jobs(db) -> list[tuple]:
    rows = await fetch(db, "SELECT status::text AS status, run_at, dedupe_key FROM jobs WHERE kind = $1 ORDER BY id",
                       subscriptions.RENEW_JOB)
    return [tuple(r) for r in rows]


async def test_a_sweep_queues_the_next_hours_run_once(writable_database, provider, now):
    db = writable_database
    # The worker claims jobs by the database's clock: the test's clock is today's.
    real = now.set(datetime.now(UTC))
    async with UnitOfWork(db) as uow:
        await subscriptions.schedule_renewals(uow.session)
        await subscriptions.schedule_renewals(uow.session)
        await uow.commit()
    this_hour = real.replace(minute=0, second=0, microsecond=0)
    next_hour = this_hour + timedelta(hours=1)
    assert await _jobs(db) == [("PENDING", this_hour, f"{subscriptions.RENEW_JOB}@{this_hour.isoformat()}")]

    stats = await worker(db, payments=provider).run_once()

    assert (stats.done, stats.failed) == (1, 0)
    assert await _jobs(db) == [("DONE", this_hour, f"{subscriptions.RENEW_JOB}@{this_hour.isoformat()}"),
                               ("PENDING", next_hour, f"{subscriptions.RENEW_JOB}@{next_hour.isoformat()}")]
    async with UnitOfWork(db) as uow:  # a worker starting again within the hour
        await subscriptions.schedule_renewals(uow.session)
        await uow.commit()
    assert len(await _jobs(db)) == 2
