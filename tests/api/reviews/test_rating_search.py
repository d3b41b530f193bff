"""The search RATING sort, the minRating filter and the rating facet read the same numbers as
the products' rating summaries, and those agree with a recount of the reviews."""
from decimal import Decimal

from tests.api.reviews.recount import FACETED, RECOUNT
from tests.fixtures.db import fetch


async def test_rating_sort_filter_and_facet_agree_with_a_recount_of_the_reviews(demo_gql, demo_database):
    recount = [row["average"] for row in await fetch(demo_database, RECOUNT)]
    body = await demo_gql(FACETED, {"min": None})
    result = body["data"]["search"]
    facet = {f["minRating"]: f["count"] for f in result["facets"]["ratings"]}
    assert list(facet) == [4, 3, 2, 1]
    for threshold, count in facet.items():
        assert count == sum(1 for a in recount if a is not None and a >= threshold), threshold
    assert facet[1] > facet[4] > 0
    nodes = result["nodes"]
    averages = [Decimal(n["averageRating"]) for n in nodes if n["averageRating"] is not None]
    assert averages == sorted(averages, reverse=True) and averages[0] == max(a for a in recount if a is not None)
    for n in nodes:
        assert n["averageRating"] == n["ratingSummary"]["average"]
        assert n["ratingsCount"] == n["ratingSummary"]["count"]


async def test_min_rating_keeps_exactly_the_facets_count_and_leaves_the_facet_whole(demo_gql):
    whole = (await demo_gql(FACETED, {"min": None}))["data"]["search"]["facets"]["ratings"]
    filtered = (await demo_gql(FACETED, {"min": "4"}))["data"]["search"]
    assert filtered["totalCount"] == whole[0]["count"]
    assert all(Decimal(n["averageRating"]) >= 4 for n in filtered["nodes"])
    # Disjunctive: choosing "4 & up" still shows how many "3 & up" there are.
    assert filtered["facets"]["ratings"] == whole
