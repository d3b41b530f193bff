"""Helpful votes on answers: one per customer per published answer, never on one's own, undone
by removing it, at most TRIBUTARY_ANSWER_VOTE_DAILY_LIMIT a day (apart from review votes);
counted exactly under races by the shared statement pattern (`domain/shared/helpful_votes.py`)."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.questions.errors import QuestionErrorCode
from domain.shared.config import get_settings
from domain.shared.helpful_votes import HelpfulVotes
from domain.shared.principal import Principal

VOTES = HelpfulVotes(noun="answer", posts="product_answers", votes="answer_votes", key="answer_id",
                     field="answerId", codes=QuestionErrorCode, own_code=QuestionErrorCode.OWN_ANSWER)


async def vote_helpful(session: AsyncSession, principal: Principal, answer_id: int,
                       daily_limit: int | None = None) -> int:
    """Count the caller's helpful vote on someone else's published answer."""
    return await VOTES.vote(session, principal, answer_id, daily_limit or get_settings().answer_vote_daily_limit)


async def remove_vote(session: AsyncSession, principal: Principal, answer_id: int) -> int:
    """Undo the caller's helpful vote on an answer; without one, nothing changes."""
    return await VOTES.remove(session, principal, answer_id)


async def recount_votes(session: AsyncSession, answer_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(kept count, counted votes) per answer: for checks."""
    return await VOTES.recount(session, answer_ids)
