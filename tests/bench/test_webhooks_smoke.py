"""bench/webhooks.py's smoke: each event is delivered once, signed, to a receiver on loopback."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_webhooks_smoke_delivers_each_event_once_signed():
    stdout, _ = await run_and_check_cleanup("webhooks.py")

    [row] = table(stdout, ["events", "workers", "wall s", "events/s", "events/s per worker",
                           "SQL statements per delivery", "delivered twice", "missed"])
    # 60 events by two workers to a receiver on loopback: each arrived once with a valid signature
    # (the script checks every event id and signature, and fails otherwise).
    assert (row["events"], row["workers"], row["delivered twice"], row["missed"]) == ("60", "2", "0", "0")
    assert all(NUMBER.fullmatch(row[k]) for k in ("wall s", "events/s", "events/s per worker",
                                                  "SQL statements per delivery")), row
