"""Renewals under real concurrency, on separate connections: sweeps racing each other, and two
workers running two renewal jobs at once, charge each period once."""
import asyncio

import pytest

from domain.subscriptions import service as subscriptions
from tests.fixtures.db import fetchval
from tests.fixtures.jobs import queue, worker
from tests.fixtures.subscriptions import charges, emails, member, provider_charges, renew

pytestmark = pytest.mark.one_copy_per_file


@pytest.mark.own_copy
async def test_five_sweeps_at_once_on_separate_connections_charge_the_period_once(writable_database, provider, now):
    db = writable_database
    members = [await member(db, provider) for _ in range(3)]
    now.advance(days=31)

    results = await asyncio.gather(*(renew(db, provider) for _ in range(5)))

    assert sum(r.renewed for r in results) == 3
    for _, membership_id in members:
        assert [c["outcome"] for c in await charges(db, membership_id)] == ["SUCCEEDED", "SUCCEEDED"]
        assert len(await provider_charges(db, membership_id)) == 2
    assert await emails(db) == ["prime_joined"] * 3 + ["prime_renewed"] * 3


async def test_two_workers_running_two_renewal_jobs_at_once_charge_once(writable_database, provider, now):
    db = writable_database
    _, membership_id = await member(db, provider)
    now.advance(days=31)
    await queue(db, subscriptions.RENEW_JOB, {"n": 1}, dedupe_key="renew-a")
    await queue(db, subscriptions.RENEW_JOB, {"n": 2}, dedupe_key="renew-b")
    workers = [worker(db, payments=provider) for _ in range(2)]

    await asyncio.gather(*(w.run_once() for w in workers))

    assert [c["outcome"] for c in await charges(db, membership_id)] == ["SUCCEEDED", "SUCCEEDED"]
    assert len(await provider_charges(db, membership_id)) == 2
    # Each run queued the next hour's sweep, once.
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = $1 AND status = 'PENDING'",
                          subscriptions.RENEW_JOB) == 1
