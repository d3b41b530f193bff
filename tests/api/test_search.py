"""Search: relevance, typo tolerance, filters, facets, suggestions and absurd queries."""
from decimal import Decimal

import pytest

from bench.pages import SEARCH_PAGE
from tests.conftest import count_statements


async def _search(gql, query: str, first: int = 20, filter: dict | None = None, **kw) -> dict:
    body = await gql(SEARCH_PAGE, {"query": query, "first": first, "filter": filter}, **kw)
    return body


_EVERY_FORMAT = """query($query: String!, $first: Int!, $filter: ProductFilterInput) {
  search(query: $query, first: $first, filter: $filter, groupFormats: false) {
    totalCount nodes { title format }
    facets { kinds { kind count } formats { format count } inStock outOfStock priceBands { count } }
  }
}"""


async def _every_format(gql, query: str, first: int = 20, filter: dict | None = None) -> dict:
    return (await gql(_EVERY_FORMAT, {"query": query, "first": first, "filter": filter}))["data"]["search"]


async def test_harry_potter_lists_the_harry_potter_books_first(gql):
    result = (await _search(gql, "harry potter", first=10))["data"]["search"]
    titles = [n["title"] for n in result["nodes"]]
    assert titles and all("Harry Potter" in t for t in titles), titles
    assert result["correctedQuery"] is None


async def test_misspelt_query_is_corrected_and_still_finds_the_books(gql):
    result = (await _search(gql, "hary poter", first=5))["data"]["search"]
    assert result["correctedQuery"] == "harry potter"
    assert all("Harry Potter" in n["title"] for n in result["nodes"])


async def test_author_matches_rank_below_title_matches_but_are_found(gql):
    result = (await _search(gql, "rowling", first=50))["data"]["search"]
    assert result["totalCount"] > 0
    assert any("Harry Potter" in n["title"] for n in result["nodes"])


async def test_filters_narrow_results_and_facets_count_them(gql):
    everything = await _every_format(gql, "harry potter", first=100)
    kindle = await _every_format(gql, "harry potter", first=100, filter={"formats": ["KINDLE"]})
    assert {n["format"] for n in kindle["nodes"]} == {"KINDLE"}
    facet = {f["format"]: f["count"] for f in everything["facets"]["formats"]}
    assert kindle["totalCount"] == facet["KINDLE"]
    assert sum(facet.values()) == everything["totalCount"]
    assert sum(b["count"] for b in everything["facets"]["priceBands"]) <= everything["totalCount"]
    assert everything["facets"]["inStock"] + everything["facets"]["outOfStock"] == everything["totalCount"]


@pytest.mark.parametrize("reverse", [False, True])
async def test_price_filter_and_price_sort_follow_the_price_the_card_shows(gql, reverse):
    body = await gql("""query($reverse: Boolean!) { search(query: "", first: 50, sortKey: PRICE, reverse: $reverse,
        filter: {minPrice: "10", maxPrice: "20.50", inStock: true}) { nodes { featuredOffer { price { amount } } } } }""",
                     {"reverse": reverse})
    prices = [Decimal(n["featuredOffer"]["price"]["amount"]) for n in body["data"]["search"]["nodes"]]
    assert prices and prices == sorted(prices, reverse=reverse)
    assert all(Decimal(10) <= p <= Decimal("20.50") for p in prices)


async def test_category_filter_covers_the_subtree(gql):
    cats = await gql('{ category(slug: "books") { id children { id } } }')
    books = cats["data"]["category"]
    result = (await _search(gql, "", first=5, filter={"categoryId": books["id"]}))["data"]["search"]
    child_ids = {c["id"] for c in books["children"]}
    facet_ids = {f["category"]["id"] for f in result["facets"]["categories"]}
    assert facet_ids and facet_ids <= child_ids
    assert sum(f["count"] for f in result["facets"]["categories"]) == result["totalCount"]


async def test_pages_do_not_overlap(gql):
    first = (await _search(gql, "love", first=10))["data"]["search"]
    after = first["pageInfo"]["endCursor"]
    body = await gql('query($a: String) { search(query: "love", first: 10, after: $a) { nodes { id } } }', {"a": after})
    second = [n["id"] for n in body["data"]["search"]["nodes"]]
    assert second and not set(second) & {n["id"] for n in first["nodes"]}


@pytest.mark.parametrize("query", ["!!!", "?? -- ..", "   ", "'\"\\"])
async def test_punctuation_or_blank_queries_never_fail(gql, query):
    result = (await _search(gql, query, first=5))["data"]["search"]
    if query.strip():
        assert result["totalCount"] == 0 and result["nodes"] == []
    else:
        assert result["totalCount"] > 0  # an empty query browses everything


async def test_absurdly_long_query_is_a_clear_error(gql):
    body = await _search(gql, "harry " * 2000, expect_errors=True)
    error = body["errors"][0]
    assert error["extensions"]["reason"] == "QUERY_TOO_LONG"
    assert "limit is 200" in error["message"]


async def test_search_page_statement_count_does_not_grow_with_page_size(gql):
    counts = []
    for first in (1, 10, 50, 100):
        with count_statements() as counter:
            await _search(gql, "harry potter", first=first)
        counts.append(counter.count)
    # spelling, the page's products (its ids and their products in one), facets, buy boxes with
    # sellers, facet categories
    assert counts == [5, 5, 5, 5], counts


async def test_suggestions_complete_a_prefix(gql):
    body = await gql('{ searchSuggestions(prefix: "harry pot", first: 5) { text product { title } } }')
    suggestions = body["data"]["searchSuggestions"]
    assert suggestions and all(s["text"].lower().startswith("harry pot") for s in suggestions)
    assert len({s["text"] for s in suggestions}) == len(suggestions)


async def test_suggestion_limits_are_enforced(gql):
    body = await gql('{ searchSuggestions(prefix: "a", first: 21) { text } }', expect_errors=True)
    assert body["errors"][0]["extensions"]["reason"] == "INVALID_PAGE_SIZE"


async def test_products_list_sorted_by_rating_and_reversed(demo_gql):
    # Ratings come from reviews: the demo customers' database has them.
    q = 'query($r: Boolean!) { products(first: 20, sortKey: RATING, reverse: $r, filter: {minRating: "1"}) { nodes { averageRating } } }'
    best = [Decimal(n["averageRating"]) for n in (await demo_gql(q, {"r": False}))["data"]["products"]["nodes"]]
    worst = [Decimal(n["averageRating"]) for n in (await demo_gql(q, {"r": True}))["data"]["products"]["nodes"]]
    assert len(best) == len(worst) == 20
    assert best == sorted(best, reverse=True) and worst == sorted(worst)
    assert best[0] >= worst[0]


async def test_a_title_made_of_stop_words_is_still_found(gql):
    result = (await _search(gql, "It", first=20))["data"]["search"]
    titles = [n["title"] for n in result["nodes"]]
    assert titles and all(t.lower() == "it" or t.lower().startswith("it ") for t in titles), titles


async def test_the_title_itself_ranks_before_longer_titles_containing_it(gql):
    result = await _every_format(gql, "pride and prejudice", first=3)
    assert [n["title"] for n in result["nodes"]] == ["Pride and Prejudice"] * 3


@pytest.mark.parametrize("filter, reason", [
    ({"minPrice": "20", "maxPrice": "10"}, "INVALID_PRICE_RANGE"),
    ({"minPrice": "-1"}, "INVALID_PRICE_RANGE"),
    ({"maxPrice": "1.234"}, "INVALID_PRICE"),
    ({"minRating": "6"}, "INVALID_RATING"),
    ({"brandIds": ["QnJhbmQ6MQ"] * 51}, "FILTER_TOO_LARGE"),
    ({"categoryId": "UHJvZHVjdDox"}, "INVALID_ID"),
    ({"brandIds": ["not an id"]}, "INVALID_ID"),
])
async def test_bad_filters_are_typed_errors(gql, filter, reason):
    body = await _search(gql, "harry", filter=filter, expect_errors=True)
    assert body["errors"][0]["extensions"]["reason"] == reason
    assert body["data"] is None


async def test_unknown_category_filter_matches_nothing(gql):
    result = (await _search(gql, "harry", filter={"categoryId": "Q2F0ZWdvcnk6OTk5OTk"}))["data"]["search"]
    assert result["totalCount"] == 0 and result["nodes"] == []


async def test_facets_ignore_their_own_filter_so_clients_can_switch(gql):
    kindle = await _every_format(gql, "harry potter", first=1, filter={"formats": ["KINDLE"]})
    everything = await _every_format(gql, "harry potter", first=1)
    formats = {f["format"]: f["count"] for f in kindle["facets"]["formats"]}
    # the format facet still offers the other formats, with the counts of the unfiltered search
    assert formats == {f["format"]: f["count"] for f in everything["facets"]["formats"]}
    assert kindle["totalCount"] == formats["KINDLE"] < everything["totalCount"]
    # other facets count only Kindle editions
    assert {k["kind"]: k["count"] for k in kindle["facets"]["kinds"]} == {"EBOOK": formats["KINDLE"]}


async def test_the_physical_filter_holds_discs_and_the_video_filter_only_streams(gql):
    query = """query($kinds: [ProductKind!]) { products(first: 100, filter: {kinds: $kinds,
        formats: [DVD, BLU_RAY, STREAMING]}) { totalCount nodes { kind format } } }"""
    physical = (await gql(query, {"kinds": ["PHYSICAL"]}))["data"]["products"]
    video = (await gql(query, {"kinds": ["VIDEO"]}))["data"]["products"]
    every = (await gql(query, {"kinds": None}))["data"]["products"]
    assert physical["nodes"] and {n["format"] for n in physical["nodes"]} <= {"DVD", "BLU_RAY"}
    assert "DVD" in {n["format"] for n in physical["nodes"]}
    assert video["nodes"] and {(n["kind"], n["format"]) for n in video["nodes"]} == {("VIDEO", "STREAMING")}
    assert physical["totalCount"] + video["totalCount"] == every["totalCount"]


async def test_counts_of_a_search_below_the_count_limit_are_exact(gql):
    body = await gql('{ search(query: "harry potter", first: 1) { totalCount totalCountIsExact } }')
    result = body["data"]["search"]
    assert result["totalCount"] > 1 and result["totalCountIsExact"] is True
