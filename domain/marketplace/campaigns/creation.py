"""A brand's registered owner writes a campaign; the platform reviews it and, when it passes,
queues it for sending (`sending.py`) in the same transaction. See `rules.py` for the rules."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import service as jobs
from domain.marketplace.campaigns import rules
from domain.marketplace.campaigns.entities import BrandCampaign
from domain.marketplace.errors import MarketplaceErrorCode
from domain.marketplace.statuses import BrandCampaignStatus
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal

START_JOB = "marketplace.brand_campaign.start"
BATCH_JOB = "marketplace.brand_campaign.batch"

COLUMNS = ("c.id, c.brand_id, c.kind::text, c.subject, c.body, c.product_ids, c.status::text, c.rejection_reasons,"
           " c.recipients_count, c.delivered_count, c.created_at, c.started_at, c.finished_at")


async def _lock_live_brand(session: AsyncSession, brand_id: int) -> None:
    # One campaign decision per brand at a time: two owners' requests racing for the last slot
    # of the interval take turns, and the second sees the first's campaign.
    found = (await session.execute(text(
        "SELECT 1 FROM brands WHERE id = :id AND archived_at IS NULL FOR NO KEY UPDATE"), {"id": brand_id})).scalar()
    if found is None:
        raise NotFound("No such brand.", field=["input", "brandId"])


async def _check_products(session: AsyncSession, brand_id: int, product_ids: list[int]) -> None:
    if not product_ids:
        return
    rows = (await session.execute(text(
        "SELECT id, brand_id FROM products WHERE id = ANY(:ids) AND archived_at IS NULL"),
        {"ids": product_ids})).all()
    brands = dict(rows)
    for index, pk in enumerate(product_ids):
        field = ["input", "productIds", str(index)]
        if pk not in brands:
            raise NotFound("No such product.", field=field)
        if brands[pk] != brand_id:
            raise InvalidInput("This product is not one of the brand's.", code=MarketplaceErrorCode.PRODUCT_NOT_OF_BRAND,
                               field=field)


async def _check_interval(session: AsyncSession, brand_id: int, days: int) -> None:
    if days <= 0:
        return
    last = (await session.execute(text(
        "SELECT max(created_at) FROM brand_campaigns WHERE brand_id = :brand AND status <> 'REJECTED'"),
        {"brand": brand_id})).scalar()
    if last is None:
        return
    now = (await session.execute(text("SELECT now()"))).scalar()
    allowed = last + timedelta(days=days)
    if now < allowed:
        raise DomainError(f"A brand sends at most one campaign every {days} days; the next may be created after"
                          f" {allowed:%Y-%m-%d %H:%M} UTC.", code=MarketplaceErrorCode.CAMPAIGN_TOO_SOON,
                          field=["input", "brandId"],
                          extensions={"retryAfterSeconds": int((allowed - now).total_seconds()) + 1})


async def create(session: AsyncSession, principal: Principal, *, brand_id: int, kind: str, subject: str, body: str,
                 product_ids: list[int], interval_days: int) -> BrandCampaign:
    """The brand's registered owner only (FORBIDDEN for anyone else, administrators included:
    the platform sends for brands, it does not write for them). A campaign that breaks a rule
    of form is refused with nothing written; one the review refuses is kept as REJECTED with its
    reasons (and does not count against the interval); else it is SCHEDULED and the worker
    sends it."""
    principal.require_signed_in()
    principal.require_brand_owner(brand_id)
    kind = rules.kind(kind)
    subject = rules.subject(subject)
    body = rules.body(body)
    product_ids = rules.product_ids(product_ids)
    await _lock_live_brand(session, brand_id)
    await _check_products(session, brand_id, product_ids)
    reasons = rules.review(kind, subject, body, product_ids)
    if not reasons:
        await _check_interval(session, brand_id, interval_days)
    status = BrandCampaignStatus.REJECTED if reasons else BrandCampaignStatus.SCHEDULED
    row = (await session.execute(text(
        f"INSERT INTO brand_campaigns AS c (brand_id, created_by, kind, subject, body, product_ids, status,"
        f" rejection_reasons) VALUES (:brand, :by, CAST(:kind AS brand_campaign_kind), :subject, :body,"
        f" CAST(:products AS bigint[]), CAST(:status AS brand_campaign_status), CAST(:reasons AS text[]))"
        f" RETURNING {COLUMNS}"),
        {"brand": brand_id, "by": principal.account_id, "kind": kind, "subject": subject, "body": body,
         "products": product_ids, "status": status, "reasons": reasons})).one()
    campaign = BrandCampaign(*row)
    if not reasons:
        await jobs.enqueue(session, START_JOB, {"campaignId": campaign.id}, dedupe_key=f"brand-campaign:{campaign.id}")
    return campaign
