"""A search counts and facets at most its first COUNT_LIMIT matches (a common word in two million
products would otherwise read every match), and says when its counts stopped there."""
from domain.search import repository
from domain.search import service as search
from domain.search.entities import ParsedQuery, ProductFilter, SearchSpec
from domain.shared.pagination import PageRequest
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


async def test_grouped_counts_are_works_among_the_first_matches(database):
    async with rolled_back(database) as conn:
        prepared = await search.prepare(conn, SearchSpec(query="edition"))
        works = await repository.facets(conn, prepared.query, ProductFilter(), None, group_formats=True)
        products = await repository.facets(conn, prepared.query, ProductFilter(), None)
        capped = await repository.facets(conn, prepared.query, ProductFilter(), None, group_formats=True,
                                         limit=products.total - 1)
        first = [r[0] for r in await conn.fetch(
            "SELECT coalesce(work_id, -product_id) FROM search_documents d"
            " WHERE d.document @@ to_tsquery('english', $1) LIMIT $2", prepared.query.tsquery, products.total - 1)]
    # several formats of a work are one result, as the page lists them
    assert works.exact and products.exact and works.total < products.total
    # one product short of every match: the works among the rest, and not exact
    assert not capped.exact and capped.total == len(set(first))


async def test_relevance_ranks_and_groups_only_the_first_candidates(database, monkeypatch):
    monkeypatch.setattr(repository, "RANK_CANDIDATES", 30)
    async with rolled_back(database) as conn:
        prepared = await search.prepare(conn, SearchSpec(query="edition"))
        first = {r[0] for r in await conn.fetch(
            "SELECT product_id FROM search_documents d WHERE d.document @@ to_tsquery('english', $1) LIMIT 30",
            prepared.query.tsquery)}
        matches = await conn.fetchval(
            "SELECT count(*) FROM search_documents d WHERE d.document @@ to_tsquery('english', $1)",
            prepared.query.tsquery)
        page = await search.find_products(conn, prepared, PageRequest(0, 20))
        works = await conn.fetch("SELECT coalesce(work_id, -product_id) FROM search_documents"
                                 " WHERE product_id = ANY($1::bigint[])", [p.id for p in page.items])
    assert matches > 30
    ids = [p.id for p in page.items]
    assert ids and set(ids) <= first
    assert len({r[0] for r in works}) == len(ids)  # one format per work

