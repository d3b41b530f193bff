"""Purging what webhooks leave behind: finished deliveries and outbox events older than
TRIBUTARY_WEBHOOK_LOG_DAYS (30 by default), and the dispatcher's own finished runs (one a
second while webhooks exist). Runs every hour, queued like the other purges."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import service as jobs
from domain.shared import clock
from domain.shared.config import Settings
from domain.webhooks.dispatch import DISPATCH_JOB

PURGE_JOB = "webhooks.purge"
BATCH = 10_000


async def purge(session: AsyncSession, settings: Settings) -> dict[str, int]:
    """Deletes (a batch of each) old finished deliveries, old events the dispatcher has passed,
    and finished dispatcher runs older than an hour; returns how many of each."""
    days = settings.webhook_log_days
    deliveries = (await session.execute(text(
        "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE finished_at IS NOT NULL"
        " AND finished_at < now() - make_interval(days => :days) LIMIT :batch FOR UPDATE SKIP LOCKED)"),
        {"days": days, "batch": BATCH})).rowcount
    events = (await session.execute(text(
        "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE created_at < now() - make_interval(days => :days)"
        " AND id <= coalesce((SELECT last_event_id FROM webhook_dispatch_cursor WHERE id = 1), 0)"
        " ORDER BY id LIMIT :batch)"), {"days": days, "batch": BATCH})).rowcount
    runs = (await session.execute(text(
        "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE kind = :kind AND status = 'DONE'"
        " AND finished_at < now() - interval '1 hour' LIMIT :batch)"), {"kind": DISPATCH_JOB, "batch": BATCH})).rowcount
    return {"deliveries": deliveries, "events": events, "dispatchRuns": runs}


def next_slot(after: datetime) -> datetime:
    return after.astimezone(UTC).replace(minute=30, second=0, microsecond=0) + timedelta(hours=1)


async def schedule_purge(session: AsyncSession, *, after: datetime | None = None) -> None:
    """Queues the next hourly purge (once per hour whoever asks)."""
    slot = next_slot(after or clock.now())
    await jobs.enqueue(session, PURGE_JOB, {}, run_at=slot, dedupe_key=f"{PURGE_JOB}@{slot:%Y-%m-%dT%H:%MZ}")
