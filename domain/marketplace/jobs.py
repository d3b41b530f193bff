"""The marketplace's jobs: starting and sending brand campaigns (`campaigns/sending.py`)."""
from __future__ import annotations

from domain.jobs.registry import JobContext, PermanentFailure, Registry
from domain.marketplace.campaigns import sending
from domain.marketplace.campaigns.creation import BATCH_JOB, START_JOB

handlers = Registry()


@handlers.register(START_JOB)
async def start_brand_campaign(ctx: JobContext) -> None:
    """Fixes a scheduled campaign's recipients and queues its batches, in the job's transaction."""
    campaign_id = ctx.job.payload.get("campaignId")
    if not isinstance(campaign_id, int):
        raise PermanentFailure("A brand campaign job needs an integer 'campaignId'.")
    await sending.start(ctx.session, campaign_id, ctx.settings.brand_campaign_batch_size)


@handlers.register(BATCH_JOB)
async def send_brand_campaign_batch(ctx: JobContext) -> None:
    """Sends one batch of a campaign's recipients, committing on its own connection."""
    payload = ctx.job.payload
    values = [payload.get(k) for k in ("campaignId", "first", "last")]
    if not all(isinstance(v, int) for v in values):
        raise PermanentFailure("A brand campaign batch needs integer 'campaignId', 'first' and 'last'.")
    if ctx.database is None:
        raise PermanentFailure("Sending a brand campaign needs the worker's database.")
    await sending.send_batch(ctx.database, ctx.email, ctx.settings, *values)
