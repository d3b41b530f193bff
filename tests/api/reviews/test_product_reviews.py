"""Reading reviews: the rating summary agrees with a recount and with the product's average, the
list sorts and filters as asked, bad filters are clear errors, and a product page with its
summary and reviews costs the same number of statements whatever the page size."""
from decimal import ROUND_HALF_UP, Decimal

from bench.pages import PRODUCT_PAGE, PRODUCT_PAGE_WITH_REVIEWS
from tests.conftest import count_statements
from tests.fixtures.db import fetch, fetchval

HP1_ISBN13 = "9780439554930"
SUMMARY = """query($isbn: String!) { product(isbn: $isbn) { id averageRating ratingsCount
  ratingSummary { average count histogram { stars count percentage } } } }"""
REVIEWS = """query($isbn: String!, $sort: ReviewSortKey!, $filter: ReviewFilter, $first: Int, $after: String) {
  product(isbn: $isbn) { reviews(sortKey: $sort, filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id stars title text format verifiedPurchase helpfulVotes authorName createdAt updatedAt status } } } }"""
PAGE = """query($isbn: String!, $n: Int!) { product(isbn: $isbn) { title averageRating
  ratingSummary { average count histogram { stars count percentage } }
  reviews(first: $n) { nodes { stars title text format verifiedPurchase helpfulVotes authorName createdAt } } } }"""


async def _recount(demo_database, isbn: str) -> list[int]:
    rows = await fetch(demo_database, "SELECT r.stars, count(*) FROM reviews r JOIN products p ON p.work_id = r.work_id"
                       " WHERE p.isbn = $1 AND r.status = 'PUBLISHED' GROUP BY r.stars", isbn)
    counts = {r[0]: r[1] for r in rows}
    return [counts.get(s, 0) for s in (5, 4, 3, 2, 1)]


async def test_rating_summary_agrees_with_a_recount_and_the_product_average(demo_gql, demo_database):
    product = (await demo_gql(SUMMARY, {"isbn": HP1_ISBN13}))["data"]["product"]
    summary = product["ratingSummary"]
    recounted = await _recount(demo_database, HP1_ISBN13)
    assert [h["count"] for h in summary["histogram"]] == recounted
    assert [h["stars"] for h in summary["histogram"]] == [5, 4, 3, 2, 1]
    assert summary["count"] == sum(recounted) == product["ratingsCount"] > 0
    expected = (Decimal(sum(s * n for s, n in zip((5, 4, 3, 2, 1), recounted))) / sum(recounted)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert Decimal(summary["average"]) == expected == Decimal(product["averageRating"])
    assert sum(h["percentage"] for h in summary["histogram"]) == 100


async def test_every_format_of_a_book_shows_the_same_reviews(demo_gql):
    body = await demo_gql('{ product(isbn: "9780439554930") { formats { format ratingSummary { count }'
                     ' reviews(first: 3) { nodes { id } } } } }')
    formats = body["data"]["product"]["formats"]
    assert len(formats) >= 2
    assert len({f["ratingSummary"]["count"] for f in formats}) == 1
    assert len({tuple(n["id"] for n in f["reviews"]["nodes"]) for f in formats}) == 1


async def test_reviews_sort_newest_highest_and_lowest(demo_gql):
    async def nodes(sort):
        body = await demo_gql(REVIEWS, {"isbn": HP1_ISBN13, "sort": sort, "first": 50})
        return body["data"]["product"]["reviews"]["nodes"]

    newest, highest, lowest = await nodes("NEWEST"), await nodes("HIGHEST"), await nodes("LOWEST")
    assert [n["createdAt"] for n in newest] == sorted((n["createdAt"] for n in newest), reverse=True)
    assert [n["stars"] for n in highest] == sorted((n["stars"] for n in highest), reverse=True)
    assert [n["stars"] for n in lowest] == sorted(n["stars"] for n in lowest)
    assert highest[0]["stars"] == 5 and lowest[0]["stars"] == 1
    assert all(n["verifiedPurchase"] and n["status"] == "PUBLISHED" and n["authorName"] for n in newest)
    assert all("@" not in n["authorName"] for n in newest)


async def test_pages_walk_the_whole_list_once(demo_gql):
    seen, after = [], None
    total = None
    while True:
        body = await demo_gql(REVIEWS, {"isbn": HP1_ISBN13, "sort": "MOST_HELPFUL", "first": 100, "after": after})
        reviews = body["data"]["product"]["reviews"]
        total = reviews["totalCount"]
        seen += [n["id"] for n in reviews["nodes"]]
        if not reviews["pageInfo"]["hasNextPage"]:
            break
        after = reviews["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == total


async def test_filters_by_stars_verified_and_text(demo_gql):
    summary = (await demo_gql(SUMMARY, {"isbn": HP1_ISBN13}))["data"]["product"]["ratingSummary"]
    by_stars = {h["stars"]: h["count"] for h in summary["histogram"]}
    body = await demo_gql(REVIEWS, {"isbn": HP1_ISBN13, "sort": "NEWEST", "first": 100,
                               "filter": {"stars": [1, 2], "verifiedOnly": True}})
    reviews = body["data"]["product"]["reviews"]
    assert reviews["totalCount"] == by_stars[1] + by_stars[2]
    assert {n["stars"] for n in reviews["nodes"]} <= {1, 2}
    # The demo customers' ratings are star-only.
    body = await demo_gql(REVIEWS, {"isbn": HP1_ISBN13, "sort": "NEWEST", "filter": {"withText": True}})
    assert body["data"]["product"]["reviews"]["totalCount"] == 0


async def test_a_star_filter_outside_one_to_five_is_a_clear_error(demo_gql):
    body = await demo_gql(REVIEWS, {"isbn": HP1_ISBN13, "sort": "NEWEST", "filter": {"stars": [0, 6]}},
                     expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["reason"] == "INVALID_STARS"
    assert body["errors"][0]["extensions"]["field"] == ["filter", "stars"]
    assert body["data"]["product"] is None or body["data"]["product"]["reviews"] is None


async def test_merchandise_has_no_reviews_and_no_average(demo_gql, demo_database):
    slug = await fetchval(demo_database, "SELECT slug FROM products WHERE work_id IS NULL AND archived_at IS NULL"
                                    " ORDER BY id LIMIT 1")
    body = await demo_gql("query($s: String!) { product(slug: $s) { averageRating ratingsCount"
                     " ratingSummary { average count histogram { count percentage } }"
                     " reviews { totalCount nodes { id } } } }", {"s": slug})
    product = body["data"]["product"]
    assert product["averageRating"] is None and product["ratingsCount"] == 0
    assert product["ratingSummary"]["average"] is None and product["ratingSummary"]["count"] == 0
    assert {(h["count"], h["percentage"]) for h in product["ratingSummary"]["histogram"]} == {(0, 0)}
    assert product["reviews"] == {"totalCount": 0, "nodes": []}


async def test_a_product_page_with_its_reviews_costs_the_same_statements_at_any_page_size(demo_gql):
    counts = []
    for n in (1, 10, 50):
        with count_statements() as counter:
            body = await demo_gql(PAGE, {"isbn": HP1_ISBN13, "n": n})
        assert len(body["data"]["product"]["reviews"]["nodes"]) == n
        counts.append(counter.count)
    # product, summary, reviews page (authors and formats joined in)
    assert counts == [3, 3, 3], "\n".join(counter.statements)


async def test_the_benchmarked_product_page_with_reviews_and_questions_costs_three_statements_more(demo_gql):
    slug = (await demo_gql(SUMMARY.replace("id averageRating", "id slug averageRating"), {"isbn": HP1_ISBN13}
                           ))["data"]["product"]["slug"]
    counts = []
    for document in (PRODUCT_PAGE, PRODUCT_PAGE_WITH_REVIEWS):
        with count_statements() as counter:
            body = await demo_gql(document, {"slug": slug, "offers": 10})
        assert "errors" not in body, body
        counts.append(counter.count)
    assert len(body["data"]["product"]["reviews"]["nodes"]) == 10
    # the reviews block: the work's summary and one page of its reviews; the questions block: one
    # page of questions with their top answers
    assert counts == [5, 8], "\n".join(counter.statements)


async def test_a_review_is_a_node(demo_gql):
    body = await demo_gql(REVIEWS, {"isbn": HP1_ISBN13, "sort": "NEWEST", "first": 1})
    review = body["data"]["product"]["reviews"]["nodes"][0]
    found = await demo_gql("query($id: ID!) { node(id: $id) { ... on Review { id stars product { isbn } } } }",
                      {"id": review["id"]})
    assert found["data"]["node"]["id"] == review["id"]
    assert found["data"]["node"]["stars"] == review["stars"]
