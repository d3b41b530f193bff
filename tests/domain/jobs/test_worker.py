"""The worker: retries with backoff, FAILED after max_attempts, a savepoint per job, unknown
kinds, jobs due later, graceful stop, and waking on NOTIFY."""
import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text

from domain.bootstrap import job_registry
from domain.jobs.registry import PermanentFailure
from domain.jobs.worker import MAX_BACKOFF_SECONDS, backoff_seconds
from domain.shared import clock
from tests.fixtures.jobs import RecordingSender, fetch, job_rows, make_due, queue, queue_email, worker

pytestmark = pytest.mark.one_copy_per_file


def _with(**handlers):
    extended = job_registry()
    for kind, handler in handlers.items():
        extended.register(kind)(handler)
    return extended


async def _note(ctx, note: str) -> None:
    await ctx.session.execute(text("INSERT INTO brands (id, name, slug) VALUES ((SELECT max(id) + 1 FROM brands),"
                                   " :note, :note)"), {"note": note})


async def _notes(database) -> list[str]:
    return [r["slug"] for r in await fetch(database, "SELECT slug FROM brands WHERE slug LIKE 'job-%' ORDER BY id")]


async def _write_then_fail(ctx):
    await _note(ctx, f"job-{ctx.job.id}-attempt-{ctx.job.attempt}")
    raise ConnectionError("the warehouse did not answer")


async def _write(ctx):
    await _note(ctx, f"job-{ctx.job.payload['n']}")


def test_backoff_doubles_with_each_attempt_and_is_capped_at_an_hour():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4, 10)] == [2, 4, 8, 16, 1024]
    assert backoff_seconds(12) == backoff_seconds(500) == MAX_BACKOFF_SECONDS == 3600


@pytest.mark.own_copy
async def test_a_failing_job_is_retried_with_growing_backoff_then_failed_and_its_writes_are_undone(
        writable_database):
    await queue(writable_database, "test.flaky", max_attempts=3)
    runner = worker(writable_database, handlers=_with(**{"test.flaky": _write_then_fail}))

    first = await runner.run_once()
    [after_first] = await job_rows(writable_database)
    not_yet = await runner.run_once()  # the backoff has not passed
    await make_due(writable_database)
    await runner.run_once()
    [after_second] = await job_rows(writable_database)
    await make_due(writable_database)
    third = await runner.run_once()
    [after_third] = await job_rows(writable_database)

    assert (first.retried, not_yet.claimed, third.failed) == (1, 0, 1)
    assert (after_first["status"], after_first["attempts"]) == ("PENDING", 1)
    assert after_first["last_error"] == "ConnectionError: the warehouse did not answer"
    assert 1.5 < after_first["wait"].total_seconds() <= 2
    assert (after_second["status"], after_second["attempts"]) == ("PENDING", 2)
    assert 3.5 < after_second["wait"].total_seconds() <= 4
    assert (after_third["status"], after_third["attempts"]) == ("FAILED", 3)
    assert after_third["last_error"] == "ConnectionError: the warehouse did not answer"
    assert after_third["finished_at"] is not None
    assert await _notes(writable_database) == []


@pytest.mark.own_copy
async def test_a_failing_job_does_not_undo_the_other_jobs_of_its_batch(writable_database):
    await queue(writable_database, "test.write", {"n": 1})
    await queue(writable_database, "test.flaky")
    await queue(writable_database, "test.write", {"n": 3})
    runner = worker(writable_database, batch_size=10,
                    handlers=_with(**{"test.write": _write, "test.flaky": _write_then_fail}))

    stats = await runner.run_once()

    assert (stats.claimed, stats.done, stats.retried) == (3, 2, 1)
    assert await _notes(writable_database) == ["job-1", "job-3"]
    assert [r["status"] for r in await job_rows(writable_database)] == ["DONE", "PENDING", "DONE"]


@pytest.mark.own_copy
async def test_a_permanent_failure_fails_the_job_without_retrying(writable_database):
    async def refuse(ctx):
        raise PermanentFailure("The order no longer exists.")

    await queue(writable_database, "test.refuse")

    stats = await worker(writable_database, handlers=_with(**{"test.refuse": refuse})).run_once()

    [row] = await job_rows(writable_database)
    assert (stats.failed, row["status"], row["attempts"], row["last_error"]) == (
        1, "FAILED", 1, "The order no longer exists.")


@pytest.mark.own_copy
async def test_a_job_of_an_unknown_kind_fails_at_once_with_a_clear_error(writable_database):
    await queue(writable_database, "search.refresh_everything")

    stats = await worker(writable_database).run_once()

    [row] = await job_rows(writable_database)
    assert (stats.failed, row["status"], row["attempts"]) == (1, "FAILED", 1)
    assert row["last_error"].startswith("No handler for job kind 'search.refresh_everything' (known kinds: ")
    assert "email.send" in row["last_error"]


@pytest.mark.own_copy
async def test_a_job_that_runs_too_long_is_stopped_and_retried(writable_database):
    async def hang(ctx):
        await asyncio.sleep(30)

    await queue(writable_database, "test.hang")

    stats = await worker(writable_database, job_timeout=0.05, handlers=_with(**{"test.hang": hang})).run_once()

    [row] = await job_rows(writable_database)
    assert (stats.retried, row["status"], row["attempts"]) == (1, "PENDING", 1)
    assert row["last_error"] == "TimeoutError: the job ran longer than 0.05s"


@pytest.mark.own_copy
async def test_a_job_due_later_waits_for_its_time(writable_database):
    sender = RecordingSender()
    await queue_email(writable_database)
    await queue(writable_database, "email.send", {"to": "b@example.com", "template": "password_changed",
                                                  "context": {}}, run_at=clock.now() + timedelta(hours=1))

    stats = await worker(writable_database, sender).run_once()

    assert stats.done == 1
    assert [m.to for m in sender.sent] == ["ada@example.com"]
    assert [r["status"] for r in await job_rows(writable_database)] == ["DONE", "PENDING"]


@pytest.mark.own_copy
async def test_stopping_finishes_the_current_job_and_leaves_the_rest_queued(writable_database):
    for n in range(5):
        await queue(writable_database, "test.write", {"n": n})
    runner = None

    async def write_then_ask_to_stop(ctx):
        await _write(ctx)
        runner.stop()  # as SIGTERM would, in the middle of a batch

    runner = worker(writable_database, batch_size=5, handlers=_with(**{"test.write": write_then_ask_to_stop}))

    await asyncio.wait_for(runner.run(), 10)

    assert await _notes(writable_database) == ["job-0"]
    assert [r["status"] for r in await job_rows(writable_database)] == ["DONE"] + ["PENDING"] * 4


async def test_a_committed_job_wakes_an_idle_worker_at_once(writable_database):
    sender = RecordingSender()
    runner = worker(writable_database, sender, poll_seconds=60, listen=True)
    running = asyncio.create_task(runner.run(concurrency=2))
    try:
        await asyncio.sleep(0.3)  # both tasks found nothing and sleep for a minute
        await queue_email(writable_database)
        for _ in range(100):
            if sender.sent:
                break
            await asyncio.sleep(0.05)
    finally:
        runner.stop()
        await asyncio.wait_for(running, 10)

    assert len(sender.sent) == 1
