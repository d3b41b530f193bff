"""From the events outbox to deliveries: one delivery per live webhook an event concerns.

The dispatcher reads committed events by id after its cursor. Ids come from a sequence, taken
when a transaction inserts, so an id can become visible after a larger one (the transaction
that took it commits later). An id missing below the largest seen is kept as a gap and looked
for at every run until it appears, or until it has been missing for `GAP_GRACE_SECONDS` (then it
was a rolled-back transaction's, and never will): a late commit is delivered, not skipped.
The cursor row is locked for the run, so two workers never dispatch the same events; the
unique (webhook, event) index makes a repeated run harmless anyway."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import service as jobs
from domain.shared.config import Settings

DISPATCH_JOB = "webhooks.dispatch"
DELIVER_JOB = "webhooks.deliver"
BATCH = 1_000
GAP_GRACE_SECONDS = 600
MAX_GAPS = 10_000
# While a live webhook exists the dispatcher runs about this often (each run queues the next).
INTERVAL_SECONDS = 1.0

_CURSOR = text("SELECT last_event_id, pending_gaps FROM webhook_dispatch_cursor WHERE id = 1 FOR UPDATE")
_START = text("INSERT INTO webhook_dispatch_cursor (id, last_event_id) VALUES (1, (SELECT coalesce(max(id), 0)"
              " FROM events)) ON CONFLICT (id) DO NOTHING")
_NEW_EVENTS = text("SELECT id FROM events WHERE id > :last ORDER BY id LIMIT :batch")
_FOUND_GAPS = text("SELECT id FROM events WHERE id = ANY(CAST(:gaps AS bigint[]))")
_FAN_OUT = text(
    "INSERT INTO webhook_deliveries (webhook_id, event_id, event_kind, retry_until, next_attempt_at)"
    " SELECT w.id, e.id, e.kind, now() + make_interval(hours => :hours), now()"
    " FROM events e JOIN webhooks w ON w.disabled_at IS NULL AND e.kind = ANY(w.events)"
    "  AND (w.seller_id IS NULL OR w.seller_id = ANY(e.seller_ids))"
    " WHERE e.id = ANY(CAST(:ids AS bigint[])) ORDER BY e.id, w.id"
    " ON CONFLICT (webhook_id, event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING id")
_SAVE = text("UPDATE webhook_dispatch_cursor SET last_event_id = :last, pending_gaps = CAST(:gaps AS jsonb),"
             " updated_at = now() WHERE id = 1")
_ANY_LIVE = text("SELECT EXISTS (SELECT 1 FROM webhooks WHERE disabled_at IS NULL)")


@dataclass(frozen=True, slots=True)
class Dispatched:
    events: int
    deliveries: int
    more: bool  # a full batch: run again at once
    live_webhooks: bool


def deliver_key(delivery_id: int, attempts: int) -> str:
    """One queued try per delivery and number of tries so far."""
    return f"{DELIVER_JOB}:{delivery_id}:{attempts}"


async def enqueue_deliveries(session: AsyncSession, delivery_ids: list[int], attempts: int = 0) -> None:
    await jobs.enqueue_many(session, DELIVER_JOB, [{"delivery": d} for d in delivery_ids],
                            [deliver_key(d, attempts) for d in delivery_ids])


async def start(session: AsyncSession) -> None:
    """Places the cursor at the newest event if it has no place yet (the first webhook's
    registration does, so what is published after it commits reaches it)."""
    await session.execute(_START)


async def dispatch(session: AsyncSession, settings: Settings, *, now: float | None = None) -> Dispatched:
    """Turns the events committed since the last run into deliveries (and their queued tries),
    in the caller's transaction. With no live webhook, the cursor simply moves to the newest
    event: events from before a webhook existed are not delivered to it."""
    now = time.time() if now is None else now
    await session.execute(_START)
    cursor = (await session.execute(_CURSOR)).one()
    last, gaps = cursor.last_event_id, {int(k): v for k, v in cursor.pending_gaps.items()}
    if not (await session.execute(_ANY_LIVE)).scalar_one():
        newest = (await session.execute(text("SELECT coalesce(max(id), 0) FROM events"))).scalar_one()
        await session.execute(_SAVE, {"last": max(last, newest), "gaps": "{}"})
        return Dispatched(0, 0, False, False)
    new = [r.id for r in await session.execute(_NEW_EVENTS, {"last": last, "batch": BATCH})]
    found = [r.id for r in await session.execute(_FOUND_GAPS, {"gaps": sorted(gaps)})] if gaps else []
    for event_id in found:
        gaps.pop(event_id, None)
    if new:
        seen = set(new)
        for missing in range(last + 1, new[-1]):
            if missing not in seen:
                gaps[missing] = now
        last = new[-1]
    gaps = {g: t for g, t in gaps.items() if now - t < GAP_GRACE_SECONDS}
    if len(gaps) > MAX_GAPS:
        gaps = dict(sorted(gaps.items())[-MAX_GAPS:])
    ids = sorted(set(new) | set(found))
    created = []
    if ids:
        created = [r.id for r in await session.execute(_FAN_OUT, {"ids": ids, "hours": settings.webhook_retry_hours})]
        await enqueue_deliveries(session, created)
    await session.execute(_SAVE, {"last": last, "gaps": _json(gaps)})
    return Dispatched(len(ids), len(created), len(new) == BATCH, True)


def _json(gaps: dict[int, float]) -> str:
    return orjson.dumps({str(k): v for k, v in gaps.items()}).decode()


async def schedule_dispatch(session: AsyncSession, *, delay_seconds: float = 0.0) -> None:
    """Queues a dispatcher run (one per slot of `INTERVAL_SECONDS`: a second call for the same
    slot is dropped)."""
    run_at = time.time() + delay_seconds
    slot = int(run_at // INTERVAL_SECONDS)
    await jobs.enqueue(session, DISPATCH_JOB, {}, run_at=datetime.fromtimestamp(run_at, UTC),
                       dedupe_key=f"{DISPATCH_JOB}@{slot}", max_attempts=3)
