"""The member is e-mailed at each step, through the outbox: the worker renders and sends every
membership e-mail (trial started and ending, renewed, payment failed, lapsed, cancelled and
refunded) with the dates and amounts of the membership."""
from datetime import timedelta

import pytest

from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions
from tests.fixtures.customer_service import new_customer
from tests.fixtures.jobs import RecordingSender, worker
from tests.fixtures.subscriptions import SETTINGS, committed, join, member, renew

pytestmark = pytest.mark.one_copy_per_file


async def _sent(db, provider) -> list[str]:
    sender = RecordingSender()
    stats = await worker(db, sender, payments=provider).run_once()
    assert stats.failed == 0, stats
    return [message.subject for message in sender.sent]


async def test_each_step_of_a_membership_is_e_mailed(writable_database, provider, now):
    db = writable_database
    customer = await new_customer(db)
    await join(db, provider, customer.account_id, token="tok_visa_declines_after_1")
    trial_end = now.at + timedelta(days=30)
    now.set(trial_end - timedelta(days=3))
    await renew(db, provider)
    now.set(trial_end)
    await renew(db, provider)
    period_end = (await committed(db, lambda s: subscriptions.membership_of(s, SETTINGS, customer.account_id))
                  ).current_period_end
    for day in (0, 1, 3, 7):
        now.set(period_end + timedelta(days=day))
        await renew(db, provider)
    refunded, _ = await member(db, provider)
    await committed(db, lambda s: subscriptions.cancel_prime(s, Principal(account_id=refunded.account_id), provider,
                                                             SETTINGS))

    subjects = await _sent(db, provider)

    assert subjects == [
        "Your free Prime Monthly trial has started", "Your Prime trial ends on April 9, 2027",
        "Your Prime Monthly membership was renewed"] + ["We could not renew your Prime membership"] * 3 + [
        "Your Prime membership has ended", "Welcome to Prime Monthly",
        "Your Prime membership is cancelled and refunded"]
