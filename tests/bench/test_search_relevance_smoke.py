"""bench/search_relevance.py's smoke: it runs the whole relevance set on its own seeded database
and prints the hit rate and the MRR by kind."""
import re

from tests.bench.smoke import run_and_check_cleanup, table
from tests.domain.search.relevance_queries import CASES


async def test_search_relevance_smoke_prints_the_rate_and_the_mrr_of_the_whole_set():
    stdout, _ = await run_and_check_cleanup("search_relevance.py")

    rows = table(stdout, ["queries", "kind", "hit rate", "MRR"])
    assert rows[-1]["kind"] == "all" and int(rows[-1]["queries"]) == len(CASES)
    assert sum(int(r["queries"]) for r in rows[:-1]) == len(CASES)
    for row in rows:
        assert re.fullmatch(r"\d+\.\d%", row["hit rate"]) and re.fullmatch(r"[01]\.\d{3}", row["MRR"]), row
    last = re.search(r"^hit rate (\d\.\d{3}) MRR (\d\.\d{3})$", stdout, re.MULTILINE)
    assert last is not None, stdout
    assert float(last.group(1)) >= 0.95
