"""bench/search_scale.py's smoke: the catalogue grown twice, each size measured with the same
statements per request, with a plan for each kind of request."""
from __future__ import annotations

from tests.bench.smoke import NUMBER, run_and_check_cleanup, table


async def test_search_scale_smoke_grows_the_catalogue_and_measures_each_size():
    stdout, _ = await run_and_check_cleanup("search_scale.py")

    kinds = ["search page", "filtered search", "suggestions"]
    measures = [f"{k} p{p} ms" for k in kinds for p in (50, 99)]
    statements = f"statements per request ({' / '.join(kinds)})"
    rows = table(stdout, ["products", "seed s", "VACUUM s", "load", *measures, statements])
    # The suite's data grown twice, a few hundred products each time.
    assert [int(r["products"].replace(",", "")) for r in rows] == [1500, 1800]
    for row in rows:
        assert all(NUMBER.fullmatch(row[m]) for m in measures), row
    # The same statements at both sizes, and a plan for each kind of request.
    assert rows[0][statements] == rows[1][statements]
    assert "STATEMENTS CHANGED" not in stdout
    for kind in kinds:
        assert stdout.count(f"#### {kind}: ") == 2, kind
    assert stdout.count("Execution Time:") >= 6
