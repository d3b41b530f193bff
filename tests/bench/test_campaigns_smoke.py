"""bench/campaigns.py's smoke: each follower of a brand gets a campaign's message once."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_campaigns_smoke_sends_each_follower_one_message():
    stdout, _ = await run_and_check_cleanup("campaigns.py")

    [row] = table(stdout, ["recipients", "batches", "workers", "wall s", "messages/s", "SQL statements",
                            "statements per batch", "sent twice", "missed"])
    # 300 followers in batches of 40, by two workers at once: each sent one message (the script
    # checks every recipient against the sender and fails otherwise).
    assert (row["recipients"], row["batches"], row["workers"], row["sent twice"], row["missed"]) == \
        ("300", "8", "2", "0", "0")
    assert all(NUMBER.fullmatch(row[k]) for k in ("wall s", "messages/s", "statements per batch")), row
