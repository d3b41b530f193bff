"""What a brand's owner (and an administrator) reads of its campaigns: the campaign as written,
its status and its aggregate results. Never a recipient: no read here returns an account."""
from __future__ import annotations

from collections.abc import Sequence

from domain.marketplace.campaigns.entities import BrandCampaign
from domain.shared.db import Reader
from domain.shared.pagination import Page, PageRequest, page_from_rows
from domain.shared.principal import Principal

_SELECT = ("SELECT c.id, c.brand_id, c.kind::text, c.subject, c.body, c.product_ids, c.status::text,"
           " c.rejection_reasons, c.recipients_count, c.delivered_count, c.created_at, c.started_at, c.finished_at,"
           " (SELECT count(*) FROM brand_campaign_recipients r WHERE r.campaign_id = c.id"
           "  AND r.opted_out_at IS NOT NULL) FROM brand_campaigns c")


def may_see(principal: Principal, brand_id: int) -> bool:
    return principal.is_admin or principal.is_owner_of_brand(brand_id)


async def campaigns_by_ids(reader: Reader, principal: Principal, ids: Sequence[int]) -> dict[int, BrandCampaign]:
    """The campaigns of brands the caller owns (any, for an administrator)."""
    if not (principal.is_admin or principal.brand_ids):
        return {}
    rows = await reader.fetch(f"{_SELECT} WHERE c.id = ANY($1::bigint[]) AND ($2 OR c.brand_id = ANY($3::bigint[]))",
                              list(ids), principal.is_admin, list(principal.brand_ids))
    return {r[0]: BrandCampaign(*r) for r in rows}


async def campaigns_of_brands(reader: Reader, principal: Principal, brand_ids: Sequence[int],
                              page: PageRequest) -> dict[int, Page[BrandCampaign]]:
    """A page of each visible brand's campaigns, newest first, with each brand's total (one
    statement); brands the caller may not see are left out."""
    visible = [pk for pk in brand_ids if may_see(principal, pk)]
    if not visible:
        return {}
    rows = await reader.fetch(
        f"SELECT listed.*, count(*) OVER (PARTITION BY listed.brand_id) AS total FROM ({_SELECT}"
        f" WHERE c.brand_id = ANY($1::bigint[])) listed ORDER BY listed.brand_id, listed.id DESC", visible)
    by_brand: dict[int, list] = {pk: [] for pk in visible}
    totals: dict[int, int] = {pk: 0 for pk in visible}
    for r in rows:
        by_brand[r[1]].append(BrandCampaign(*r[:-1]))
        totals[r[1]] = r[-1]
    return {pk: page_from_rows(items[page.offset: page.offset + page.limit + 1], page, totals[pk])
            for pk, items in by_brand.items()}
