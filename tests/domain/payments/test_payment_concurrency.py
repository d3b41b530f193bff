"""Payments under real concurrency, on separate connections: refunds racing for the same
captured money never refund more than was captured, and authorizations retried at once with
one idempotency key authorize once."""
import asyncio

import asyncpg
import pytest

from domain.payments import service as payments
from domain.shared.errors import DomainError
from tests.domain.payments.helpers import captured, committed, fetch, new_key, usd

pytestmark = pytest.mark.one_copy_per_file


async def _all_waiting_then_go(db, lock: str, key, tasks_started, expected: int) -> list:
    """Hold a lock every racer needs until all `expected` of them wait on it, then let go."""
    holder, monitor = await asyncpg.connect(db.url), await asyncpg.connect(db.url)
    try:
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute(lock, key)
        tasks = tasks_started()
        waiting = 0
        for _ in range(300):
            waiting = await monitor.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
            if waiting == expected:
                break
            await asyncio.sleep(0.02)
        assert waiting == expected, "the racers did not all wait"
        await transaction.rollback()
    finally:
        await holder.close()
        await monitor.close()
    return tasks


async def _outcome(db, use_case) -> str:
    try:
        await committed(db, use_case)
    except DomainError as error:
        return error.code
    return "ok"


async def test_ten_concurrent_refunds_of_30_against_100_captured_refund_exactly_90(writable_database, provider):
    db = writable_database
    payment = await captured(db, provider, 100)
    racers = []

    def start():
        racers.extend(asyncio.create_task(_outcome(db, lambda s: payments.refund(
            s, provider, payment.id, usd(30), f"Refund {n}"))) for n in range(10))
        return racers

    await _all_waiting_then_go(db, "SELECT 1 FROM payments WHERE id = $1 FOR UPDATE", payment.id, start, 10)
    outcomes = await asyncio.gather(*racers)
    assert sorted(outcomes) == ["REFUND_EXCEEDS_CAPTURED"] * 7 + ["ok"] * 3
    row = (await fetch(db, "SELECT captured_minor, refunded_minor, status::text FROM payments WHERE id = $1",
                       payment.id))[0]
    assert tuple(row) == (100, 90, "PARTIALLY_REFUNDED")
    refunds = await fetch(db, "SELECT amount_minor FROM payment_transactions WHERE payment_id = $1 AND kind = 'REFUND'",
                          payment.id)
    assert [r[0] for r in refunds] == [30, 30, 30]
    at_provider = await fetch(db, "SELECT refunded_minor FROM test_provider_operations WHERE kind = 'CAPTURE'")
    assert [r[0] for r in at_provider] == [90]


@pytest.mark.own_copy
async def test_concurrent_authorizations_with_one_key_authorize_once(writable_database, provider):
    db = writable_database
    key = new_key("checkout")

    async def attempt(session):
        return await payments.authorize(session, provider, amount=usd(4200), payment_token="tok_visa",
                                        idempotency_key=key, reference="order:77")

    results = await asyncio.gather(*(committed(db, attempt) for _ in range(5)))
    assert len({p.id for p in results}) == 1
    assert len({p.provider_authorization_id for p in results}) == 1
    assert len(await fetch(db, "SELECT * FROM payments")) == 1
    assert len(await fetch(db, "SELECT * FROM payment_transactions")) == 1
    assert len(await fetch(db, "SELECT * FROM test_provider_operations")) == 1
