"""Following and blocking profiles.

Follow and unfollow are idempotent (following twice changes nothing, nor does unfollowing a
profile one does not follow). Nobody follows themselves, a profile they blocked or that blocked
them, or a private profile. Blocking removes the follows both ways.

Every use case here first locks the two profiles' rows, in account id order: a follow and a block
between the same two customers then run one after the other (a follow cannot slip in beside a
block), and the follower and following counts are moved on locked rows, so concurrent follows
never lose a count and two customers acting on each other never deadlock."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.profiles.errors import ProfileErrorCode
from domain.profiles.statuses import ProfileVisibility
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal

_FIELD = ["input", "profileId"]


async def _lock_pair(session: AsyncSession, principal: Principal, profile_id: int, self_code: ProfileErrorCode,
                     self_message: str) -> tuple[int, str]:
    """The caller's id and the target profile's visibility, both rows locked in id order."""
    account_id = principal.require_signed_in()
    if profile_id == account_id:
        raise DomainError(self_message, code=self_code, field=_FIELD)
    rows = (await session.execute(text(
        "SELECT account_id, visibility::text FROM profiles WHERE account_id IN (:a, :b)"
        " ORDER BY account_id FOR UPDATE"), {"a": account_id, "b": profile_id})).all()
    target = next((r.visibility for r in rows if r.account_id == profile_id), None)
    if target is None:
        raise NotFound("No such profile.", code=ProfileErrorCode.NOT_FOUND, field=_FIELD)
    return account_id, target


async def _blocks(session: AsyncSession, account_id: int, profile_id: int) -> tuple[bool, bool]:
    """(the caller blocked the profile, the profile blocked the caller)."""
    row = (await session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM profile_blocks WHERE blocker_id = :a AND blocked_id = :b),"
        " EXISTS (SELECT 1 FROM profile_blocks WHERE blocker_id = :b AND blocked_id = :a)"),
        {"a": account_id, "b": profile_id})).one()
    return row[0], row[1]


async def _unfollow(session: AsyncSession, follower_id: int, followed_id: int) -> bool:
    """Removes the follow if there is one and moves both counts; the rows must be locked."""
    removed = (await session.execute(text(
        "WITH gone AS (DELETE FROM profile_follows WHERE follower_id = :f AND followed_id = :t RETURNING 1),"
        " followed AS (UPDATE profiles SET follower_count = follower_count - 1 WHERE account_id = :t"
        "  AND EXISTS (SELECT 1 FROM gone) RETURNING 1)"
        " UPDATE profiles SET following_count = following_count - 1 WHERE account_id = :f"
        "  AND EXISTS (SELECT 1 FROM gone) RETURNING 1"), {"f": follower_id, "t": followed_id})).first()
    return removed is not None


async def follow_profile(session: AsyncSession, principal: Principal, profile_id: int) -> int:
    """The caller follows the profile (once: following again changes nothing)."""
    account_id, visibility = await _lock_pair(session, principal, profile_id, ProfileErrorCode.CANNOT_FOLLOW_YOURSELF,
                                              "You cannot follow yourself.")
    blocked_it, blocked_by_it = await _blocks(session, account_id, profile_id)
    if blocked_by_it:
        # Said as little as "not found" would: the profile does not take this customer's follows.
        raise DomainError("This profile cannot be followed.", code=ProfileErrorCode.BLOCKED, field=_FIELD)
    if blocked_it:
        raise DomainError("You blocked this profile: unblock it to follow it.", code=ProfileErrorCode.BLOCKED,
                          field=_FIELD)
    if visibility == ProfileVisibility.PRIVATE:
        raise DomainError("This profile is private: it cannot be followed.", code=ProfileErrorCode.PROFILE_PRIVATE,
                          field=_FIELD)
    await session.execute(text(
        "WITH added AS (INSERT INTO profile_follows (follower_id, followed_id) VALUES (:f, :t)"
        "  ON CONFLICT DO NOTHING RETURNING 1),"
        " followed AS (UPDATE profiles SET follower_count = follower_count + 1 WHERE account_id = :t"
        "  AND EXISTS (SELECT 1 FROM added) RETURNING 1)"
        " UPDATE profiles SET following_count = following_count + 1 WHERE account_id = :f"
        "  AND EXISTS (SELECT 1 FROM added)"), {"f": account_id, "t": profile_id})
    return profile_id


async def unfollow_profile(session: AsyncSession, principal: Principal, profile_id: int) -> int:
    """The caller stops following the profile (nothing changes when they did not follow it)."""
    account_id, _ = await _lock_pair(session, principal, profile_id, ProfileErrorCode.CANNOT_FOLLOW_YOURSELF,
                                     "You cannot follow yourself, nor unfollow yourself.")
    await _unfollow(session, account_id, profile_id)
    return profile_id


async def block_profile(session: AsyncSession, principal: Principal, profile_id: int) -> int:
    """The caller blocks the profile: it sees nothing of the caller's profile any more, and the
    follows between the two, both ways, are removed. Blocking again changes nothing."""
    account_id, _ = await _lock_pair(session, principal, profile_id, ProfileErrorCode.CANNOT_BLOCK_YOURSELF,
                                     "You cannot block yourself.")
    await session.execute(text("INSERT INTO profile_blocks (blocker_id, blocked_id) VALUES (:a, :b)"
                               " ON CONFLICT DO NOTHING"), {"a": account_id, "b": profile_id})
    await _unfollow(session, account_id, profile_id)
    await _unfollow(session, profile_id, account_id)
    return profile_id


async def unblock_profile(session: AsyncSession, principal: Principal, profile_id: int) -> int:
    """The caller lifts their block (follows it removed do not come back)."""
    account_id, _ = await _lock_pair(session, principal, profile_id, ProfileErrorCode.CANNOT_BLOCK_YOURSELF,
                                     "You cannot block or unblock yourself.")
    await session.execute(text("DELETE FROM profile_blocks WHERE blocker_id = :a AND blocked_id = :b"),
                          {"a": account_id, "b": profile_id})
    return profile_id
