"""The idempotency keys' job: the hourly purge of expired keys."""
from __future__ import annotations

from domain.idempotency import service as idempotency
from domain.jobs.registry import JobContext, Registry

handlers = Registry()


@handlers.register(idempotency.PURGE_JOB)
async def purge_idempotency_keys(ctx: JobContext) -> None:
    """Deletes expired idempotency keys and queues the next hourly purge (the first one is queued
    with `domain.idempotency.service.schedule_purge`); a backlog larger than one run's limit is
    continued by a follow-up job at once."""
    await idempotency.run_purge_job(ctx.session)
