"""bench/realtime.py's smoke: every subscriber, on either of two servers, gets each event."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_realtime_smoke_delivers_each_event_to_every_subscriber():
    stdout, _ = await run_and_check_cleanup("realtime.py")

    [row] = table(stdout, ["subscribers", "servers", "rounds", "delivered", "median ms", "p99 ms", "max ms",
                           "KiB per connection"])
    # 20 subscribers, half on each of two servers, 2 positions pushed through the first: every one
    # got both (the script checks each message's position and fails otherwise).
    assert (row["subscribers"], row["servers"], row["rounds"], row["delivered"]) == ("20", "2", "2", "40")
    assert all(NUMBER.fullmatch(row[k]) for k in ("median ms", "p99 ms", "max ms", "KiB per connection")), row
