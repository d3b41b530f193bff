"""The composition root of the job handlers: every context's jobs, in the one registry the
worker runs (`tributary worker`, the worker beside the server, and the tests).

Each context keeps the handlers of the jobs it queues in its own `jobs.py`; this module is
the only one that knows them all, so the job queue (`domain.jobs`) depends on none of them."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import jobs as catalogue_jobs
from domain.idempotency import jobs as idempotency_jobs
from domain.idempotency import service as idempotency
from domain.jobs import email as email_jobs
from domain.jobs.registry import Registry
from domain.licences import jobs as licences_jobs
from domain.licences import service as licences
from domain.marketplace import jobs as marketplace_jobs
from domain.orders import jobs as orders_jobs
from domain.orders import service as orders
from domain.recommendations import history_purge
from domain.recommendations import jobs as recommendations_jobs
from domain.recommendations import service as recommendations
from domain.subscriptions import jobs as subscriptions_jobs
from domain.subscriptions import service as subscriptions
from domain.webhooks import jobs as webhooks_jobs
from domain.webhooks import service as webhooks


def job_registry() -> Registry:
    """Every job kind's handler. A fresh registry each call, so a caller may add its own
    handlers (tests, plug-ins) without changing anyone else's."""
    return Registry.merged(email_jobs.handlers, catalogue_jobs.handlers, idempotency_jobs.handlers,
                           licences_jobs.handlers, marketplace_jobs.handlers, orders_jobs.handlers, subscriptions_jobs.handlers,
                           recommendations_jobs.handlers, webhooks_jobs.handlers)


async def schedule_housekeeping(session: AsyncSession) -> None:
    """Queues the recurring jobs that keep themselves going once started (each run queues the
    next; a run already queued is not queued twice): what every worker does when it starts,
    `tributary worker` and the one beside the server alike, so renewals, deliveries, loan ends,
    releases, purges and the recommendations' training run whichever way the service is started."""
    await idempotency.schedule_purge(session)
    await orders.schedule_preorder_release(session)
    await subscriptions.schedule_renewals(session)
    await licences.schedule_loan_sweep(session)
    await orders.schedule_subscription_deliveries(session)
    await recommendations.schedule(session)
    await history_purge.schedule(session)
    await webhooks.schedule(session)
