"""The recommendations' job: the nightly training of the related-items tables."""
from __future__ import annotations

from domain.jobs.registry import JobContext, Registry
from domain.recommendations import service as recommendations

handlers = Registry()


@handlers.register(recommendations.TRAIN_JOB)
async def train_recommendations(ctx: JobContext) -> None:
    """Trains and replaces the tables; queues the next night's run."""
    await recommendations.run_job(ctx.session, k=ctx.settings.recommendations_top_k)


# About a minute and a half on the demo data on 2 cores; far more than a request-sized job.
train_recommendations.timeout_seconds = 30 * 60
