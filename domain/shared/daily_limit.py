"""Per-account limits on how many posts (reviews, questions, answers, votes) one account may
write in 24 hours.

A use case first locks the caller's account row, so two requests of the same account cannot
both pass the check with the last free slot; then one statement finds the row that fills the
limit, if any, and from its time how long until a slot frees."""
from __future__ import annotations

import math

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The tables whose rows count, each with its account column and creation time; a name from here
# is the only thing put into the statement.
COUNTED = frozenset({"reviews", "review_votes", "review_reports", "product_questions", "product_answers",
                     "answer_votes", "question_reports"})


async def lock_account(session: AsyncSession, account_id: int) -> None:
    """Serializes one account's writes until the transaction ends."""
    await session.execute(text("SELECT 1 FROM accounts WHERE id = :id FOR UPDATE"), {"id": account_id})


async def seconds_until_free(session: AsyncSession, table: str, account_id: int, limit: int) -> int | None:
    """None while the account has written fewer than `limit` rows of `table` in the last 24
    hours; else the whole seconds until the oldest of its newest `limit` rows is a day old."""
    if table not in COUNTED:
        raise ValueError(f"not a counted table: {table}")
    filled = (await session.execute(text(
        f"SELECT extract(epoch FROM created_at + interval '24 hours' - now()) FROM {table}"
        " WHERE account_id = :a AND created_at > now() - interval '24 hours'"
        " ORDER BY created_at DESC OFFSET :skip LIMIT 1"), {"a": account_id, "skip": limit - 1})).scalar()
    if filled is None:
        return None
    return max(1, math.ceil(float(filled)))
