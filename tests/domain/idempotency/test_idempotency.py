"""Idempotency keys, one request at a time: the same key and request answer like the first time,
a different request under a used key is refused with nothing written, a failed attempt leaves
the key free, keys are per caller, and expire."""
from datetime import timedelta

import pytest

from domain.idempotency import service as idempotency
from domain.shared import clock
from domain.shared.errors import InvalidInput, Unauthenticated
from domain.shared.principal import ANONYMOUS, Principal
from domain.shared.unit_of_work import UnitOfWork
from tests.conftest import count_statements
from tests.domain.idempotency import demo


@pytest.fixture
async def db(writable_database):
    await demo.create_tables(writable_database)
    return writable_database


async def test_a_retry_with_the_same_key_and_request_answers_with_the_first_order_and_writes_nothing(db):
    first = await demo.place_order(db, key="checkout-7f3a", quantity=2)
    again = await demo.place_order(db, key="checkout-7f3a", quantity=2)

    assert (first.replayed, again) == (False, demo.Answer(first.order_id, replayed=True))
    after = await demo.state(db)
    assert after["orders"] == [(first.order_id, "account:1", "book", 2)]
    assert after["available"] == demo.STOCK - 2
    [key] = after["keys"]
    assert (key["scope"], key["operation"], key["key"], key["status"], key["response"]) == \
        ("account:1", demo.OPERATION, "checkout-7f3a", "COMPLETED", {"orderId": first.order_id})
    assert key["request_hash"] == idempotency.request_hash({"item": "book", "quantity": 2})


async def test_the_same_key_with_a_different_request_is_refused_and_nothing_changes(db):
    first = await demo.place_order(db, key="checkout-1", quantity=1)
    before = await demo.state(db)

    with pytest.raises(idempotency.IdempotencyKeyReused) as refused:
        await demo.place_order(db, key="checkout-1", quantity=3)

    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"
    assert refused.value.field == ["input", "idempotencyKey"]
    assert await demo.state(db) == before
    assert before["orders"] == [(first.order_id, "account:1", "book", 1)]


async def test_a_new_key_is_a_new_order(db):
    first = await demo.place_order(db, key="checkout-1")
    second = await demo.place_order(db, key="checkout-2")

    assert first.order_id != second.order_id and not second.replayed
    assert len((await demo.state(db))["orders"]) == 2


async def test_a_failed_attempt_leaves_no_key_and_its_retry_runs_once(db):
    steps = []
    with pytest.raises(demo.Declined):
        await demo.place_order(db, key="checkout-1", fail=True, steps=steps)
    assert steps == ["claimed", "order written", "stock reserved"]
    assert await demo.state(db) == {"orders": [], "available": demo.STOCK, "keys": []}

    retry = await demo.place_order(db, key="checkout-1")

    assert not retry.replayed
    after = await demo.state(db)
    assert [o[0] for o in after["orders"]] == [retry.order_id]
    assert [k["response"] for k in after["keys"]] == [{"orderId": retry.order_id}]


async def test_a_failure_that_keeps_its_changes_and_releases_the_key_lets_the_retry_run(db):
    with pytest.raises(demo.Declined):
        await demo.place_order(db, key="checkout-1", fail=True, keep_changes=True, release=True)
    assert (await demo.state(db))["keys"] == []

    retry = await demo.place_order(db, key="checkout-1")

    assert not retry.replayed
    assert [k["status"] for k in (await demo.state(db))["keys"]] == ["COMPLETED"]


async def test_a_key_a_committed_failure_left_without_an_answer_is_taken_over_by_the_same_request_only(db):
    with pytest.raises(demo.Declined):
        await demo.place_order(db, key="checkout-1", fail=True, keep_changes=True)  # forgot to release
    [left] = (await demo.state(db))["keys"]
    assert (left["status"], left["response"]) == ("IN_PROGRESS", None)

    with pytest.raises(idempotency.IdempotencyKeyReused):
        await demo.place_order(db, key="checkout-1", quantity=5)
    retry = await demo.place_order(db, key="checkout-1")

    assert not retry.replayed
    [key] = (await demo.state(db))["keys"]
    assert (key["status"], key["response"]) == ("COMPLETED", {"orderId": retry.order_id})


async def test_one_callers_key_never_meets_anothers(db):
    ada = await demo.place_order(db, scope=idempotency.account_scope(1), key="same-key", quantity=1)
    bob = await demo.place_order(db, scope=idempotency.account_scope(2), key="same-key", quantity=4)
    guest = await demo.place_order(db, scope=idempotency.guest_scope("cart-token-abc"), key="same-key", quantity=2)

    assert len({ada.order_id, bob.order_id, guest.order_id}) == 3
    assert not (ada.replayed or bob.replayed or guest.replayed)
    assert (await demo.state(db))["available"] == demo.STOCK - 7


def test_the_scope_is_the_account_when_signed_in_else_the_guest_cart_token_hash():
    assert idempotency.scope_of(Principal(account_id=42)) == "account:42"
    guest = idempotency.scope_of(ANONYMOUS, guest_token="secret-cart-token")
    assert guest == idempotency.guest_scope("secret-cart-token") and guest.startswith("guest:")
    assert "secret-cart-token" not in guest and len(guest) == len("guest:") + 64
    with pytest.raises(Unauthenticated):
        idempotency.scope_of(ANONYMOUS)


async def test_an_expired_key_is_a_new_key(db, monkeypatch):
    first = await demo.place_order(db, key="checkout-1", quantity=1)
    later = clock.now() + idempotency.DEFAULT_TTL + timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)

    again = await demo.place_order(db, key="checkout-1", quantity=3)  # even with another request

    assert not again.replayed and again.order_id != first.order_id
    [key] = (await demo.state(db))["keys"]
    assert key["response"] == {"orderId": again.order_id}
    assert key["request_hash"] == idempotency.request_hash({"item": "book", "quantity": 3})


@pytest.mark.parametrize("key", ["", " ", "a" * 201, "has space", "tab\there", "new\nline", "café", None, 12])
async def test_malformed_keys_are_refused_before_anything_is_written(db, key):
    with pytest.raises(InvalidInput) as refused:
        await demo.place_order(db, key=key)

    assert refused.value.code == "IDEMPOTENCY_KEY_INVALID"
    assert refused.value.field == ["input", "idempotencyKey"]
    assert await demo.state(db) == {"orders": [], "available": demo.STOCK, "keys": []}


@pytest.mark.parametrize("key", ["a", "a" * 200, "6f1c2d8e-3b7a-4c59-9e21-0d4f5a6b7c8d", "01HZX3K6Q9R2T4V6W8Y0A2C4E6",
                                 "b64+/=_-.~:!"])
def test_uuids_ulids_and_other_visible_ascii_keys_up_to_200_characters_are_accepted(key):
    assert idempotency.validate_key(key) == key


async def test_a_first_request_costs_two_statements_and_a_replay_two(db):
    async with UnitOfWork(db) as uow:
        with count_statements() as first:
            claimed = await idempotency.claim(uow.session, "account:9", "demo.count", "k", {"n": 1})
            await idempotency.complete(uow.session, claimed, {"orderId": 1})
        await uow.commit()
    async with UnitOfWork(db) as uow:
        with count_statements() as replay:
            outcome = await idempotency.claim(uow.session, "account:9", "demo.count", "k", {"n": 1})

    assert isinstance(claimed, idempotency.Claimed) and outcome == idempotency.Replay({"orderId": 1})
    assert (first.count, replay.count) == (2, 2)


async def test_idempotent_runs_the_action_once_and_replays_its_response(db):
    calls = []

    async def action():
        calls.append(1)
        return {"orderId": 77, "number": "TRB-2026-0000077-3"}

    outcomes = []
    for _ in range(2):
        async with UnitOfWork(db) as uow:
            outcomes.append(await idempotency.idempotent(uow.session, "account:1", "demo.wrap", "k", {"a": 1}, action))
            await uow.commit()

    assert calls == [1]
    assert outcomes == [idempotency.Outcome({"orderId": 77, "number": "TRB-2026-0000077-3"}, replayed=False),
                        idempotency.Outcome({"orderId": 77, "number": "TRB-2026-0000077-3"}, replayed=True)]


async def test_completing_a_key_this_transaction_did_not_claim_is_a_programming_error(db):
    async with UnitOfWork(db) as uow:
        stranger = idempotency.Claimed("account:1", "demo.x", "never-claimed", idempotency.request_hash({}))
        with pytest.raises(RuntimeError):
            await idempotency.complete(uow.session, stranger, {"orderId": 1})
