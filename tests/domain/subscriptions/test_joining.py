"""Joining Prime: a first member gets the free trial and pays nothing now, a returning one pays
at once and may not ask for a second trial, a member cannot join twice, and a declined card
writes nothing."""
import asyncio
from datetime import timedelta

import pytest

from domain.payments.provider import PaymentDeclined
from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions
from domain.subscriptions.errors import MembershipError
from tests.fixtures.customer_service import new_customer, snapshot
from tests.fixtures.db import fetchval
from tests.fixtures.subscriptions import (
    SETTINGS,
    TABLES,
    benefits,
    charges,
    committed,
    emails,
    join,
    member,
    membership,
    provider_charges,
    renew,
)

pytestmark = pytest.mark.one_copy_per_file


@pytest.mark.own_copy
async def test_a_first_member_starts_a_30_day_trial_charged_nothing_with_the_card_saved(writable_database, provider,
                                                                                         now):
    db = writable_database
    customer = await new_customer(db)

    membership_id = await join(db, provider, customer.account_id)

    row = await membership(db, membership_id)
    assert (row["status"], row["plan"], row["trial_ends_at"], row["current_period_end"], row["next_attempt_at"]) == (
        "TRIAL", "PRIME_MONTHLY", now.at + timedelta(days=30), now.at + timedelta(days=30), now.at + timedelta(days=30))
    assert (row["payment_method_brand"], row["payment_method_last4"]) == ("visa", "4242")
    assert row["payment_method_id"].startswith("tp_pm_")
    assert await charges(db, membership_id) == []
    assert await provider_charges(db, membership_id) == []
    assert await emails(db) == ["prime_trial_started"]
    assert (await benefits(db, customer.account_id)).free_two_day is True


@pytest.mark.own_copy
async def test_the_trial_converts_at_its_end_with_a_reminder_three_days_before(writable_database, provider, now):
    db = writable_database
    customer = await new_customer(db)
    membership_id = await join(db, provider, customer.account_id)
    trial_end = now.at + timedelta(days=30)

    now.set(trial_end - timedelta(days=3, hours=1))
    assert (await renew(db, provider)).reminded == 0
    now.set(trial_end - timedelta(days=3))
    assert (await renew(db, provider)).reminded == 1
    assert (await renew(db, provider)).reminded == 0
    now.set(trial_end)
    stats = await renew(db, provider)

    assert stats.renewed == 1
    row = await membership(db, membership_id)
    assert (row["status"], row["current_period_start"], row["current_period_end"]) == (
        "ACTIVE", trial_end, trial_end.replace(month=trial_end.month + 1))
    assert [(c["amount_minor"], c["outcome"], c["period_start"]) for c in await charges(db, membership_id)] == [
        (1499, "SUCCEEDED", trial_end)]
    assert await emails(db) == ["prime_trial_started", "prime_trial_ending", "prime_renewed"]


async def test_a_second_trial_is_refused_and_a_returning_member_pays_at_once(writable_database, provider, now):
    db = writable_database
    customer = await new_customer(db)
    first = await join(db, provider, customer.account_id)
    await committed(db, lambda s: subscriptions.cancel_prime(s, Principal(account_id=customer.account_id), provider,
                                                             SETTINGS))
    now.advance(days=31)
    assert not (await benefits(db, customer.account_id)).is_member
    before = await snapshot(db, TABLES)

    with pytest.raises(MembershipError) as refused:
        await join(db, provider, customer.account_id, trial=True)

    assert (refused.value.code, refused.value.field) == ("TRIAL_ALREADY_USED", ["input", "trial"])
    assert await snapshot(db, TABLES) == before
    again = await join(db, provider, customer.account_id, plan="PRIME_ANNUAL")
    row = await membership(db, again)
    assert (row["status"], row["trial_ends_at"], row["current_period_end"]) == (
        "ACTIVE", None, now.at.replace(year=now.at.year + 1))
    assert [(c["amount_minor"], c["plan"]) for c in await charges(db, again)] == [(13900, "PRIME_ANNUAL")]
    assert (await membership(db, first))["status"] == "ENDED"


async def test_joining_while_a_member_is_refused_and_writes_nothing(writable_database, provider, now):
    db = writable_database
    customer, _ = await member(db, provider)
    before = await snapshot(db, TABLES)

    with pytest.raises(MembershipError) as refused:
        await join(db, provider, customer.account_id, plan="PRIME_ANNUAL")

    assert refused.value.code == "ALREADY_MEMBER"
    assert await snapshot(db, TABLES) == before


@pytest.mark.parametrize("token", ["tok_declined", "tok_insufficient_funds", "tok_unknown"])
async def test_a_declined_card_writes_nothing(writable_database, provider, now, token):
    db = writable_database
    customer = await new_customer(db)
    before = await snapshot(db, TABLES)

    with pytest.raises(PaymentDeclined) as declined:
        await join(db, provider, customer.account_id, token=token)

    assert (declined.value.code, declined.value.field) == ("PAYMENT_DECLINED", ["input", "paymentToken"])
    assert await snapshot(db, TABLES) == before
    assert not (await benefits(db, customer.account_id)).is_member


async def test_a_card_declined_on_the_first_charge_writes_nothing(writable_database, provider, now):
    db = writable_database
    customer = await new_customer(db)
    before = await snapshot(db, TABLES)

    with pytest.raises(PaymentDeclined):
        await join(db, provider, customer.account_id, token="tok_visa_declines_after_0", trial=False)

    assert await snapshot(db, TABLES) == before


@pytest.mark.own_copy
async def test_concurrent_joins_of_one_account_make_one_membership(writable_database, provider, now):
    db = writable_database
    customer = await new_customer(db)

    async def attempt():
        try:
            await join(db, provider, customer.account_id, trial=False)
        except MembershipError as error:
            return error.code
        return "ok"

    outcomes = await asyncio.gather(*(attempt() for _ in range(4)))

    assert sorted(outcomes) == ["ALREADY_MEMBER"] * 3 + ["ok"]
    assert await fetchval(db, "SELECT count(*) FROM memberships WHERE account_id = $1", customer.account_id) == 1
    assert await fetchval(db, "SELECT count(*) FROM membership_charges") == 1
