"""The recommendations' jobs: the nightly training of the related-items tables, and the nightly
purge of guests' browsing histories."""
from __future__ import annotations

from domain.jobs.registry import JobContext, Registry
from domain.recommendations import history_purge
from domain.recommendations import service as recommendations

handlers = Registry()


@handlers.register(recommendations.TRAIN_JOB)
async def train_recommendations(ctx: JobContext) -> None:
    """Trains and replaces the tables; queues the next night's run."""
    await recommendations.run_job(ctx.session, k=ctx.settings.recommendations_top_k)


# About a minute and a half on the demo data on 2 cores; far more than a request-sized job.
train_recommendations.timeout_seconds = 30 * 60


@handlers.register(history_purge.PURGE_JOB)
async def purge_guest_browsing_histories(ctx: JobContext) -> None:
    """Deletes one batch of guest histories unused for TRIBUTARY_GUEST_BROWSING_HISTORY_DAYS."""
    await history_purge.run_job(ctx.session, keep_days=ctx.settings.guest_browsing_history_days)
