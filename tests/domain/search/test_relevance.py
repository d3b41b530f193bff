"""The relevance set passes: at least 95% of what shoppers type finds the product they mean in
the first K results (the bench prints the same run by kind, with the MRR and the misses)."""
from bench.search_relevance import evaluate, rates
from tests.domain.search.relevance_queries import CASES, K
from tests.fixtures.db import rolled_back

FLOOR = 0.95


def test_the_set_is_large_and_covers_every_kind_of_query():
    kinds = {kind for _, _, kind in CASES}
    assert len(CASES) >= 100
    assert {"title", "prefix", "author", "series", "deletion", "insertion", "substitution", "transposition",
            "two typos", "multi-word", "author+title", "merchandise"} <= kinds
    assert len({query for query, _, _ in CASES}) == len(CASES)


async def test_at_least_95_percent_find_the_product_meant_in_the_first_k(database):
    async with rolled_back(database) as conn:
        outcomes = await evaluate(conn)
    hit, mrr = rates(outcomes)
    misses = [(o.query, o.slug, o.rank, o.corrected) for o in outcomes if not o.hit]
    assert hit >= FLOOR, f"{hit:.1%} in the first {K} (MRR {mrr:.3f}); misses: {misses}"
