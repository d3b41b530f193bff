"""The periodic sweep that ends loans whose time is over: an invitation not accepted within its
days (NOT_ACCEPTED), a loan at its end (RETURNED). Each loan ends exactly once: the sweep
claims due loans with `FOR UPDATE SKIP LOCKED` and ends them with a conditional update, so two
sweeps at once, or a sweep and an accept or a return, never both end one loan."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import service as jobs
from domain.licences.lending.loans import end_loans
from domain.licences.lending.statuses import EbookLoanStatus
from domain.shared import clock

SWEEP_JOB = "licences.end_ebook_loans"
BATCH = 500


@dataclass(slots=True)
class SweepStats:
    not_accepted: int = 0
    returned: int = 0
    full: bool = False


async def end_due_loans(session: AsyncSession, now: datetime, *, limit: int = BATCH) -> SweepStats:
    """Ends up to `limit` loans due at `now`, in the caller's transaction."""
    rows = (await session.execute(text(
        "SELECT id, status::text AS status FROM ebook_loans"
        " WHERE (status = 'PENDING' AND accept_by <= :now) OR (status = 'ACTIVE' AND ends_at <= :now)"
        " ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED"), {"now": now, "limit": limit})).all()
    stats = SweepStats(full=len(rows) == limit)
    pending = [r.id for r in rows if r.status == EbookLoanStatus.PENDING]
    active = [r.id for r in rows if r.status == EbookLoanStatus.ACTIVE]
    stats.not_accepted = len(await end_loans(session, pending, EbookLoanStatus.NOT_ACCEPTED, now))
    stats.returned = len(await end_loans(session, active, EbookLoanStatus.RETURNED, now))
    return stats


async def schedule(session: AsyncSession, *, at: datetime | None = None) -> None:
    """Queues the sweep of the hour holding `at` (now by default); one run per hour at most, so
    the job rescheduling itself and each worker's start never pile runs up."""
    at = (at or clock.now()).astimezone(UTC)
    slot = at.replace(minute=0, second=0, microsecond=0)
    await jobs.enqueue(session, SWEEP_JOB, {"slot": slot.isoformat()}, run_at=slot,
                       dedupe_key=f"{SWEEP_JOB}@{slot.isoformat()}")


async def run_job(session: AsyncSession) -> SweepStats:
    """The `licences.end_ebook_loans` job: ends what is due, queues the next hour's run, and a
    follow-up at once when it stopped at its batch limit."""
    now = clock.now()
    stats = await end_due_loans(session, now)
    if stats.full:
        await jobs.enqueue(session, SWEEP_JOB, {"continued": True})
    await schedule(session, at=now + timedelta(hours=1))
    return stats
