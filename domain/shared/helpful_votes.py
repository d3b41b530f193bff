"""Helpful votes on customers' posts (reviews, answers): one per customer per post, never on
one's own, only on published posts, undone by removing it, at most so many per account a day.

The post's `helpful_votes` is kept by one statement pattern: the vote row is inserted (or
deleted) first, and only a statement that changed a vote row moves the count, by one, on the
post's locked row. Two customers voting at once each add their own vote to the committed
count; a customer voting twice at once inserts one row, so counts one."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared.daily_limit import lock_account, seconds_until_free
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal


@dataclass(frozen=True)
class HelpfulVotes:
    """Where one kind of post keeps its votes, and the codes its mutations answer with.
    `codes` has NOT_FOUND, ALREADY_VOTED and RATE_LIMITED; `own_code` refuses a vote on one's
    own post. Table and column names are constants of the calling context, never input."""

    noun: str
    posts: str
    votes: str
    key: str
    field: str
    codes: type[StrEnum]
    own_code: StrEnum

    def _missing(self) -> NotFound:
        return NotFound(f"No such {self.noun}.", code=self.codes["NOT_FOUND"], field=["input", self.field])

    async def vote(self, session: AsyncSession, principal: Principal, post_id: int, daily_limit: int) -> int:
        """Count the caller's helpful vote on someone else's published post."""
        account_id = principal.require_signed_in()
        author = (await session.execute(text(
            f"SELECT account_id FROM {self.posts} WHERE id = :r AND status = 'PUBLISHED'"), {"r": post_id})).scalar()
        if author is None:
            raise self._missing()
        if author == account_id:
            raise DomainError(f"You cannot vote on your own {self.noun}.", code=self.own_code,
                              field=["input", self.field])
        await lock_account(session, account_id)
        wait = await seconds_until_free(session, self.votes, account_id, daily_limit)
        if wait is not None:
            raise DomainError(f"At most {daily_limit} helpful votes on {self.noun}s per 24 hours: try again later.",
                              code=self.codes["RATE_LIMITED"], extensions={"retryAfterSeconds": wait})
        inserted = (await session.execute(text(
            f"INSERT INTO {self.votes} ({self.key}, account_id) VALUES (:r, :a) ON CONFLICT DO NOTHING RETURNING 1"),
            {"r": post_id, "a": account_id})).scalar()
        if inserted is None:
            raise DomainError(f"You have already found this {self.noun} helpful.", code=self.codes["ALREADY_VOTED"],
                              field=["input", self.field])
        await session.execute(text(f"UPDATE {self.posts} SET helpful_votes = helpful_votes + 1 WHERE id = :r"),
                              {"r": post_id})
        return post_id

    async def remove(self, session: AsyncSession, principal: Principal, post_id: int) -> int:
        """Undo the caller's helpful vote; without one, nothing changes."""
        account_id = principal.require_signed_in()
        exists = (await session.execute(text(
            f"SELECT 1 FROM {self.posts} WHERE id = :r AND status <> 'DELETED'"), {"r": post_id})).scalar()
        if exists is None:
            raise self._missing()
        removed = (await session.execute(text(
            f"DELETE FROM {self.votes} WHERE {self.key} = :r AND account_id = :a RETURNING 1"),
            {"r": post_id, "a": account_id})).scalar()
        if removed is not None:
            await session.execute(text(f"UPDATE {self.posts} SET helpful_votes = helpful_votes - 1 WHERE id = :r"),
                                  {"r": post_id})
        return post_id

    async def recount(self, session: AsyncSession, post_ids: list[int]) -> dict[int, tuple[int, int]]:
        """(kept count, counted votes) per post: for checks."""
        rows = (await session.execute(text(
            f"SELECT r.id, r.helpful_votes, (SELECT count(*) FROM {self.votes} v WHERE v.{self.key} = r.id)"
            f" FROM {self.posts} r WHERE r.id = ANY(:ids)"), {"ids": post_ids})).all()
        return {r[0]: (r[1], r[2]) for r in rows}
