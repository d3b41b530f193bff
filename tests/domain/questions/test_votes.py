"""Helpful votes on answers: the daily limits of questions, answers and votes (each its own), and
an exact count when many customers vote and unvote at once on separate connections."""
import asyncio

import pytest

from domain.questions import votes, writes
from domain.questions.writes import QuestionLimits
from domain.shared.db import Database
from domain.shared.errors import DomainError
from domain.shared.principal import Principal
from tests.fixtures.customer_service import committed, new_customer
from tests.fixtures.db import execute, fetchval

OPEN = QuestionLimits(100, 100)
VOTERS = 24


async def _product(db) -> int:
    return await fetchval(db, "SELECT min(id) FROM products WHERE archived_at IS NULL")


async def _answer(db) -> int:
    asker, answerer = await new_customer(db, "asker"), await new_customer(db, "answerer")
    product_id = await _product(db)
    question_id = await committed(db, lambda s: writes.ask_question(s, asker, product_id, "Does it fit?", OPEN))
    return await committed(db, lambda s: writes.answer_question(s, answerer, question_id, "It does.", limits=OPEN))


async def test_daily_limits_of_questions_answers_and_votes(writable_demo_database):
    db = writable_demo_database
    product_id = await _product(db)
    customer = await new_customer(db, "busy")
    tight = QuestionLimits(2, 1)
    asked = [await committed(db, lambda s, i=i: writes.ask_question(s, customer, product_id, f"Q{i}?", tight))
             for i in range(2)]
    with pytest.raises(DomainError) as caught:
        await committed(db, lambda s: writes.ask_question(s, customer, product_id, "One more?", tight))
    assert caught.value.code == "RATE_LIMITED" and 0 < caught.value.extensions["retryAfterSeconds"] <= 86400
    await committed(db, lambda s: writes.answer_question(s, customer, asked[0], "Yes.", limits=tight))
    with pytest.raises(DomainError) as caught:
        await committed(db, lambda s: writes.answer_question(s, customer, asked[1], "No.", limits=tight))
    assert caught.value.code == "RATE_LIMITED"
    answers = [await _answer(db) for _ in range(3)]
    for answer_id in answers[:2]:
        await committed(db, lambda s, a=answer_id: votes.vote_helpful(s, customer, a, daily_limit=2))
    with pytest.raises(DomainError) as caught:
        await committed(db, lambda s: votes.vote_helpful(s, customer, answers[2], daily_limit=2))
    assert caught.value.code == "RATE_LIMITED"
    assert await fetchval(db, "SELECT count(*) FROM product_questions WHERE account_id = $1", customer.account_id) == 2
    assert await fetchval(db, "SELECT count(*) FROM product_answers WHERE account_id = $1", customer.account_id) == 1
    assert await fetchval(db, "SELECT count(*) FROM answer_votes WHERE account_id = $1", customer.account_id) == 2


async def test_no_votes_on_a_hidden_or_withdrawn_answer(writable_demo_database):
    db = writable_demo_database
    hidden, withdrawn = await _answer(db), await _answer(db)
    voter = await new_customer(db, "voter")
    await execute(db, "UPDATE product_answers SET status = 'HIDDEN', hidden_at = now() WHERE id = $1", hidden)
    author = await fetchval(db, "SELECT account_id FROM product_answers WHERE id = $1", withdrawn)
    await committed(db, lambda s: writes.delete_answer(s, Principal(account_id=author), withdrawn))
    for answer_id in (hidden, withdrawn, 10**12):
        with pytest.raises(DomainError) as caught:
            await committed(db, lambda s, a=answer_id: votes.vote_helpful(s, voter, a))
        assert (caught.value.code, caught.value.field) == ("NOT_FOUND", ["input", "answerId"])


async def test_counts_stay_exact_when_many_customers_vote_at_once(writable_demo_database):
    db = writable_demo_database
    first, second = await _answer(db), await _answer(db)
    voters = [await new_customer(db, "crowd") for _ in range(VOTERS)]
    # Each voter has a connection of its own; each votes on both answers, some twice at once,
    # and every third takes one vote back.
    pools = [Database(db.url, pool_size=2) for _ in range(4)]

    async def act(i, voter):
        pool = pools[i % len(pools)]
        outcomes = await asyncio.gather(
            *(committed(pool, lambda s, a=a: votes.vote_helpful(s, voter, a)) for a in (first, second, first)),
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
