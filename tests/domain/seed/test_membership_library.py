"""The demo's membership library: which titles the seed marks, and that marking them is one
pass over the products rather than a subquery re-run for each of them (on PostgreSQL 15 that
turned the full seed's one-second step into a quarter of an hour)."""
from domain.seed.service import _MEMBERSHIP_LIBRARY
from tests.fixtures.db import fetch


async def test_the_library_is_every_fourth_kindle_edition_and_every_other_stream(database):
    rows = await fetch(database, "SELECT id, format::text AS format, membership_included FROM products"
                                 " WHERE format IN ('KINDLE', 'STREAMING') ORDER BY id")
    kindle = [r["id"] for r in rows if r["format"] == "KINDLE"]
    streams = [r["id"] for r in rows if r["format"] == "STREAMING"]
    expected = set(kindle[:1200:4]) | set(streams[:600:2])
    assert expected, "the test data set has Kindle editions or streams"
    assert {r["id"] for r in rows if r["membership_included"]} == expected
    assert not await fetch(database, "SELECT 1 FROM products WHERE membership_included"
                                     " AND format NOT IN ('KINDLE', 'STREAMING')")


async def test_marking_the_library_runs_no_subquery_per_product(database):
    # A correlated subquery shows as a SubPlan on PostgreSQL 15 and 16 (later versions turn
    # even a correlated IN into a join, so there this holds either way). EXPLAIN writes nothing.
    plan = "\n".join(r[0] for r in await fetch(database, "EXPLAIN " + _MEMBERSHIP_LIBRARY))
    assert "SubPlan" not in plan, plan
