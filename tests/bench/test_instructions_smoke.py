"""bench/instructions.py's smoke: a page's requests counted under callgrind (the floor's side: the
GraphQL app's schema takes half a minute of CPU to build under valgrind, and the counting is the
same for both sides)."""
from __future__ import annotations

from tests.bench.smoke import run_and_check_cleanup, table


async def test_instructions_smoke_counts_a_page_under_callgrind():
    stdout, _ = await run_and_check_cleanup("instructions.py")
    [row] = table(stdout, ["scenario", "GraphQL instructions", "floor instructions", "ratio"])
    assert row["scenario"] == "{ __typename }"
    assert row["GraphQL instructions"] == row["ratio"] == "-"  # not counted by the smoke
    # Counted while the requests ran, not while the process started (a Python start alone is
    # tens of millions): a request of the floor's `{ __typename }` is some hundred thousand.
    assert 10_000 < int(row["floor instructions"].replace(",", "")) < 2_000_000, row
