"""Guest browsing histories are kept for a while after their last use, then deleted: a guest
history belongs to nobody who can ask for it to go, so it goes by itself. A customer's history
stays until the customer clears it (or the account goes).

The purge runs every night in batches: each run deletes at most `BATCH` histories (their views
go with them, by cascade), one statement, and queues the next batch at once when it found a full
one, so a backlog never holds one long transaction or one job past its timeout. A history a
request is writing at that moment is skipped (`SKIP LOCKED`) and purged another night."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import service as jobs
from domain.shared import clock

PURGE_JOB = "recommendations.purge_guest_histories"
BATCH = 1000
NIGHTLY_AT = time(4, 0, tzinfo=UTC)

_PURGE = text(
    "DELETE FROM browsing_histories WHERE id IN ("
    " SELECT id FROM browsing_histories WHERE token_hash IS NOT NULL AND updated_at < :before"
    " ORDER BY updated_at LIMIT :limit FOR UPDATE SKIP LOCKED)")


async def purge(session: AsyncSession, *, keep_days: int, limit: int = BATCH, now: datetime | None = None) -> int:
    """Deletes up to `limit` guest histories unused for `keep_days`; returns how many."""
    before = (now or clock.now()) - timedelta(days=keep_days)
    return (await session.execute(_PURGE, {"before": before, "limit": limit})).rowcount


def next_night(at: datetime) -> datetime:
    slot = datetime.combine(at.astimezone(UTC).date(), NIGHTLY_AT)
    return slot if slot > at else slot + timedelta(days=1)


async def schedule(session: AsyncSession, *, at: datetime | None = None) -> None:
    """Queues the next nightly purge (one per night: the dedupe key is its date)."""
    slot = next_night(at or clock.now())
    await jobs.enqueue(session, PURGE_JOB, {}, run_at=slot, dedupe_key=f"{PURGE_JOB}@{slot.date().isoformat()}")


async def run_job(session: AsyncSession, *, keep_days: int) -> int:
    """One batch; the next batch at once when this one was full, else the next night's run."""
    deleted = await purge(session, keep_days=keep_days)
    if deleted >= BATCH:
        await jobs.enqueue(session, PURGE_JOB, {"continued": True})
    else:
        await schedule(session)
    return deleted
