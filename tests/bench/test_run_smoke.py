"""bench/run.py's smoke: the GraphQL pages serve the floor's data with the floor's statements."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_foundation_smoke_serves_the_floors_data_with_the_same_statements():
    stdout, stderr = await run_and_check_cleanup("run.py")
    stdout, cpu = stdout.split("## CPU time per request, in process")

    measures = ["GraphQL req/s", "p50 ms", "p99 ms", "floor req/s", "floor p50", "floor p99", "ratio"]
    rows = table(stdout, ["scenario", *measures, "SQL statements (GraphQL / floor)"])
    assert [r["scenario"].split(" (")[0] for r in rows] == [
        "product page", "product page with reviews and questions", "search page", "category browse",
        "20-product listing", "library page", "{ __typename }"]
    statements = []
    for row in rows:
        assert all(NUMBER.fullmatch(row[m]) for m in measures), row
        graphql, floor = row["SQL statements (GraphQL / floor)"].split(" / ")
        assert int(graphql) == int(floor), row
        statements.append(int(graphql))
    assert all(statements[:-1]) and statements[-1] == 0  # `{ __typename }` reads nothing
    assert "Trivial HTTP floor" in stdout
    # The reviews block: the work's summary and one page of its reviews; the questions block: one
    # page of questions with their top answers.
    assert statements[1] == statements[0] + 3
    # The library page: the bearer token's session, then one page of licences with their titles
    # and its total.
    assert statements[5] == 2
    assert "50 of " in rows[5]["scenario"]
    assert "DATA DIFFERS" not in stderr
    # The same pages timed in process, layer by layer: the layers add up.
    layers = table(cpu, ["scenario", "GraphQL app us", "floor app us", "CPU ratio", "page's own work us",
                         "GraphQL layer us", "floor's web layer us"])
    assert [r["scenario"] for r in layers] == [r["scenario"] for r in rows]
    for row in layers:
        graphql, floor, work, layer = (int(row[m]) for m in ("GraphQL app us", "floor app us", "page's own work us",
                                                            "GraphQL layer us"))
        assert graphql > 0 and floor > 0 and NUMBER.fullmatch(row["CPU ratio"]), row
        assert abs(graphql - work - layer) <= 1, row
    assert "differs from GraphQL's" not in stdout and "failed requests" not in stdout
