"""bench/checkout.py's smoke: racing buyers sell the hot units exactly once."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_checkout_smoke_sells_the_hot_units_exactly_once():
    stdout, _ = await run_and_check_cleanup("checkout.py")

    [row] = table(stdout, ["requests", "wall s", "placeOrder/s", "p50 ms", "p99 ms", "placed", "QUANTITY_UNAVAILABLE",
                            "other", "placed p50 / p99 ms", "refused p50 / p99 ms", "hot units sold / in stock",
                            "oversold"])
    # 20 buyers race for 5 units.
    assert (row["requests"], row["placed"], row["QUANTITY_UNAVAILABLE"], row["other"]) == ("20", "5", "15", "0")
    assert row["hot units sold / in stock"] == "5 / 5"
    assert row["oversold"] == "no"
    assert all(NUMBER.fullmatch(row[k]) for k in ("wall s", "placeOrder/s", "p50 ms", "p99 ms")), row
