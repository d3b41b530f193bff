"""bench/browsing_history.py's smoke: it records every view without a rate limit, keeps each
history exactly at its size, refuses most of one client's flood, and reads pages at a constant
statement count."""
from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_browsing_history_smoke_keeps_every_history_exact_and_refuses_the_flood():
    stdout, _ = await run_and_check_cleanup("browsing_history.py")

    rows = table(stdout, ["scenario", "operations", "wall s", "operations/s", "p50 ms", "p99 ms",
                           "SQL statements per operation", "recorded", "refused"])
    assert [r["scenario"] for r in rows] == ["record views, trimming at the limit",
                                             "flood from one client (rate limited)", "history page (first: 100)"]
    bulk, flood, pages = rows
    # 4 customers x 60 views, all recorded; the script checked each history's count and rows.
    assert (bulk["operations"], bulk["recorded"], bulk["refused"]) == ("240", "240", "0")
    # 100 views at once from one customer: the burst of 30 (and what refills meanwhile) gets through.
    assert flood["operations"] == "100" and 30 <= int(flood["recorded"]) < 50
    assert int(flood["recorded"]) + int(flood["refused"]) == 100
    # The page and its products, whatever the page size.
    assert (pages["operations"], pages["SQL statements per operation"]) == ("4", "2.00")
    for row in rows:
        assert all(NUMBER.fullmatch(row[k]) for k in ("wall s", "operations/s", "p50 ms", "p99 ms")), row
