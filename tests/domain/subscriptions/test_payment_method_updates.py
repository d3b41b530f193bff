"""Replacing a membership's card: the next renewal charges the new card; a member in grace is
retried with it at the next sweep, and a new card that is declined too never brings the lapse
before day 7; refusals write nothing; a replacement racing a sweep on separate connections
charges the period once."""
import asyncio
from datetime import timedelta

import pytest

from domain.shared.errors import DomainError
from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions
from tests.fixtures.customer_service import snapshot
from tests.fixtures.db import fetch
from tests.fixtures.subscriptions import (
    SETTINGS,
    TABLES,
    charges,
    committed,
    emails,
    event_kinds,
    member,
    membership,
    provider_charges,
    renew,
)


def _replace(db, provider, customer, token: str = "tok_mastercard"):
    return committed(db, lambda s: subscriptions.update_prime_payment_method(
        s, Principal(account_id=customer.account_id), provider, token))


async def _charged_methods(db, membership_id: int) -> list[tuple[str, str]]:
    """(payment method, outcome) of each charge attempt the provider saw, in order."""
    return [(r["payment_token"], r["outcome"]) for r in await fetch(
        db, "SELECT payment_token, outcome FROM test_provider_operations WHERE kind = 'AUTHORIZE'"
            " AND (idempotency_key LIKE $1 OR idempotency_key IN (SELECT idempotency_key FROM prime_join_charges"
            " WHERE membership_id = $2)) ORDER BY created_at", f"prime:{membership_id}:%", membership_id)]


async def test_the_next_renewal_charges_the_new_card(writable_database, provider, now):
    db = writable_database
    # The first card would decline the renewal.
    customer, membership_id = await member(db, provider, token="tok_visa_declines_after_1")
    old = await membership(db, membership_id)

    await _replace(db, provider, customer)

    row = await membership(db, membership_id)
    assert (row["payment_method_brand"], row["payment_method_last4"], row["status"]) == ("mastercard", "4444", "ACTIVE")
    assert row["payment_method_id"] != old["payment_method_id"]
    assert row["next_attempt_at"] == old["next_attempt_at"]  # nothing is charged before the period ends
    now.set(old["current_period_end"])
    assert (await renew(db, provider)).renewed == 1
    assert await _charged_methods(db, membership_id) == [(old["payment_method_id"], "SUCCEEDED"),
                                                         (row["payment_method_id"], "SUCCEEDED")]
    assert (await event_kinds(db, membership_id))[-2:] == ["PAYMENT_METHOD_UPDATED", "RENEWED"]
    assert await emails(db) == ["prime_joined", "prime_payment_method_updated", "prime_renewed"]


async def test_a_member_in_grace_who_replaces_the_card_is_renewed_by_the_next_sweep(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider, token="tok_visa_declines_after_1")
    due = (await membership(db, membership_id))["current_period_end"]
    now.set(due)
    assert (await renew(db, provider)).declined == 1

    now.set(due + timedelta(hours=2))
    await _replace(db, provider, customer)
    row = await membership(db, membership_id)
    assert (row["status"], row["next_attempt_at"]) == ("GRACE", due + timedelta(hours=2))
    now.set(due + timedelta(hours=3))  # the next hourly sweep, not day 1 of the schedule
    stats = await renew(db, provider)

    assert (stats.renewed, stats.declined) == (1, 0)
    row = await membership(db, membership_id)
    assert (row["status"], row["current_period_start"], row["failed_attempts"], row["grace_started_at"]) == (
        "ACTIVE", due, 0, None)
    assert [(c["attempt"], c["outcome"]) for c in await charges(db, membership_id)] == [
        (1, "SUCCEEDED"), (1, "DECLINED"), (2, "SUCCEEDED")]
    assert (await renew(db, provider)).renewed == 0


async def test_new_cards_declined_in_grace_never_bring_the_lapse_before_day_7(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider, token="tok_visa_declines_after_1")
    due = (await membership(db, membership_id))["current_period_end"]
    now.set(due)
    await renew(db, provider)

    # Five cards in the first hours, each saved, each declined by its prompt retry.
    for hour in range(1, 6):
        now.set(due + timedelta(hours=hour))
        await _replace(db, provider, customer, token="tok_visa_declines_after_0")
        assert (await renew(db, provider)).declined == 1
        row = await membership(db, membership_id)
        assert (row["status"], row["next_attempt_at"]) == ("GRACE", due + timedelta(days=1))

    for day, status in ((1, "GRACE"), (3, "GRACE"), (7, "LAPSED")):
        now.set(due + timedelta(days=day))
        await renew(db, provider)
        assert (await membership(db, membership_id))["status"] == status
    assert (await membership(db, membership_id))["ends_at"] == due + timedelta(days=7)
    assert len(await provider_charges(db, membership_id)) == 1 + 1 + 5 + 3


async def test_refusals_are_typed_and_write_nothing(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider)
    outsider, _ = await member(db, provider)
    await committed(db, lambda s: subscriptions.cancel_prime(s, Principal(account_id=outsider.account_id), provider,
                                                             SETTINGS))
    before = await snapshot(db, TABLES)
    methods = await fetch(db, "SELECT count(*) AS n FROM test_provider_payment_methods")

    refused = {}
    for name, who, token in (("declined", customer, "tok_declined"), ("blank", customer, ""),
                             ("provider down", customer, "tok_error"), ("not a member", outsider, "tok_visa")):
        with pytest.raises(DomainError) as error:
            await _replace(db, provider, who, token)
        refused[name] = (error.value.code, error.value.field)

    assert refused == {"declined": ("PAYMENT_DECLINED", ["input", "paymentToken"]),
                       "blank": ("INVALID", ["input", "paymentToken"]),
                       "provider down": ("PAYMENT_PROVIDER_ERROR", ["input", "paymentToken"]),
                       "not a member": ("NOT_A_MEMBER", None)}
    assert await snapshot(db, TABLES) == before
    assert await fetch(db, "SELECT count(*) AS n FROM test_provider_payment_methods") == methods
    assert (await membership(db, membership_id))["payment_method_last4"] == "4242"


async def test_a_replacement_racing_the_sweep_on_separate_connections_charges_the_period_once(
        writable_database, provider, now):
    db = writable_database
    customers = [await member(db, provider, token="tok_visa_declines_after_1") for _ in range(3)]
    ends = {m: (await membership(db, m))["current_period_end"] for _, m in customers}
    due = max(ends.values())
    now.set(due)
    assert (await renew(db, provider)).declined == 3
    # A first new card, which the prompt retry would charge...
    now.set(due + timedelta(hours=2))
    for customer, _ in customers:
        await _replace(db, provider, customer, token="tok_visa_declines_after_1")

    # ... and a second one given while sweeps run: the membership's row lock orders them.
    await asyncio.gather(*(renew(db, provider) for _ in range(3)),
                         *(_replace(db, provider, customer) for customer, _ in customers))
    await renew(db, provider)

    for _, membership_id in customers:
        paid = [c for c in await charges(db, membership_id) if c["outcome"] == "SUCCEEDED"]
        # The first period's charge at joining, then one for the period that was unpaid.
        assert [c["period_start"] for c in paid][1:] == [ends[membership_id]]
        row = await membership(db, membership_id)
        assert (row["status"], row["current_period_start"], row["payment_method_brand"]) == (
            "ACTIVE", ends[membership_id], "mastercard")
