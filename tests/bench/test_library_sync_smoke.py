"""bench/library_sync.py's smoke: a library syncs in pages, every licence once."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_library_sync_smoke_syncs_every_licence_in_pages():
    stdout, _ = await run_and_check_cleanup("library_sync.py")

    rows = table(stdout, ["measure", "requests", "median ms", "SQL statements per request",
                           "ratio to one product page"])
    # 250 licences in pages of 100.
    assert [(r["measure"], r["requests"]) for r in rows] == [
        ("product page", "1"), ("one sync page (100 changes)", "1"), ("full sync from empty (250 licences)", "3")]
    assert rows[0]["ratio to one product page"] == "1.00"
    for row in rows:
        assert int(row["SQL statements per request"]) > 0, row
        assert NUMBER.fullmatch(row["median ms"]) and NUMBER.fullmatch(row["ratio to one product page"]), row
