"""Prime plans and how their periods are counted.

Periods are computed in UTC from an anchor: the n-th period of a plan ends at the anchor plus
n times the plan's months, on the anchor's day of the month, or the month's last day when it
has fewer days (Jan 31 + 1 month = Feb 28, or 29 in a leap year; + 2 months = Mar 31: counted
from the anchor, a short month never shortens the later ones). The time of day is the
anchor's, in UTC, so a daylight-saving change moves the local hour of a renewal, never its
instant or the period's length in days. A trial lasts a number of days; its end anchors the
first paid period. Switching plans re-anchors at the renewal that switches."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime

from domain.shared.config import Settings
from domain.shared.money import Money
from domain.subscriptions.statuses import MembershipPlan

CURRENCY = "USD"
MONTHS = {MembershipPlan.PRIME_MONTHLY: 1, MembershipPlan.PRIME_ANNUAL: 12}


@dataclass(frozen=True, slots=True)
class Plan:
    plan: MembershipPlan
    price: Money
    months: int
    trial_days: int


def plans(settings: Settings) -> list[Plan]:
    """The plans on offer, at the prices the settings give (a price change applies to each
    membership from its next charge)."""
    return [plan_of(settings, code) for code in MembershipPlan]


def plan_of(settings: Settings, code: MembershipPlan | str) -> Plan:
    code = MembershipPlan(code)
    price = settings.prime_monthly_price if code is MembershipPlan.PRIME_MONTHLY else settings.prime_annual_price
    return Plan(code, Money.from_amount(price, CURRENCY), MONTHS[code], settings.prime_trial_days)


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` (made UTC) plus whole months, clamped to the last day of a shorter month."""
    moment = moment.astimezone(UTC)
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def period_end(anchor: datetime, plan: MembershipPlan | str, index: int) -> datetime:
    """The end of the `index`-th period counted from `anchor` (index 0 is the anchor itself)."""
    return add_months(anchor, MONTHS[MembershipPlan(plan)] * index)
