"""bench/compression.py's smoke: each coding the server sends is measured."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_compression_smoke_measures_each_coding_the_server_sends():
    stdout, _ = await run_and_check_cleanup("compression.py")

    rows = table(stdout, ["page", "coding", "level", "bytes", "% of plain", "CPU µs per response",
                           "served median ms"])
    pages = ["product page", "product page with reviews and questions", "search page", "category browse",
             "20-product listing"]
    assert [r["page"] for r in rows] == [page for page in pages for _ in range(9)]
    for page in pages:
        plain, *packed = [r for r in rows if r["page"] == page]
        assert (plain["coding"], plain["% of plain"]) == ("identity", "100.0")
        assert [r["coding"] for r in packed] == ["gzip"] * 4 + ["br"] * 4
        # The script checked the server's bodies against these levels: one served level per coding.
        assert [r["coding"] for r in packed if r["level"].endswith("(served)")] == ["gzip", "br"]
        for row in packed:
            assert 0 < int(row["bytes"]) < int(plain["bytes"]), row
            assert NUMBER.fullmatch(row["CPU µs per response"]) and NUMBER.fullmatch(row["% of plain"]), row
