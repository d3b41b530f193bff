"""Delivery dates: a subscription delivers on its anchor day every `frequency` months. A month
without the anchor day delivers on its last day (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap
year), and the month after goes back to the anchor (Mar 31), so short months never pull the
schedule earlier for good."""
from __future__ import annotations

import calendar
from datetime import date


def on_anchor(year: int, month: int, anchor_day: int) -> date:
    """The anchor day of that month, or its last day when the month is shorter."""
    return date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def add_months(day: date, months: int, anchor_day: int) -> date:
    """The delivery date `months` after `day`, on the anchor day (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    return on_anchor(index // 12, index % 12 + 1, anchor_day)


def next_after(due: date, frequency_months: int, anchor_day: int, today: date) -> date:
    """The delivery date following `due`, skipping the dates already past: a scheduler that was
    down longer than a period delivers the late period once and resumes the schedule, rather
    than placing every missed period at once."""
    following = add_months(due, frequency_months, anchor_day)
    while following <= today:
        following = add_months(following, frequency_months, anchor_day)
    return following
