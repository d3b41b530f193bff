"""A join whose transaction dies after the provider charged the first period (the connection
killed before its commit): the charge's record, committed before the provider was asked,
stays. A retry of the same plan completes the membership with that charge (one provider
charge), also when two retries race on separate connections; a charge nobody came back for
within the hour is refunded by the sweep, once; a retry on the other plan is charged for it and
the forsaken charge refunded; a first answer that was a decline lets the retry's card pay."""
import asyncio

import pytest

from domain.shared.errors import DomainError
from tests.conftest import count_statements
from tests.fixtures import chaos
from tests.fixtures.customer_service import new_customer
from tests.fixtures.db import fetch
from tests.fixtures.subscriptions import charges, join, membership, renew

# A paid join: 9 statements before its first charge was recorded apart, 13 since.
FRESH = 13
GATE = "LOCK TABLE membership_charges IN SHARE MODE"


async def _crashed_join(db, provider, plan: str = "PRIME_MONTHLY"):
    customer = await new_customer(db, "joiner")
    killed = await chaos.kill_when_blocked(
        db.url, GATE, run=lambda: join(db, provider, customer.account_id, plan=plan, trial=False))
    assert killed.error is not None
    assert await fetch(db, "SELECT id FROM memberships WHERE account_id = $1", customer.account_id) == []
    assert [r["outcome"] for r in await _provider_ops(db, customer.account_id, "AUTHORIZE")] == ["SUCCEEDED"]
    assert [r["outcome"] for r in await _records(db, customer.account_id)] == [None]
    return customer


async def _provider_ops(db, account_id: int, kind: str) -> list[dict]:
    return [dict(r) for r in await fetch(
        db, "SELECT o.id, o.outcome, o.amount_minor, o.parent_id FROM test_provider_operations o"
            " LEFT JOIN test_provider_operations a ON a.id = o.parent_id"
            " WHERE o.kind = $2 AND coalesce(a.idempotency_key, o.idempotency_key) LIKE $1 ORDER BY o.created_at",
        f"prime-join:{account_id}:%", kind)]


async def _records(db, account_id: int) -> list[dict]:
    return [dict(r) for r in await fetch(
        db, "SELECT idempotency_key, plan::text AS plan, outcome, membership_id, provider_refund_id"
            " FROM prime_join_charges WHERE account_id = $1 ORDER BY created_at", account_id)]


async def test_a_retried_join_completes_with_the_charge_the_crashed_one_made(writable_database, provider, now):
    db = writable_database
    customer = await _crashed_join(db, provider)

    membership_id = await join(db, provider, customer.account_id, token="tok_mastercard", trial=False)

    row = await membership(db, membership_id)
    assert (row["status"], row["period_index"], row["payment_method_brand"]) == ("ACTIVE", 1, "mastercard")
    [capture] = await _provider_ops(db, customer.account_id, "CAPTURE")
    assert [(c["outcome"], c["amount_minor"]) for c in await charges(db, membership_id)] == [("SUCCEEDED", 1499)]
    assert (await fetch(db, "SELECT provider_charge_id FROM membership_charges WHERE membership_id = $1",
                        membership_id))[0]["provider_charge_id"] == capture["id"]
    assert [(r["outcome"], r["membership_id"]) for r in await _records(db, customer.account_id)] == [
        ("JOINED", membership_id)]
    assert len(await _provider_ops(db, customer.account_id, "AUTHORIZE")) == 1

    now.advance(hours=2)
    assert (await renew(db, provider)).joins_refunded == 0
    assert await _provider_ops(db, customer.account_id, "REFUND") == []


async def test_two_retries_racing_after_the_crash_make_one_membership_and_one_charge(writable_database, provider, now):
    db = writable_database
    customer = await _crashed_join(db, provider)

    results = await asyncio.gather(*(join(db, provider, customer.account_id, trial=False) for _ in range(2)),
                                   return_exceptions=True)

    joined = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(joined) == 1 and [e.code for e in refused] == ["ALREADY_MEMBER"], results
    assert len(await _provider_ops(db, customer.account_id, "AUTHORIZE")) == 1
    assert [r["outcome"] for r in await _records(db, customer.account_id)] == ["JOINED"]


async def test_a_charge_nobody_came_back_for_is_refunded_by_the_sweep_once(writable_database, provider, now):
    db = writable_database
    customer = await _crashed_join(db, provider)

    now.advance(minutes=59)
    assert (await renew(db, provider)).joins_refunded == 0  # a join may still be under way
    now.advance(minutes=2)
    results = await asyncio.gather(*(renew(db, provider) for _ in range(2)))
    assert sum(r.joins_refunded for r in results) == 1
    now.advance(hours=1)
    assert (await renew(db, provider)).joins_refunded == 0

    [capture] = await _provider_ops(db, customer.account_id, "CAPTURE")
    [refund] = await _provider_ops(db, customer.account_id, "REFUND")
    assert (refund["parent_id"], refund["amount_minor"]) == (capture["id"], 1499)
    [record] = await _records(db, customer.account_id)
    assert (record["outcome"], record["provider_refund_id"]) == ("REFUNDED", refund["id"])

    # Joining afterwards is a new charge of its own.
    membership_id = await join(db, provider, customer.account_id, trial=False)
    assert (await membership(db, membership_id))["status"] == "ACTIVE"
    assert len(await _provider_ops(db, customer.account_id, "CAPTURE")) == 2
    assert [r["outcome"] for r in await _records(db, customer.account_id)] == ["REFUNDED", "JOINED"]


async def test_a_retry_on_the_other_plan_pays_for_it_and_the_forsaken_charge_is_refunded(
        writable_database, provider, now):
    db = writable_database
    customer = await _crashed_join(db, provider)

    membership_id = await join(db, provider, customer.account_id, plan="PRIME_ANNUAL", trial=False)
    assert [c["amount_minor"] for c in await charges(db, membership_id)] == [13900]
    now.advance(hours=2)
    assert (await renew(db, provider)).joins_refunded == 1

    assert [c["amount_minor"] for c in await _provider_ops(db, customer.account_id, "CAPTURE")] == [1499, 13900]
    assert [r["amount_minor"] for r in await _provider_ops(db, customer.account_id, "REFUND")] == [1499]
    assert sorted((r["plan"], r["outcome"]) for r in await _records(db, customer.account_id)) == [
        ("PRIME_ANNUAL", "JOINED"), ("PRIME_MONTHLY", "REFUNDED")]


async def test_a_sweep_racing_a_late_retry_leaves_one_charge_kept(writable_database, provider, now):
    db = writable_database
    customer = await _crashed_join(db, provider)
    now.advance(hours=2)

    results = await asyncio.gather(join(db, provider, customer.account_id, trial=False), renew(db, provider))

    # Whichever took the record first: the retry joined with the first charge (nothing refunded),
    # or the sweep refunded it and the retry paid under a key of its own.
    membership_id, stats = results
    captures = await _provider_ops(db, customer.account_id, "CAPTURE")
    refunds = await _provider_ops(db, customer.account_id, "REFUND")
    assert len(captures) - len(refunds) == 1 and len(refunds) == stats.joins_refunded
    kept = {c["id"] for c in captures} - {r["parent_id"] for r in refunds}
    assert [r["provider_charge_id"] for r in await fetch(
        db, "SELECT provider_charge_id FROM membership_charges WHERE membership_id = $1", membership_id)] == list(kept)


async def test_after_a_declined_first_charge_the_retry_pays_with_its_own_card(writable_database, provider, now):
    db = writable_database
    customer = await new_customer(db, "joiner")
    with pytest.raises(DomainError) as declined:
        await join(db, provider, customer.account_id, token="tok_visa_declines_after_0", trial=False)
    assert declined.value.code == "PAYMENT_DECLINED"

    membership_id = await join(db, provider, customer.account_id, trial=False)

    assert (await membership(db, membership_id))["status"] == "ACTIVE"
    assert [r["outcome"] for r in await _provider_ops(db, customer.account_id, "AUTHORIZE")] == [
        "DECLINED", "SUCCEEDED"]
    assert sorted(r["outcome"] for r in await _records(db, customer.account_id)) == ["DECLINED", "JOINED"]


async def test_what_the_record_of_the_first_charge_costs_a_join_in_statements(writable_database, provider, now):
    db = writable_database
    first, second = await new_customer(db, "joiner"), await _crashed_join(db, provider)
    with count_statements() as fresh:
        await join(db, provider, first.account_id, trial=False)
    with count_statements() as retried:
        await join(db, provider, second.account_id, trial=False)
    # The record: looked for, written on its own connection, locked, settled (a retry finds it).
    assert (fresh.count, retried.count) == (FRESH, FRESH - 2), (fresh.statements, retried.statements)
