"""Helpful votes: one per customer per review, never on one's own, undone by removing it.

`reviews.helpful_votes` is kept by the same statement pattern as the rating summary: the vote
row is inserted (or deleted) first, and only a statement that changed a vote row moves the
count, by one, on the review's locked row. Two customers voting at once each add their own
vote to the committed count; a customer voting twice at once inserts one row, so counts one."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.reviews.errors import ReviewErrorCode
from domain.shared.config import get_settings
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal


async def _votable(session: AsyncSession, review_id: int) -> int:
    """The author of a published review (only published reviews take votes)."""
    author = (await session.execute(text(
        "SELECT account_id FROM reviews WHERE id = :r AND status = 'PUBLISHED'"), {"r": review_id})).scalar()
    if author is None:
        raise NotFound("No such review.", code=ReviewErrorCode.NOT_FOUND, field=["input", "reviewId"])
    return author


async def vote_helpful(session: AsyncSession, principal: Principal, review_id: int,
                       daily_limit: int | None = None) -> int:
    """Count the caller's helpful vote on someone else's published review."""
    account_id = principal.require_signed_in()
    limit = daily_limit or get_settings().review_vote_daily_limit
    if await _votable(session, review_id) == account_id:
        raise DomainError("You cannot vote on your own review.", code=ReviewErrorCode.OWN_REVIEW,
                          field=["input", "reviewId"])
    # Serializes one account's votes, so its daily limit holds under races.
    await session.execute(text("SELECT 1 FROM accounts WHERE id = :id FOR UPDATE"), {"id": account_id})
    cast = (await session.execute(text(
        "SELECT count(*) FROM review_votes WHERE account_id = :a AND created_at > now() - interval '24 hours'"),
        {"a": account_id})).scalar_one()
    if cast >= limit:
        raise DomainError(f"At most {limit} helpful votes per 24 hours: try again later.",
                          code=ReviewErrorCode.RATE_LIMITED)
    inserted = (await session.execute(text(
        "INSERT INTO review_votes (review_id, account_id) VALUES (:r, :a) ON CONFLICT DO NOTHING RETURNING 1"),
        {"r": review_id, "a": account_id})).scalar()
    if inserted is None:
        raise DomainError("You have already found this review helpful.", code=ReviewErrorCode.ALREADY_VOTED,
                          field=["input", "reviewId"])
    await session.execute(text("UPDATE reviews SET helpful_votes = helpful_votes + 1 WHERE id = :r"),
                          {"r": review_id})
    return review_id


async def remove_vote(session: AsyncSession, principal: Principal, review_id: int) -> int:
    """Undo the caller's helpful vote; without one, nothing changes."""
    account_id = principal.require_signed_in()
    exists = (await session.execute(text(
        "SELECT 1 FROM reviews WHERE id = :r AND status <> 'DELETED'"), {"r": review_id})).scalar()
    if exists is None:
        raise NotFound("No such review.", code=ReviewErrorCode.NOT_FOUND, field=["input", "reviewId"])
    removed = (await session.execute(text(
        "DELETE FROM review_votes WHERE review_id = :r AND account_id = :a RETURNING 1"),
        {"r": review_id, "a": account_id})).scalar()
    if removed is not None:
        await session.execute(text("UPDATE reviews SET helpful_votes = helpful_votes - 1 WHERE id = :r"),
                              {"r": review_id})
    return review_id


async def recount_votes(session: AsyncSession, review_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(kept count, counted votes) per review: for checks."""
    rows = (await session.execute(text(
        "SELECT r.id, r.helpful_votes, (SELECT count(*) FROM review_votes v WHERE v.review_id = r.id)"
        " FROM reviews r WHERE r.id = ANY(:ids)"), {"ids": review_ids})).all()
    return {r[0]: (r[1], r[2]) for r in rows}
