"""The webhooks' jobs: the dispatcher (events to deliveries), one try of a delivery, and the
hourly purge."""
from __future__ import annotations

from domain.jobs.registry import JobContext, PermanentFailure, Registry
from domain.webhooks import delivery, dispatch, housekeeping

handlers = Registry()


@handlers.register(dispatch.DISPATCH_JOB)
async def run_dispatch(ctx: JobContext) -> None:
    """Dispatches what was committed since the last run and, while a live webhook exists, queues
    the next run (at once after a full batch)."""
    done = await dispatch.dispatch(ctx.session, ctx.settings)
    if done.live_webhooks:
        await dispatch.schedule_dispatch(ctx.session, delay_seconds=0.0 if done.more else dispatch.INTERVAL_SECONDS)


@handlers.register(dispatch.DELIVER_JOB)
async def run_delivery(ctx: JobContext) -> None:
    """One try of one delivery; its retries are queued by the try itself, with the webhook's own
    backoff, so the job ends DONE whatever the endpoint answered."""
    delivery_id = ctx.job.payload.get("delivery")
    if not isinstance(delivery_id, int):
        raise PermanentFailure("A webhooks.deliver job needs a 'delivery' id.")
    if ctx.database is None:
        raise PermanentFailure("Webhook deliveries need the worker's database.")
    await delivery.deliver(ctx.session, ctx.database, ctx.settings, delivery_id)


@handlers.register(housekeeping.PURGE_JOB)
async def run_purge(ctx: JobContext) -> None:
    await housekeeping.purge(ctx.session, ctx.settings)
    await housekeeping.schedule_purge(ctx.session)
