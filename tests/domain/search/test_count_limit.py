"""A search counts and facets at most its first COUNT_LIMIT matches (a common word in two million
products would otherwise read every match), and says when its counts stopped there."""
from domain.search import repository
from domain.search.entities import ParsedQuery, ProductFilter
from tests.fixtures.db import rolled_back

EVERYTHING = ParsedQuery(text=None)


async def test_counts_below_the_limit_are_exact_and_agree_with_the_count(database):
    async with rolled_back(database) as conn:
        facets = await repository.facets(conn, EVERYTHING, ProductFilter(), None)
        total = await repository.count(conn, EVERYTHING, ProductFilter(), None)
    assert facets.exact
    assert facets.total == total > 100


async def test_past_the_limit_the_counts_stop_there_and_say_so(database):
    async with rolled_back(database) as conn:
        total = await repository.count(conn, EVERYTHING, ProductFilter(), None)
        capped = await repository.facets(conn, EVERYTHING, ProductFilter(), None, limit=100)
        prime = await repository.facets(conn, EVERYTHING, ProductFilter(prime_eligible=True), None, limit=100)
        at_limit = await repository.facets(conn, EVERYTHING, ProductFilter(), None, limit=total)
    assert not capped.exact
    assert capped.total == 100
    # every facet counts the same 100 products
    assert sum(c.count for c in capped.categories) == 100
    assert capped.in_stock + capped.out_of_stock == 100
    # a filter narrows the sample, and its own facet still counts the sample without it
    assert not prime.exact and prime.total == prime.prime_eligible == capped.prime_eligible < 100
    # exactly as many matches as the limit: all were counted
    assert at_limit.exact and at_limit.total == total
