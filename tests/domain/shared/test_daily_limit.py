"""The daily limit: free while an account wrote fewer rows than the limit in the last 24 hours;
at the limit, the wait is until the oldest of its newest `limit` rows is a day old (older rows
and other accounts' rows do not count)."""
import pytest

from domain.shared.daily_limit import seconds_until_free
from tests.fixtures.customer_service import committed, new_customer
from tests.fixtures.db import execute, fetchval


async def _question(db, account_id: int, hours_ago: float) -> None:
    await execute(db, "INSERT INTO product_questions (product_id, account_id, body, created_at)"
                      " SELECT min(id), $1, 'Why?', now() - make_interval(secs => $2) FROM products",
                  account_id, hours_ago * 3600)


async def test_the_wait_is_until_a_slot_frees(writable_demo_database):
    db = writable_demo_database
    customer, other = await new_customer(db, "limited"), await new_customer(db, "other")
    for hours_ago in (30, 20, 10, 1):
        await _question(db, customer.account_id, hours_ago)
    await _question(db, other.account_id, 0)

    def wait(limit):
        return committed(db, lambda s: seconds_until_free(s, "product_questions", customer.account_id, limit))

    assert await wait(4) is None
    # Three rows in the window: with a limit of 3, the one 20 hours old frees a slot in 4 hours;
    # with 2, the one 10 hours old, in 14.
    assert abs(await wait(3) - 4 * 3600) <= 5
    assert abs(await wait(2) - 14 * 3600) <= 5
    assert abs(await wait(1) - 23 * 3600) <= 5
    assert await fetchval(db, "SELECT count(*) FROM product_questions WHERE account_id = $1", customer.account_id) == 4


async def test_only_counted_tables_are_named_in_the_statement(writable_demo_database):
    with pytest.raises(ValueError):
        await committed(writable_demo_database, lambda s: seconds_until_free(s, "accounts; --", 1, 1))
