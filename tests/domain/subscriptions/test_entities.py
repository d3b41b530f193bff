"""The membership's own rules, without a database: the next period (on its anchor, or re-anchored
by a plan switch), the refund rule of a cancel, and what a resume returns to."""
from datetime import UTC, datetime, timedelta

from domain.subscriptions.entities import Membership

JAN_31 = datetime(2027, 1, 31, 12, tzinfo=UTC)


def _membership(**changes) -> Membership:
    values = dict(id=1, account_id=1, plan="PRIME_MONTHLY", next_plan=None, status="ACTIVE", provider="test",
                  payment_method_id="pm", payment_method_brand=None, payment_method_last4=None, anchor_at=JAN_31,
                  period_index=1, current_period_start=JAN_31, current_period_end=datetime(2027, 2, 28, 12, tzinfo=UTC),
                  trial_ends_at=None, trial_reminded_at=None, next_attempt_at=None, failed_attempts=0,
                  grace_started_at=None, cancelled_at=None, ends_at=None, benefit_used_at=None, created_at=JAN_31)
    return Membership(**{**values, **changes})


def test_the_next_period_stays_on_the_anchor_so_a_short_month_does_not_shorten_the_next():
    period = _membership().next_period()
    assert (period.start, period.end, period.index, period.anchor) == (
        datetime(2027, 2, 28, 12, tzinfo=UTC), datetime(2027, 3, 31, 12, tzinfo=UTC), 2, JAN_31)


def test_a_plan_switch_anchors_the_new_plan_at_the_renewal():
    period = _membership(next_plan="PRIME_ANNUAL").next_period()
    feb_28 = datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert (period.plan, period.anchor, period.index, period.end) == (
        "PRIME_ANNUAL", feb_28, 1, datetime(2028, 2, 28, 12, tzinfo=UTC))


def test_a_cancel_refunds_within_the_window_with_no_benefit_used_since_the_charge():
    paid = {"refunded_minor": 0, "created_at": JAN_31}
    within = JAN_31 + timedelta(days=3)
    assert _membership().refunds_on_cancel(paid, within, 3) is True
    assert _membership().refunds_on_cancel(paid, within + timedelta(seconds=1), 3) is False
    assert _membership(benefit_used_at=JAN_31 + timedelta(hours=1)).refunds_on_cancel(paid, within, 3) is False
    # A benefit used before the charge (during the trial) does not count.
    assert _membership(benefit_used_at=JAN_31 - timedelta(days=1)).refunds_on_cancel(paid, within, 3) is True
    assert _membership().refunds_on_cancel({**paid, "refunded_minor": 1}, within, 3) is False
    assert _membership().refunds_on_cancel(None, within, 3) is False


def test_a_resumed_trial_is_a_trial_again():
    assert _membership(period_index=0).status_on_resume() == "TRIAL"
    assert _membership().status_on_resume() == "ACTIVE"
