"""Customers follow registered brands, and choose whether brands' messages reach them.

Rules: only a signed-in customer follows, for themselves; following twice or unfollowing a
brand not followed changes nothing (idempotent) and is no error; an archived brand cannot be
followed (NOT_FOUND). Messages can be turned off for one brand (the follow stays) or for all
brands, and on again. Who follows a brand is the follower's alone to see: a brand, a seller or
an administrator learns the number of followers, never who they are (`follower_counts`).

An opt-out also marks the customer in every campaign of that brand (or of every brand) they
were sent, so the campaigns' "opted out since" counts include it.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketplace.campaigns.entities import BrandFollow, BrandMessagePreferences
from domain.shared.db import Reader
from domain.shared.errors import NotFound
from domain.shared.pagination import Page, PageRequest, paged
from domain.shared.principal import Principal

_FOLLOW = "brand_id, followed_at, opted_out_at"


async def _live_brand(session: AsyncSession, brand_id: int) -> None:
    # FOR KEY SHARE: the brand cannot be deleted under the follow; other follows go on at once.
    found = (await session.execute(text("SELECT 1 FROM brands WHERE id = :id AND archived_at IS NULL FOR KEY SHARE"),
                                   {"id": brand_id})).scalar()
    if found is None:
        raise NotFound("No such brand.", field=["input", "brandId"])


async def follow(session: AsyncSession, principal: Principal, brand_id: int) -> BrandFollow:
    """Follow a live brand (NOT_FOUND otherwise). Following again keeps the first follow as it
    was, its message choice included."""
    account_id = principal.require_signed_in()
    await _live_brand(session, brand_id)
    row = (await session.execute(text(
        f"INSERT INTO brand_follows (brand_id, account_id) VALUES (:brand, :account)"
        f" ON CONFLICT (brand_id, account_id) DO UPDATE SET brand_id = EXCLUDED.brand_id RETURNING {_FOLLOW}"),
        {"brand": brand_id, "account": account_id})).one()
    return BrandFollow(*row)


async def unfollow(session: AsyncSession, principal: Principal, brand_id: int) -> bool:
    """Stop following a brand; True if the caller followed it. No brand message reaches them
    from it after this, even one whose sending has started."""
    account_id = principal.require_signed_in()
    deleted = (await session.execute(text(
        "DELETE FROM brand_follows WHERE brand_id = :brand AND account_id = :account RETURNING brand_id"),
        {"brand": brand_id, "account": account_id})).scalar()
    return deleted is not None


async def _mark_campaigns(session: AsyncSession, account_id: int, brand_id: int | None) -> None:
    await session.execute(text(
        "UPDATE brand_campaign_recipients r SET opted_out_at = now() FROM brand_campaigns c"
        " WHERE r.account_id = :account AND r.opted_out_at IS NULL AND c.id = r.campaign_id"
        " AND (CAST(:brand AS bigint) IS NULL OR c.brand_id = :brand)"),
        {"account": account_id, "brand": brand_id})


async def opt_out_of_brand(session: AsyncSession, account_id: int, brand_id: int) -> bool:
    """Turn one brand's messages off for the account, keeping the follow; True if it follows the
    brand. Turning off what is off changes nothing."""
    row = (await session.execute(text(
        "UPDATE brand_follows SET opted_out_at = coalesce(opted_out_at, now())"
        " WHERE brand_id = :brand AND account_id = :account RETURNING brand_id"),
        {"brand": brand_id, "account": account_id})).scalar()
    await _mark_campaigns(session, account_id, brand_id)
    return row is not None


async def opt_out(session: AsyncSession, principal: Principal, brand_id: int | None) -> None:
    """Turn off the messages of one followed brand (NOT_FOUND if the caller does not follow
    it), or of every brand (`brand_id` None), now and for brands followed later."""
    account_id = principal.require_signed_in()
    if brand_id is None:
        await session.execute(text(
            "INSERT INTO brand_message_opt_outs (account_id) VALUES (:account) ON CONFLICT DO NOTHING"),
            {"account": account_id})
        await _mark_campaigns(session, account_id, None)
        return
    if not await opt_out_of_brand(session, account_id, brand_id):
        raise NotFound("You do not follow this brand.", field=["input", "brandId"])


async def opt_in(session: AsyncSession, principal: Principal, brand_id: int | None) -> None:
    """Turn one followed brand's messages on again (NOT_FOUND if the caller does not follow
    it), or brand messages as a whole (`brand_id` None; brands turned off one by one stay
    off). Campaigns already sent keep counting the earlier opt-out."""
    account_id = principal.require_signed_in()
    if brand_id is None:
        await session.execute(text("DELETE FROM brand_message_opt_outs WHERE account_id = :account"),
                              {"account": account_id})
        return
    found = (await session.execute(text(
        "UPDATE brand_follows SET opted_out_at = NULL WHERE brand_id = :brand AND account_id = :account"
        " RETURNING brand_id"), {"brand": brand_id, "account": account_id})).scalar()
    if found is None:
        raise NotFound("You do not follow this brand.", field=["input", "brandId"])


async def my_follows(reader: Reader, principal: Principal, page: PageRequest) -> Page[BrandFollow]:
    """The caller's followed live brands, newest follow first. Requires sign-in."""
    account_id = principal.require_signed_in()
    return await paged(reader, BrandFollow,
                       "SELECT f.brand_id, f.followed_at, f.opted_out_at FROM brand_follows f"
                       " JOIN brands b ON b.id = f.brand_id AND b.archived_at IS NULL WHERE f.account_id = $1",
                       "followed_at DESC, brand_id DESC", page, account_id)


async def preferences(reader: Reader, principal: Principal) -> BrandMessagePreferences:
    """The caller's own brand-message choice and number of followed brands. Requires sign-in."""
    account_id = principal.require_signed_in()
    row = await reader.fetchrow(
        "SELECT (SELECT opted_out_at FROM brand_message_opt_outs WHERE account_id = $1),"
        " (SELECT count(*) FROM brand_follows f JOIN brands b ON b.id = f.brand_id AND b.archived_at IS NULL"
        "   WHERE f.account_id = $1)", account_id)
    return BrandMessagePreferences(row[0] is not None, row[0], row[1])


async def followed_by_viewer(reader: Reader, principal: Principal, brand_ids: Sequence[int]) -> dict[int, bool]:
    """Whether the caller follows each brand (False for anonymous callers): the caller's own
    fact, never anyone else's."""
    if principal.account_id is None:
        return {pk: False for pk in brand_ids}
    rows = await reader.fetch("SELECT brand_id FROM brand_follows WHERE account_id = $1 AND brand_id = ANY($2::bigint[])",
                              principal.account_id, list(brand_ids))
    followed = {r["brand_id"] for r in rows}
    return {pk: pk in followed for pk in brand_ids}


async def follower_counts(reader: Reader, principal: Principal, brand_ids: Sequence[int]) -> dict[int, int]:
    """How many customers follow each brand, for the brand's registered owner and
    administrators; the brands the caller may not see the count of are left out."""
    visible = [pk for pk in brand_ids if principal.is_admin or principal.is_owner_of_brand(pk)]
    if not visible:
        return {}
    rows = await reader.fetch("SELECT b.id, (SELECT count(*) FROM brand_follows f WHERE f.brand_id = b.id)"
                              " FROM brands b WHERE b.id = ANY($1::bigint[])", visible)
    return {r[0]: r[1] for r in rows}


async def my_follow(reader: Reader, principal: Principal, brand_id: int) -> BrandFollow | None:
    """The caller's follow of one brand, or None."""
    account_id = principal.require_signed_in()
    row = await reader.fetchrow(f"SELECT {_FOLLOW} FROM brand_follows WHERE account_id = $1 AND brand_id = $2",
                                account_id, brand_id)
    return None if row is None else BrandFollow(*row)
