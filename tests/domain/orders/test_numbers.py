"""Order numbers: TRB-YYYY-NNNNNNN-C from a sequence, with a Damm check digit that turns typos
into ORDER_NUMBER_INVALID instead of someone else's order."""
import asyncio
from datetime import UTC, datetime

import pytest

from domain.orders.numbers import OrderNumber, check_digit, format_order_number, next_order_number, parse_order_number
from domain.shared import clock
from domain.shared.errors import InvalidInput
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import suite_database

pytestmark = pytest.mark.one_copy_per_file


def test_the_number_is_prefix_year_zero_padded_sequence_and_check_digit():
    assert format_order_number(2026, 1234) == "TRB-2026-0001234-6"
    assert format_order_number(2027, 1) == "TRB-2027-0000001-" + str(check_digit("20270000001"))
    assert format_order_number(2026, 12_345_678) == "TRB-2026-12345678-8"  # grows past seven digits


def test_the_check_digit_matches_the_published_damm_example():
    assert check_digit("572") == 4
    assert check_digit("5724") == 0  # a number followed by its check digit checks to zero


def test_every_single_mistyped_digit_is_caught():
    number = format_order_number(2026, 1234)
    digits = [i for i, c in enumerate(number) if c.isdigit()]
    for i in digits:
        for d in "0123456789":
            if d != number[i]:
                typo = number[:i] + d + number[i + 1:]
                with pytest.raises(InvalidInput):
                    parse_order_number(typo)


def test_every_swap_of_two_adjacent_digits_is_caught():
    for sequence in (1234, 9_876_543, 1_020_304, 5_500_055):
        compact = format_order_number(2026, sequence).replace("-", "")[3:]
        for i in range(len(compact) - 1):
            if compact[i] != compact[i + 1]:
                swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2:]
                with pytest.raises(InvalidInput):
                    parse_order_number("TRB" + swapped)


@pytest.mark.parametrize("typed", ["TRB-2026-0001234-6", "trb-2026-0001234-6", "  TRB 2026 0001234 6 ",
                                   "TRB202600012346", "Trb-2026-000-1234-6"])
def test_a_number_typed_in_any_case_with_or_without_separators_parses_to_its_canonical_form(typed):
    parsed = parse_order_number(typed)
    assert parsed == OrderNumber(2026, 1234)
    assert str(parsed) == "TRB-2026-0001234-6"


@pytest.mark.parametrize("typed", ["", "TRB", "TRB-2026-0001234", "TRB-2026-1234-6", "ABC-2026-0001234-6",
                                   "TRB-2026-0001234-7", "TRB-26-0001234-6", "TRB-2026-000I234-6",
                                   "TRB-2026-0000000-" + str(check_digit("20260000000")),
                                   "TRB-2026-" + "1" * 40 + "-1", None, 20260001234])
def test_anything_else_is_order_number_invalid(typed):
    with pytest.raises(InvalidInput) as refused:
        parse_order_number(typed, field=["number"])
    assert refused.value.code == "ORDER_NUMBER_INVALID"
    assert refused.value.field == ["number"]


async def test_numbers_come_from_the_sequence_in_order_dated_with_the_current_year(writable_database, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC))
    async with UnitOfWork(writable_database) as uow:
        first = await next_order_number(uow.session)
        second = await next_order_number(uow.session)

    a, b = parse_order_number(first), parse_order_number(second)
    assert (a.year, b.year) == (2027, 2027)
    assert b.sequence == a.sequence + 1
    assert first == str(a) and first.startswith("TRB-2027-")


async def test_a_rolled_back_checkout_leaves_a_gap_never_a_repeat(writable_database):
    async with UnitOfWork(writable_database) as uow:
        lost = parse_order_number(await next_order_number(uow.session))  # rolled back
    async with UnitOfWork(writable_database) as uow:
        kept = parse_order_number(await next_order_number(uow.session))
        await uow.commit()

    assert kept.sequence == lost.sequence + 1


async def test_concurrent_checkouts_on_separate_connections_never_share_a_number(writable_database):
    racing = suite_database(writable_database.url, pool_size=5)

    async def draw():
        async with UnitOfWork(racing) as uow:
            numbers = [await next_order_number(uow.session) for _ in range(10)]
            await uow.commit()
            return numbers

    try:
        drawn = [n for batch in await asyncio.gather(*(draw() for _ in range(10))) for n in batch]
    finally:
        await racing.close()

    assert len(set(drawn)) == 100
