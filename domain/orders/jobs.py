"""The orders' jobs: the daily release of due pre-orders, pre-orders following a release date
the catalogue moved (the catalogue announces the change with a job; orders follow), and the
hourly Subscribe & Save delivery scheduler."""
from __future__ import annotations

from domain.catalogue import service as catalogue
from domain.jobs import service as jobs
from domain.jobs.registry import JobContext, PermanentFailure, Registry
from domain.orders import preorders
from domain.orders import service as orders
from domain.payments import service as payments

handlers = Registry()


@handlers.register(preorders.RELEASE_JOB)
async def release_preorders(ctx: JobContext) -> None:
    """Releases the pre-orders due today (price guarantee, capture, e-mail) and queues tomorrow's
    run (the first one is queued with `domain.orders.service.schedule_preorder_release`)."""
    provider = ctx.payments
    own = None
    if provider is None:
        if ctx.database is None:
            raise PermanentFailure("Releasing pre-orders needs the worker's database for the payment provider.")
        own = provider = payments.provider_for(ctx.settings, ctx.database.url)
    try:
        await orders.run_preorder_release_job(ctx.session, provider)
    finally:
        if own is not None:
            await own.close()


@handlers.register(orders.SUBSCRIPTION_DELIVERIES_JOB)
async def place_subscription_deliveries(ctx: JobContext) -> None:
    """Reminds and places the due Subscribe & Save deliveries with the worker's payment provider
    (or one of its own), and queues the next hour's run."""
    provider = ctx.payments
    own = None
    if provider is None:
        if ctx.database is None:
            raise PermanentFailure("Placing subscription deliveries needs the worker's database for the payment"
                                   " provider.")
        own = provider = payments.provider_for(ctx.settings, ctx.database.url)
    try:
        await orders.run_subscription_delivery_job(ctx.session, provider, ctx.settings)
    finally:
        if own is not None:
            await own.close()


@handlers.register(catalogue.RELEASE_DATE_CHANGED)
async def follow_release_date(ctx: JobContext) -> None:
    """A product's release date moved (the catalogue announces it): the pre-orders waiting for it
    follow, and their customers are told. A backlog larger than one run's limit is continued by
    a follow-up job at once."""
    product_id = ctx.job.payload.get("productId")
    if not isinstance(product_id, int):
        raise PermanentFailure("A catalogue.release_date_changed job needs a 'productId' integer.")
    if await orders.follow_release_date(ctx.session, product_id):
        await jobs.enqueue(ctx.session, ctx.job.kind, ctx.job.payload)
