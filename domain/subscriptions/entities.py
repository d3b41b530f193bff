"""A membership as the use cases load it (locked), with the rules that depend only on it: when
it is over, what its next period is, whether a cancel refunds, what a resume returns it to."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.subscriptions import plans
from domain.subscriptions.statuses import MembershipStatus


@dataclass(frozen=True, slots=True)
class NextPeriod:
    plan: str
    anchor: datetime
    index: int
    start: datetime
    end: datetime


@dataclass(slots=True)
class Membership:
    id: int
    account_id: int
    plan: str
    next_plan: str | None
    status: str
    provider: str
    payment_method_id: str
    payment_method_brand: str | None
    payment_method_last4: str | None
    anchor_at: datetime
    period_index: int
    current_period_start: datetime
    current_period_end: datetime
    trial_ends_at: datetime | None
    trial_reminded_at: datetime | None
    next_attempt_at: datetime | None
    failed_attempts: int
    grace_started_at: datetime | None
    cancelled_at: datetime | None
    ends_at: datetime | None
    benefit_used_at: datetime | None
    created_at: datetime

    def is_over(self, now: datetime) -> bool:
        """A cancelled membership whose benefits have ended (the worker closes it as ENDED)."""
        return self.status == MembershipStatus.CANCELLED and self.ends_at <= now

    @property
    def in_trial(self) -> bool:
        """The current period is the free trial (period 0 of its anchor)."""
        return self.period_index == 0

    def next_period(self) -> NextPeriod:
        """The period that follows the current one: on the same anchor, or, when a plan switch
        is scheduled, the new plan's first period anchored at the current period's end."""
        start = self.current_period_end
        if self.next_plan and self.next_plan != self.plan:
            return NextPeriod(self.next_plan, start, 1, start, plans.period_end(start, self.next_plan, 1))
        index = self.period_index + 1
        return NextPeriod(self.plan, self.anchor_at, index, start, plans.period_end(self.anchor_at, self.plan, index))

    def refunds_on_cancel(self, paid: Any, now: datetime, refund_days: int) -> bool:
        """A cancel refunds the period's charge (`paid`: its row, or None) when it comes within
        `refund_days` of it, nothing was refunded of it yet, and no benefit was used since."""
        return (paid is not None and paid["refunded_minor"] == 0
                and now - paid["created_at"] <= timedelta(days=refund_days)
                and (self.benefit_used_at is None or self.benefit_used_at < paid["created_at"]))

    def status_on_resume(self) -> MembershipStatus:
        return MembershipStatus.TRIAL if self.in_trial else MembershipStatus.ACTIVE
