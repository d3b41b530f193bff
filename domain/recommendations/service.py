"""Recommendations' use cases: the nightly training job and its schedule, and the reads the API
serves (`reads.py`)."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import service as jobs
from domain.recommendations import job
from domain.recommendations.reads import also_bought, bought_together, recommended_for  # noqa: F401
from domain.shared import clock

TRAIN_JOB = "recommendations.train"
# Nightly, when the shop is quiet.
NIGHTLY_AT = time(3, 0, tzinfo=UTC)


def next_night(at: datetime) -> datetime:
    slot = datetime.combine(at.astimezone(UTC).date(), NIGHTLY_AT)
    return slot if slot > at else slot + timedelta(days=1)


async def schedule(session: AsyncSession, *, at: datetime | None = None) -> None:
    """Queues the next nightly run (one per night: the dedupe key is its date), and one at once
    when the tables are empty and there are orders to learn from (a fresh database: the first
    start then shows recommendations without waiting for the night; once per database)."""
    slot = next_night(at or clock.now())
    await jobs.enqueue(session, TRAIN_JOB, {"slot": slot.isoformat()}, run_at=slot,
                       dedupe_key=f"{TRAIN_JOB}@{slot.date().isoformat()}")
    empty = (await session.execute(text(
        "SELECT NOT EXISTS (SELECT 1 FROM recommendation_popular) AND EXISTS (SELECT 1 FROM orders)"))).scalar()
    if empty:
        await jobs.enqueue(session, TRAIN_JOB, {"first": True}, dedupe_key=f"{TRAIN_JOB}@first")


async def run_job(session: AsyncSession, *, k: int) -> job.RunStats:
    """The `recommendations.train` job: trains, replaces the tables, queues the next night's run."""
    stats = await job.run(session, k=k)
    await schedule(session, at=clock.now() + timedelta(minutes=1))
    return stats
