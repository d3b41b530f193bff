"""A declined renewal opens a grace period (benefits kept) with retries on days 1, 3 and 7, then
the membership lapses; a cancel keeps the benefits to the end of the paid period, or refunds
the charge when it comes within 3 days of it with no benefit used; a cancel can be taken back."""
from datetime import timedelta

import pytest

from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions
from domain.subscriptions.errors import MembershipError
from tests.fixtures.customer_service import snapshot
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.subscriptions import (
    SETTINGS,
    TABLES,
    benefits,
    charges,
    committed,
    emails,
    event_kinds,
    member,
    membership,
    provider_charges,
    renew,
)

pytestmark = pytest.mark.one_copy_per_file


def _cancel(db, provider, customer):
    return committed(db, lambda s: subscriptions.cancel_prime(s, Principal(account_id=customer.account_id),
                                                              provider, SETTINGS))


@pytest.mark.own_copy
async def test_a_declined_renewal_is_retried_on_days_1_3_and_7_then_lapses(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider, token="tok_visa_declines_after_1")
    due = now.at.replace(month=4)
    now.set(due)

    assert (await renew(db, provider)).declined == 1
    row = await membership(db, membership_id)
    assert (row["status"], row["failed_attempts"], row["next_attempt_at"]) == ("GRACE", 1, due + timedelta(days=1))
    assert (await benefits(db, customer.account_id)).free_two_day is True  # grace keeps the benefits

    retried = []
    for day in (1, 3, 7):
        now.set(due + timedelta(days=day) - timedelta(minutes=1))
        assert (await renew(db, provider)).declined + (await renew(db, provider)).lapsed == 0
        now.set(due + timedelta(days=day))
        stats = await renew(db, provider)
        retried.append((stats.declined, stats.lapsed))
        if day < 7:
            assert (await benefits(db, customer.account_id)).is_member

    assert retried == [(1, 0), (1, 0), (0, 1)]
    row = await membership(db, membership_id)
    assert (row["status"], row["ends_at"], row["next_attempt_at"]) == ("LAPSED", due + timedelta(days=7), None)
    assert not (await benefits(db, customer.account_id)).is_member
    attempts = await charges(db, membership_id)
    assert [(c["attempt"], c["outcome"], c["decline_code"]) for c in attempts[1:]] == [
        (n, "DECLINED", "card_declined") for n in (1, 2, 3, 4)]
    assert {c["period_start"] for c in attempts[1:]} == {due}
    assert len(await provider_charges(db, membership_id)) == 5
    assert await emails(db) == ["prime_joined"] + ["prime_payment_failed"] * 3 + ["prime_lapsed"]
    assert (await renew(db, provider)).lapsed == 0


async def test_a_retry_that_succeeds_in_grace_renews_from_the_unpaid_period(writable_database, provider, now):
    db = writable_database
    _, membership_id = await member(db, provider)
    method = (await membership(db, membership_id))["payment_method_id"]
    due = now.at.replace(month=4)
    await provider.decline_charges(method)
    now.set(due)
    await renew(db, provider)
    await provider.decline_charges(method, None)
    now.set(due + timedelta(days=1))

    assert (await renew(db, provider)).renewed == 1

    row = await membership(db, membership_id)
    assert (row["status"], row["failed_attempts"], row["grace_started_at"], row["current_period_start"],
            row["current_period_end"]) == ("ACTIVE", 0, None, due, due.replace(month=5))
    assert [(c["attempt"], c["outcome"]) for c in (await charges(db, membership_id))[1:]] == [
        (1, "DECLINED"), (2, "SUCCEEDED")]
    assert await event_kinds(db, membership_id) == ["JOINED", "PAYMENT_FAILED", "RENEWED"]


@pytest.mark.own_copy
async def test_a_cancel_keeps_the_benefits_to_the_end_of_the_paid_period(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider)
    end = now.at.replace(month=4)
    now.advance(days=4)

    await _cancel(db, provider, customer)

    row = await membership(db, membership_id)
    assert (row["status"], row["ends_at"], row["cancelled_at"], row["next_attempt_at"]) == (
        "CANCELLED", end, now.at, None)
    assert (await benefits(db, customer.account_id)).benefits_end_at == end
    now.set(end - timedelta(seconds=1))
    assert (await benefits(db, customer.account_id)).is_member
    now.set(end)
    assert not (await benefits(db, customer.account_id)).is_member
    stats = await renew(db, provider)
    assert (stats.renewed, stats.ended) == (0, 1)
    assert (await membership(db, membership_id))["status"] == "ENDED"
    assert len(await charges(db, membership_id)) == 1
    assert await emails(db) == ["prime_joined", "prime_cancelled"]


@pytest.mark.own_copy
async def test_a_cancel_within_3_days_of_the_charge_with_no_benefit_used_refunds_it(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider)
    now.advance(days=2, hours=23)

    await _cancel(db, provider, customer)

    row = await membership(db, membership_id)
    assert (row["status"], row["ends_at"]) == ("ENDED", now.at)
    assert [c["refunded_minor"] for c in await charges(db, membership_id)] == [1499]
    refunds = await fetch(db, "SELECT amount_minor FROM test_provider_operations WHERE kind = 'REFUND'")
    assert [r["amount_minor"] for r in refunds] == [1499]
    assert not (await benefits(db, customer.account_id)).is_member
    assert await event_kinds(db, membership_id) == ["JOINED", "REFUNDED"]
    assert await emails(db) == ["prime_joined", "prime_cancelled_refunded"]


@pytest.mark.own_copy
async def test_no_refund_after_3_days_or_once_a_benefit_was_used(writable_database, provider, now):
    db = writable_database
    late, late_id = await member(db, provider)
    used, used_id = await member(db, provider)
    await committed(db, lambda s: subscriptions.record_benefit_use(s, used.account_id, "FREE_DELIVERY"))
    now.advance(hours=1)
    await _cancel(db, provider, used)
    now.advance(days=3)
    await _cancel(db, provider, late)

    for membership_id in (late_id, used_id):
        assert (await membership(db, membership_id))["status"] == "CANCELLED"
        assert [c["refunded_minor"] for c in await charges(db, membership_id)] == [0]
    assert await fetchval(db, "SELECT count(*) FROM test_provider_operations WHERE kind = 'REFUND'") == 0
    assert "BENEFIT_USED" in await event_kinds(db, used_id)


async def test_a_cancelled_trial_ends_with_the_trial_uncharged(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider, trial=None)
    trial_end = now.at + timedelta(days=30)
    await _cancel(db, provider, customer)
    now.set(trial_end)
    await renew(db, provider)
    assert (await membership(db, membership_id))["status"] == "ENDED"
    assert await charges(db, membership_id) == []


@pytest.mark.own_copy
async def test_resume_takes_back_a_cancel_and_the_membership_renews(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider)
    principal = Principal(account_id=customer.account_id)
    end = now.at.replace(month=4)
    now.advance(days=5)
    await _cancel(db, provider, customer)
    await committed(db, lambda s: subscriptions.resume_prime(s, principal))

    row = await membership(db, membership_id)
    assert (row["status"], row["ends_at"], row["cancelled_at"], row["next_attempt_at"]) == ("ACTIVE", None, None, end)
    now.set(end)
    assert (await renew(db, provider)).renewed == 1

    before = await snapshot(db, TABLES)
    with pytest.raises(MembershipError) as refused:
        await committed(db, lambda s: subscriptions.resume_prime(s, principal))
    assert refused.value.code == "NOT_CANCELLED"
    assert await snapshot(db, TABLES) == before


async def test_refusals_name_their_cause_and_write_nothing(writable_database, provider, now):
    db = writable_database
    customer, _ = await member(db, provider)
    outsider = Principal(account_id=(await member(db, provider))[0].account_id + 10_000_000)
    principal = Principal(account_id=customer.account_id)
    now.advance(days=4)  # past the refund window: the cancel keeps the membership to its end
    await _cancel(db, provider, customer)
    before = await snapshot(db, TABLES)
    refusals = {
        "cancel twice": lambda s: subscriptions.cancel_prime(s, principal, provider, SETTINGS),
        "switch while cancelled": lambda s: subscriptions.change_prime_plan(s, principal, "PRIME_ANNUAL"),
        "cancel without membership": lambda s: subscriptions.cancel_prime(s, outsider, provider, SETTINGS),
        "resume without membership": lambda s: subscriptions.resume_prime(s, outsider),
    }
    codes = {}
    for name, use_case in refusals.items():
        with pytest.raises(MembershipError) as refused:
            await committed(db, use_case)
        codes[name] = refused.value.code
    assert codes == {"cancel twice": "ALREADY_CANCELLED", "switch while cancelled": "ALREADY_CANCELLED",
                     "cancel without membership": "NOT_A_MEMBER", "resume without membership": "NOT_A_MEMBER"}
    assert await snapshot(db, TABLES) == before
