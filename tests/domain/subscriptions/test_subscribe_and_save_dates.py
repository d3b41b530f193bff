"""Delivery dates stay on the subscription's day of the month: month ends clamp, leap years give
Feb 29, and the next month returns to the anchor day."""
from datetime import date

from domain.subscriptions.subscribe_and_save.dates import add_months, next_after


def test_jan_31_plus_one_month_is_the_last_day_of_february():
    assert add_months(date(2027, 1, 31), 1, 31) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1, 31) == date(2028, 2, 29)


def test_after_a_short_month_the_schedule_returns_to_its_anchor_day():
    assert add_months(date(2027, 2, 28), 1, 31) == date(2027, 3, 31)
    assert add_months(date(2027, 3, 31), 1, 31) == date(2027, 4, 30)
    assert add_months(date(2028, 2, 29), 1, 30) == date(2028, 3, 30)


def test_a_leap_day_anchor_lands_on_feb_28_in_common_years_and_crosses_the_year():
    assert add_months(date(2028, 2, 29), 12, 29) == date(2029, 2, 28)
    assert add_months(date(2027, 11, 15), 3, 15) == date(2028, 2, 15)
    assert add_months(date(2027, 12, 31), 6, 31) == date(2028, 6, 30)


def test_the_next_date_skips_dates_a_stopped_scheduler_missed():
    assert next_after(date(2027, 4, 10), 1, 10, today=date(2027, 4, 13)) == date(2027, 5, 10)
    assert next_after(date(2027, 4, 10), 1, 10, today=date(2027, 6, 20)) == date(2027, 7, 10)
    assert next_after(date(2027, 4, 10), 2, 10, today=date(2027, 4, 10)) == date(2027, 6, 10)
