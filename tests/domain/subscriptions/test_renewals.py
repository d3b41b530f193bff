"""Renewals by the worker: a due membership is charged once for the next period (also by a worker
that was down for days), periods follow their anchor across month ends, leap days and
daylight-saving changes, and a plan switch takes effect at the renewal. Races and crashes:
test_renewal_concurrency.py and test_renewal_chaos.py."""
from datetime import UTC, datetime, timedelta

import pytest

from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions
from domain.subscriptions.plans import add_months
from tests.fixtures.subscriptions import (
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


@pytest.mark.own_copy
async def test_a_due_membership_is_renewed_once_and_the_next_period_is_not_due_before_it_ends(
        writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider)
    joined = now.at
    end = joined.replace(month=4)

    now.set(end - timedelta(seconds=1))
    assert (await renew(db, provider)).renewed == 0
    now.set(end)
    assert (await renew(db, provider)).renewed == 1
    assert (await renew(db, provider)).renewed == 0

    row = await membership(db, membership_id)
    assert (row["status"], row["current_period_start"], row["current_period_end"], row["next_attempt_at"]) == (
        "ACTIVE", end, joined.replace(month=5), joined.replace(month=5))
    assert [(c["period_start"], c["outcome"]) for c in await charges(db, membership_id)] == [
        (joined, "SUCCEEDED"), (end, "SUCCEEDED")]
    assert len(await provider_charges(db, membership_id)) == 2
    assert await emails(db) == ["prime_joined", "prime_renewed"]
    assert await event_kinds(db, membership_id) == ["JOINED", "RENEWED"]


@pytest.mark.own_copy
async def test_a_worker_down_for_three_days_catches_up_charging_one_period(writable_database, provider, now):
    db = writable_database
    _, membership_id = await member(db, provider)
    joined = now.at
    now.set(joined.replace(month=4) + timedelta(days=3))

    assert (await renew(db, provider)).renewed == 1
    for _ in range(3):
        now.advance(hours=1)
        assert (await renew(db, provider)).renewed == 0

    row = await membership(db, membership_id)
    # The period starts where the last one ended, not when the worker came back.
    assert (row["current_period_start"], row["current_period_end"]) == (joined.replace(month=4), joined.replace(month=5))
    assert len(await provider_charges(db, membership_id)) == 2


async def test_month_ends_count_from_the_anchor(writable_database, provider, now):
    db = writable_database
    now.set(datetime(2027, 1, 31, 12, 0, tzinfo=UTC))
    _, membership_id = await member(db, provider)
    ends = []
    for _ in range(3):
        row = await membership(db, membership_id)
        ends.append(row["current_period_end"])
        now.set(row["current_period_end"])
        await renew(db, provider)

    assert ends == [datetime(2027, 2, 28, 12, tzinfo=UTC), datetime(2027, 3, 31, 12, tzinfo=UTC),
                    datetime(2027, 4, 30, 12, tzinfo=UTC)]


def test_add_months_clamps_to_short_months_and_leap_days():
    assert add_months(datetime(2028, 1, 31, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)
    assert add_months(datetime(2027, 1, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2028, 2, 29, tzinfo=UTC), 12) == datetime(2029, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2028, 2, 29, tzinfo=UTC), 48) == datetime(2032, 2, 29, tzinfo=UTC)
    assert add_months(datetime(2027, 12, 15, tzinfo=UTC), 1) == datetime(2028, 1, 15, tzinfo=UTC)


@pytest.mark.own_copy
async def test_an_annual_membership_joined_on_a_leap_day_renews_on_february_28_then_29(
        writable_database, provider, now):
    db = writable_database
    now.set(datetime(2028, 2, 29, 9, 0, tzinfo=UTC))
    _, membership_id = await member(db, provider, plan="PRIME_ANNUAL")
    assert (await membership(db, membership_id))["current_period_end"] == datetime(2029, 2, 28, 9, tzinfo=UTC)
    ends = []
    for _ in range(4):
        now.set((await membership(db, membership_id))["current_period_end"])
        assert (await renew(db, provider)).renewed == 1
        ends.append((await membership(db, membership_id))["current_period_end"])

    assert ends == [datetime(2030, 2, 28, 9, tzinfo=UTC), datetime(2031, 2, 28, 9, tzinfo=UTC),
                    datetime(2032, 2, 29, 9, tzinfo=UTC), datetime(2033, 2, 28, 9, tzinfo=UTC)]
    assert [c["amount_minor"] for c in await charges(db, membership_id)] == [13900] * 5


async def test_a_renewal_on_a_daylight_saving_change_keeps_its_utc_instant_and_charges_once(
        writable_database, provider, now):
    db = writable_database
    # 02:30 in New York (EST) on February 8; clocks there spring forward at 07:00 UTC on March 8.
    now.set(datetime(2026, 2, 8, 7, 30, tzinfo=UTC))
    _, membership_id = await member(db, provider)
    renewal = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT: the local hour moved, the instant did not
    assert (await membership(db, membership_id))["current_period_end"] == renewal

    now.set(renewal - timedelta(minutes=1))
    assert (await renew(db, provider)).renewed == 0
    now.set(renewal)
    assert (await renew(db, provider)).renewed == 1
    now.advance(hours=1)  # the hour the local clock skipped: nothing more to charge
    assert (await renew(db, provider)).renewed == 0

    row = await membership(db, membership_id)
    assert (row["current_period_start"], row["current_period_end"]) == (renewal, datetime(2026, 4, 8, 7, 30,
                                                                                          tzinfo=UTC))
    assert len(await provider_charges(db, membership_id)) == 2


async def test_a_plan_switch_takes_effect_at_the_next_renewal(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider)
    end = now.at.replace(month=4)
    await committed(db, lambda s: subscriptions.change_prime_plan(s, Principal(account_id=customer.account_id),
                                                                  "PRIME_ANNUAL"))
    row = await membership(db, membership_id)
    assert (row["plan"], row["next_plan"]) == ("PRIME_MONTHLY", "PRIME_ANNUAL")

    now.set(end)
    await renew(db, provider)

    row = await membership(db, membership_id)
    assert (row["plan"], row["next_plan"], row["current_period_start"], row["current_period_end"]) == (
        "PRIME_ANNUAL", None, end, end.replace(year=end.year + 1))
    assert [(c["plan"], c["amount_minor"]) for c in await charges(db, membership_id)] == [
        ("PRIME_MONTHLY", 1499), ("PRIME_ANNUAL", 13900)]
    reader = await db.reader()
    try:
        history = await subscriptions.history(reader, membership_id)
    finally:
        await reader.close()
    assert [(e.kind, e.status) for e in history] == [
        ("JOINED", "ACTIVE"), ("PLAN_CHANGE_SCHEDULED", "ACTIVE"), ("PLAN_CHANGED", "ACTIVE"), ("RENEWED", "ACTIVE")]
    assert history[2].details == {"from": "PRIME_MONTHLY", "to": "PRIME_ANNUAL"}
    # And back: choosing the current plan again cancels a scheduled switch.
    principal = Principal(account_id=customer.account_id)
    await committed(db, lambda s: subscriptions.change_prime_plan(s, principal, "PRIME_MONTHLY"))
    await committed(db, lambda s: subscriptions.change_prime_plan(s, principal, "PRIME_ANNUAL"))
    assert (await membership(db, membership_id))["next_plan"] is None
