"""bench/instructions.py's smoke: a page's requests counted under callgrind, GraphQL's and the floor's."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_instructions_smoke_counts_both_sides_of_a_page():
    stdout, _ = await run_and_check_cleanup("instructions.py")
    [row] = table(stdout, ["scenario", "GraphQL instructions", "floor instructions", "ratio"])
    assert row["scenario"] == "{ __typename }"
    graphql, floor = (int(row[side].replace(",", "")) for side in ("GraphQL instructions", "floor instructions"))
    # Counted while the requests ran, not while the process started (a Python start alone is
    # tens of millions): a request is thousands to a few million instructions.
    assert 10_000 < floor < graphql < 5_000_000, row
    assert NUMBER.fullmatch(row["ratio"]) and float(row["ratio"]) == round(floor / graphql, 2)
