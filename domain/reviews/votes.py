"""Helpful votes on reviews: one per customer per review, never on one's own, undone by removing
it, at most TRIBUTARY_REVIEW_VOTE_DAILY_LIMIT a day; counted exactly under races by the shared
statement pattern (`domain/shared/helpful_votes.py`)."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.reviews.errors import ReviewErrorCode
from domain.shared.config import get_settings
from domain.shared.helpful_votes import HelpfulVotes
from domain.shared.principal import Principal

VOTES = HelpfulVotes(noun="review", posts="reviews", votes="review_votes", key="review_id", field="reviewId",
                     codes=ReviewErrorCode, own_code=ReviewErrorCode.OWN_REVIEW)


async def vote_helpful(session: AsyncSession, principal: Principal, review_id: int,
                       daily_limit: int | None = None) -> int:
    """Count the caller's helpful vote on someone else's published review."""
    return await VOTES.vote(session, principal, review_id, daily_limit or get_settings().review_vote_daily_limit)


async def remove_vote(session: AsyncSession, principal: Principal, review_id: int) -> int:
    """Undo the caller's helpful vote; without one, nothing changes."""
    return await VOTES.remove(session, principal, review_id)


async def recount_votes(session: AsyncSession, review_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(kept count, counted votes) per review: for checks."""
    return await VOTES.recount(session, review_ids)
