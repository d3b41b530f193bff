"""The memberships' job: the hourly sweep that renews, retries, lapses, reminds and closes
(`domain.subscriptions.renewals`)."""
from __future__ import annotations

from domain.jobs.registry import JobContext, PermanentFailure, Registry
from domain.payments import service as payments
from domain.subscriptions import renewals

handlers = Registry()


@handlers.register(renewals.RENEW_JOB)
async def renew_memberships(ctx: JobContext) -> None:
    """Runs the sweep with the worker's payment provider (or one of its own)."""
    provider = ctx.payments
    own = None
    if provider is None:
        if ctx.database is None:
            raise PermanentFailure("Renewing memberships needs the worker's database for the payment provider.")
        own = provider = payments.provider_for(ctx.settings, ctx.database.url)
    try:
        await renewals.run_job(ctx.session, provider, ctx.settings)
    finally:
        if own is not None:
            await own.close()
