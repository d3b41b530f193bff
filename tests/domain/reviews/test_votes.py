"""Helpful votes: one per customer per review, never on one's own, undo allowed, a daily limit,
and an exact count when many customers vote and unvote at once on separate connections."""
import asyncio
from decimal import Decimal

import pytest

from domain.reviews import votes, writes
from domain.reviews.writes import ReviewLimits
from domain.shared.db import Database
from domain.shared.errors import DomainError
from tests.fixtures.customer_service import committed, new_customer
from tests.fixtures.db import fetch, fetchval

OPEN = ReviewLimits(Decimal("0"), 20)
VOTERS = 24


async def _review(db) -> tuple:
    author = await new_customer(db, "author")
    product_id = await fetchval(db, "SELECT id FROM products WHERE work_id IS NOT NULL ORDER BY id LIMIT 1")
    review_id = await committed(db, lambda s: writes.create_review(s, author, product_id, 4, None, "Good.", OPEN))
    return author, review_id


async def _count(db, review_id: int) -> int:
    return await fetchval(db, "SELECT helpful_votes FROM reviews WHERE id = $1", review_id)


async def test_vote_once_not_on_ones_own_and_undo(writable_demo_database):
    db = writable_demo_database
    author, review_id = await _review(db)
    voter = await new_customer(db, "voter")
    await committed(db, lambda s: votes.vote_helpful(s, voter, review_id))
    assert await _count(db, review_id) == 1
    with pytest.raises(DomainError) as twice:
        await committed(db, lambda s: votes.vote_helpful(s, voter, review_id))
    assert twice.value.code == "ALREADY_VOTED" and await _count(db, review_id) == 1
    with pytest.raises(DomainError) as own:
        await committed(db, lambda s: votes.vote_helpful(s, author, review_id))
    assert own.value.code == "OWN_REVIEW"
    await committed(db, lambda s: votes.remove_vote(s, voter, review_id))
    await committed(db, lambda s: votes.remove_vote(s, voter, review_id))
    assert await _count(db, review_id) == 0
    assert await fetchval(db, "SELECT count(*) FROM review_votes WHERE review_id = $1", review_id) == 0


async def test_no_votes_on_a_missing_or_withdrawn_review(writable_demo_database):
    db = writable_demo_database
    author, review_id = await _review(db)
    voter = await new_customer(db, "voter")
    await committed(db, lambda s: writes.delete_review(s, author, review_id))
    for use_case in (lambda s: votes.vote_helpful(s, voter, review_id),
                     lambda s: votes.remove_vote(s, voter, review_id),
                     lambda s: votes.vote_helpful(s, voter, 10**12)):
        with pytest.raises(DomainError) as caught:
            await committed(db, use_case)
        assert (caught.value.code, caught.value.field) == ("NOT_FOUND", ["input", "reviewId"])


async def test_the_daily_vote_limit(writable_demo_database):
    db = writable_demo_database
    voter = await new_customer(db, "voter")
    reviews = [r[0] for r in await fetch(db, "SELECT id FROM reviews WHERE status = 'PUBLISHED' ORDER BY id LIMIT 3")]
    for review_id in reviews[:2]:
        await committed(db, lambda s, r=review_id: votes.vote_helpful(s, voter, r, daily_limit=2))
    with pytest.raises(DomainError) as caught:
        await committed(db, lambda s: votes.vote_helpful(s, voter, reviews[2], daily_limit=2))
    assert caught.value.code == "RATE_LIMITED"
    assert await fetchval(db, "SELECT count(*) FROM review_votes WHERE account_id = $1", voter.account_id) == 2


async def test_counts_stay_exact_when_many_customers_vote_at_once(writable_demo_database):
    db = writable_demo_database
    _, first = await _review(db)
    _, second = await _review(db)
    voters = [await new_customer(db, "crowd") for _ in range(VOTERS)]
    # Each voter has a connection of its own; each votes on both reviews, some twice at once,
    # and every third takes one vote back.
    pools = [Database(db.url, pool_size=2) for _ in range(4)]

    async def act(i, voter):
        pool = pools[i % len(pools)]
        outcomes = await asyncio.gather(
            *(committed(pool, lambda s, r=r: votes.vote_helpful(s, voter, r)) for r in (first, second, first)),
            return_exceptions=True)
        assert sum(isinstance(o, DomainError) and o.code == "ALREADY_VOTED" for o in outcomes) == 1
        if i % 3 == 0:
            await committed(pool, lambda s: votes.remove_vote(s, voter, second))

    try:
        await asyncio.gather(*(act(i, v) for i, v in enumerate(voters)))
    finally:
        for pool in pools:
            await pool.close()
    kept = await committed(db, lambda s: votes.recount_votes(s, [first, second]))
    assert kept[first] == (VOTERS, VOTERS)
    assert kept[second] == (VOTERS - len(range(0, VOTERS, 3)),) * 2
