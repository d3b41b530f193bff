"""A worker killed after the provider charged a renewal and before its commit, then a member who
replaces the card before the next sweep: the next sweep cannot repeat the request (same key,
another card), reads the key's first answer back and records the old card's charge as the
period's. One provider charge, the period advanced, the new card never charged for it; the
same with two sweeps racing on separate connections, and with a first answer that was a
decline (the new card is then tried at the next sweep)."""
import asyncio

from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions
from tests.fixtures import chaos
from tests.fixtures.db import fetch
from tests.fixtures.subscriptions import charges, committed, member, membership, renew

GATE = "LOCK TABLE membership_charges IN SHARE MODE"


async def _crash_then_replace_card(db, provider, now, token: str = "tok_visa"):
    customer, membership_id = await member(db, provider, token=token)
    before = await membership(db, membership_id)
    now.advance(days=31)
    killed = await chaos.kill_when_blocked(db.url, GATE, run=lambda: renew(db, provider))
    assert killed.error is not None
    assert await membership(db, membership_id) == before
    await committed(db, lambda s: subscriptions.update_prime_payment_method(
        s, Principal(account_id=customer.account_id), provider, "tok_mastercard"))
    after = await membership(db, membership_id)
    assert after["payment_method_id"] != before["payment_method_id"]
    return membership_id, before, after


async def _attempts(db, membership_id: int) -> list[tuple[str, str, str]]:
    """(key, payment method, outcome) of each charge the provider saw for the membership."""
    return [(r["idempotency_key"], r["payment_token"], r["outcome"]) for r in await fetch(
        db, "SELECT idempotency_key, payment_token, outcome FROM test_provider_operations WHERE kind = 'AUTHORIZE'"
            " AND (idempotency_key LIKE $1 OR idempotency_key IN (SELECT idempotency_key FROM prime_join_charges"
            " WHERE membership_id = $2)) ORDER BY created_at", f"prime:{membership_id}:%", membership_id)]


async def _assert_renewed_once_with_the_old_card(db, membership_id, before, after):
    old, new = before["payment_method_id"], after["payment_method_id"]
    attempts = await _attempts(db, membership_id)
    assert [(method, outcome) for _, method, outcome in attempts] == [(old, "SUCCEEDED"), (old, "SUCCEEDED")]
    row = await membership(db, membership_id)
    assert (row["status"], row["period_index"]) == ("ACTIVE", 2)
    assert (row["current_period_start"], row["failed_attempts"]) == (before["current_period_end"], 0)
    assert row["payment_method_id"] == new  # the next period is the new card's
    recorded = await fetch(db, "SELECT idempotency_key, outcome::text AS outcome, provider_charge_id"
                               " FROM membership_charges WHERE membership_id = $1 ORDER BY id", membership_id)
    assert [r["outcome"] for r in recorded] == ["SUCCEEDED", "SUCCEEDED"]
    assert recorded[1]["idempotency_key"] == attempts[1][0]
    capture = await fetch(db, "SELECT c.id FROM test_provider_operations c JOIN test_provider_operations a"
                              " ON a.id = c.parent_id WHERE a.idempotency_key = $1", attempts[1][0])
    assert recorded[1]["provider_charge_id"] == capture[0]["id"]


async def test_after_a_crash_and_a_card_change_the_sweep_records_the_old_cards_charge_once(
        writable_database, provider, now):
    db = writable_database
    membership_id, before, after = await _crash_then_replace_card(db, provider, now)

    assert (await renew(db, provider)).renewed == 1
    await _assert_renewed_once_with_the_old_card(db, membership_id, before, after)

    # The next sweeps find nothing due: never stuck, never charged again.
    now.advance(hours=1)
    stats = await renew(db, provider)
    assert (stats.renewed, stats.errors) == (0, 0)
    assert len(await _attempts(db, membership_id)) == 2


async def test_two_sweeps_racing_after_the_crash_and_the_card_change_record_one_charge(
        writable_database, provider, now):
    db = writable_database
    membership_id, before, after = await _crash_then_replace_card(db, provider, now)

    results = await asyncio.gather(*(renew(db, provider) for _ in range(2)))

    assert sum(r.renewed for r in results) == 1
    assert sum(r.errors for r in results) == 0
    await _assert_renewed_once_with_the_old_card(db, membership_id, before, after)


async def test_a_decline_before_the_crash_counts_and_the_new_card_is_tried_at_the_next_sweep(
        writable_database, provider, now):
    db = writable_database
    membership_id, before, after = await _crash_then_replace_card(db, provider, now, token="tok_visa_declines_after_1")

    stats = await renew(db, provider)
    assert (stats.declined, stats.errors) == (1, 0)
    row = await membership(db, membership_id)
    assert (row["status"], row["failed_attempts"]) == ("GRACE", 1)
    assert row["next_attempt_at"] == now.at

    now.advance(hours=1)
    assert (await renew(db, provider)).renewed == 1
    old, new = before["payment_method_id"], after["payment_method_id"]
    assert [(m, o) for _, m, o in await _attempts(db, membership_id)] == [
        (old, "SUCCEEDED"), (old, "DECLINED"), (new, "SUCCEEDED")]
    assert [(c["attempt"], c["outcome"]) for c in await charges(db, membership_id)] == [
        (1, "SUCCEEDED"), (1, "DECLINED"), (2, "SUCCEEDED")]
    row = await membership(db, membership_id)
    assert (row["status"], row["period_index"]) == ("ACTIVE", 2)
