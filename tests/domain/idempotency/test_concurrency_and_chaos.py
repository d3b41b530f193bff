"""Idempotency keys under real concurrency and failure, on separate connections: concurrent
retries run the use case once, and a connection killed in the middle of the use case leaves
no key and no write, so its retry runs exactly once. (The harness `placeOrder` will reuse.)"""
import asyncio

import pytest
from sqlalchemy.exc import DBAPIError

from domain.idempotency import service as idempotency
from domain.shared.db import Database
from tests.domain.idempotency import demo
from tests.fixtures import chaos
from tests.fixtures.db import suite_database


@pytest.fixture
async def db(writable_database):
    await demo.create_tables(writable_database)
    return writable_database


@pytest.fixture
async def racers(db):
    """A second engine with room for 20 connections at once."""
    racing = suite_database(db.url, pool_size=10)
    yield racing
    await racing.close()


async def test_twenty_concurrent_requests_with_one_key_write_once_and_all_get_the_first_answer(db, racers):
    # The first request claims the key, writes its order and stops at the gate (the stock row);
    # the other 19 arrive meanwhile and wait for its transaction on the key.
    async with chaos.gate(db.url, demo.STOCK_LOCK) as gate:
        first = asyncio.ensure_future(demo.place_order(racers, key="checkout-1", quantity=2))
        [leader] = await gate.blocked()
        rest = [asyncio.ensure_future(demo.place_order(racers, key="checkout-1", quantity=2)) for _ in range(19)]
        waiting = await chaos.wait_for_backends(db.url, 19, blocked_by=leader.pid)
        assert all("idempotency_keys" in backend.query for backend in waiting)
    answers = await asyncio.gather(first, *rest)

    assert answers[0] == demo.Answer(answers[0].order_id, replayed=False)
    assert answers[1:] == [demo.Answer(answers[0].order_id, replayed=True)] * 19
    after = await demo.state(db)
    assert [o[0] for o in after["orders"]] == [answers[0].order_id]
    assert after["available"] == demo.STOCK - 2
    assert [(k["status"], k["response"]) for k in after["keys"]] == [("COMPLETED", {"orderId": answers[0].order_id})]


async def test_when_the_first_of_concurrent_requests_rolls_back_one_waiting_request_runs_and_the_rest_replay_it(
        db, racers):
    async with chaos.gate(db.url, demo.STOCK_LOCK) as gate:
        first = asyncio.ensure_future(demo.place_order(racers, key="checkout-1", fail=True))
        [leader] = await gate.blocked()
        rest = [asyncio.ensure_future(demo.place_order(racers, key="checkout-1")) for _ in range(9)]
        await chaos.wait_for_backends(db.url, 9, blocked_by=leader.pid)
    with pytest.raises(demo.Declined):
        await first
    answers = await asyncio.gather(*rest)

    ran = [a for a in answers if not a.replayed]
    assert len(ran) == 1
    assert answers.count(demo.Answer(ran[0].order_id, replayed=True)) == 8
    after = await demo.state(db)
    assert [o[0] for o in after["orders"]] == [ran[0].order_id]
    assert after["available"] == demo.STOCK - 1


async def test_concurrent_requests_with_one_key_but_different_inputs_make_one_order_and_refuse_the_others(db, racers):
    async with chaos.gate(db.url, demo.STOCK_LOCK) as gate:
        first = asyncio.ensure_future(demo.place_order(racers, key="checkout-1", quantity=1))
        [leader] = await gate.blocked()
        other = asyncio.ensure_future(demo.place_order(racers, key="checkout-1", quantity=9))
        await chaos.wait_for_backends(db.url, 1, blocked_by=leader.pid)
    answer = await first
    with pytest.raises(idempotency.IdempotencyKeyReused):
        await other

    after = await demo.state(db)
    assert after["orders"] == [(answer.order_id, "account:1", "book", 1)]
    assert after["available"] == demo.STOCK - 1


async def test_a_request_that_waits_on_the_key_past_the_statement_timeout_is_told_to_retry_and_runs_nothing(db):
    impatient = Database(db.url, pool_size=1, statement_timeout_ms=300)
    try:
        async with chaos.gate(db.url, demo.STOCK_LOCK) as gate:
            first = asyncio.ensure_future(demo.place_order(db, key="checkout-1"))
            await gate.blocked()
            with pytest.raises(idempotency.IdempotencyKeyInProgress) as busy:
                await demo.place_order(impatient, key="checkout-1")
        answer = await first
        later = await demo.place_order(impatient, key="checkout-1")
    finally:
        await impatient.close()

    assert busy.value.code == "IDEMPOTENCY_KEY_IN_PROGRESS"
    assert later == demo.Answer(answer.order_id, replayed=True)
    assert [o[0] for o in (await demo.state(db))["orders"]] == [answer.order_id]


async def test_a_connection_killed_in_the_middle_leaves_no_key_and_no_write_and_the_retry_runs_exactly_once(db):
    steps = []

    killed = await chaos.kill_when_blocked(
        db.url, demo.STOCK_LOCK, run=lambda: demo.place_order(db, key="checkout-1", steps=steps))

    # it had claimed the key and written its order when its connection died, before COMMIT
    assert steps == ["claimed", "order written"]
    assert killed.victim.query.startswith("UPDATE demo_stock")
    assert isinstance(killed.error, DBAPIError)
    assert await demo.state(db) == {"orders": [], "available": demo.STOCK, "keys": []}

    retry = await demo.place_order(db, key="checkout-1")
    again = await demo.place_order(db, key="checkout-1")

    assert (retry.replayed, again) == (False, demo.Answer(retry.order_id, replayed=True))
    after = await demo.state(db)
    assert [o[0] for o in after["orders"]] == [retry.order_id]
    assert after["available"] == demo.STOCK - 1
    assert [(k["status"], k["response"]) for k in after["keys"]] == [("COMPLETED", {"orderId": retry.order_id})]


async def test_a_transaction_paused_before_commit_is_found_by_its_last_statement_and_killed(db):
    paused, resume = asyncio.Event(), asyncio.Event()

    async def pause():
        paused.set()
        await resume.wait()

    attempt = asyncio.ensure_future(demo.place_order(db, key="checkout-1", pause=pause))
    await paused.wait()
    victim = await chaos.terminate_backend(db.url, query_like="UPDATE idempotency_keys SET %",
                                           state="idle in transaction", application_name="tributary")
    resume.set()
    with pytest.raises(DBAPIError):
        await attempt

    assert victim.state == "idle in transaction"
    assert await demo.state(db) == {"orders": [], "available": demo.STOCK, "keys": []}
    assert not (await demo.place_order(db, key="checkout-1")).replayed
    assert len((await demo.state(db))["orders"]) == 1
