"""The lowest price of a period: the price in effect when it opens and every price set in it
count; prices before the opening price and after the period do not."""
from datetime import UTC, datetime, timedelta

import pytest

from domain.marketplace import service as marketplace
from tests.fixtures.db import execute, fetchval

pytestmark = pytest.mark.one_copy_per_file

T0 = datetime(2030, 1, 10, 12, tzinfo=UTC)


async def _at(db, offer_id: int, price: int, when: datetime) -> None:
    await execute(db, "INSERT INTO offer_price_history (offer_id, price_minor, shipping_minor, currency, source,"
                      " changed_at) VALUES ($1, $2, 0, 'USD', 'SELLER', $3)", offer_id, price, when)


async def test_the_lowest_price_in_a_period_counts_the_price_in_effect_at_its_start(writable_database):
    db = writable_database
    # Far in the future, after the seeded entries (each offer's first, still in effect then).
    day = timedelta(days=1)
    start, end = T0 + 400 * day, T0 + 410 * day
    await _at(db, 1, 900, start - 5 * day)   # replaced before the period: does not count
    await _at(db, 1, 1500, start - day)      # in effect when the period opens
    await _at(db, 1, 1200, start + day)      # set in it
    await _at(db, 1, 1400, start + 2 * day)
    await _at(db, 1, 800, end + day)         # after it
    await _at(db, 2, 2000, start + 3 * day)  # only set in the period
    reader = await db.reader()
    try:
        found = await marketplace.lowest_prices_between(reader, [1, 2, 3], start, end)
        only_opening = await marketplace.lowest_prices_between(reader, [1], start, start)
    finally:
        await reader.close()
    seeded_3 = found.pop(3)  # offer 3 has only its seed entry, still in effect
    assert found == {1: 1200, 2: min(2000, await _seed(db, 2))}
    assert seeded_3 == await _seed(db, 3)
    assert only_opening == {1: 1500}


async def _seed(db, offer_id: int) -> int:
    return await fetchval(db, "SELECT price_minor FROM offer_price_history WHERE offer_id = $1 AND source = 'SEED'",
                          offer_id)
