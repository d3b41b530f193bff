"""The delivery scheduler is a worker job that keeps itself going: a run places what is due and
queues the next hour's run, once; two workers running two scheduler jobs at once place one order
per due subscription."""
import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from domain.orders import service as orders
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.checkout import PLATFORM_BOOK, customer, offers
from tests.fixtures.db import fetch
from tests.fixtures.jobs import queue, worker
from tests.fixtures.subscribe_and_save import deliveries, orders_of, provider_charges, subscribe

pytestmark = pytest.mark.one_copy_per_file

JOB = orders.SUBSCRIPTION_DELIVERIES_JOB


async def _jobs(db) -> list[tuple]:
    rows = await fetch(db, "SELECT status::text AS status, run_at FROM jobs WHERE kind = $1 ORDER BY id", JOB)
    return [tuple(r) for r in rows]


@pytest.mark.own_copy
async def test_a_run_places_what_is_due_and_queues_the_next_hours_run_once(writable_database, provider, now):
    db = writable_database
    # The worker claims jobs by the database's clock: the test's clock is today's.
    real = now.set(datetime.now(UTC))
    [book] = await offers(db, PLATFORM_BOOK)
    buyer = await customer(db)
    sub = await subscribe(db, provider, buyer.account_id, book, first=(real - timedelta(days=40)).date())
    async with UnitOfWork(db) as uow:
        await orders.schedule_subscription_deliveries(uow.session)
        await orders.schedule_subscription_deliveries(uow.session)
        await uow.commit()
    this_hour = real.replace(minute=0, second=0, microsecond=0)

    stats = await worker(db, payments=provider).run_once()

    assert stats.failed == 0
    assert await _jobs(db) == [("DONE", this_hour), ("PENDING", this_hour + timedelta(hours=1))]
    assert [d["outcome"] for d in await deliveries(db, sub)] == ["PLACED"]


async def test_two_workers_running_two_scheduler_jobs_at_once_place_one_order(writable_database, provider, now):
    db = writable_database
    real = now.set(datetime.now(UTC))
    first, other = await offers(db, PLATFORM_BOOK, limit=2)
    buyer = await customer(db)
    for book in (first, other):
        await subscribe(db, provider, buyer.account_id, book, first=(real - timedelta(days=40)).date())
    await queue(db, JOB, {"n": 1}, dedupe_key="deliveries-a")
    await queue(db, JOB, {"n": 2}, dedupe_key="deliveries-b")
    workers = [worker(db, payments=provider) for _ in range(2)]

    await asyncio.gather(*(w.run_once() for w in workers))

    assert len(await orders_of(db, buyer.account_id)) == 1
    assert len(await provider_charges(db, buyer.account_id)) == 1
