"""bench/subscriptions.py's smoke: each due Subscribe & Save delivery is placed once."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_subscriptions_smoke_places_each_due_delivery_once():
    stdout, _ = await run_and_check_cleanup("subscriptions.py")

    [row] = table(stdout, ["deliveries", "orders", "batches", "wall s", "deliveries/s", "SQL statements",
                            "statements per delivery", "second pass placed"])
    # 100 customers with two deliveries each due today: one order each, nothing placed twice.
    assert (row["deliveries"], row["orders"], row["second pass placed"]) == ("200", "100", "0")
    assert int(row["batches"]) == 3
    assert all(NUMBER.fullmatch(row[k]) for k in ("wall s", "deliveries/s", "statements per delivery")), row
