"""The check that every rating a shopper sees agrees with a recount of the published reviews: a
product's summary and average, the search RATING sort and the rating facet."""
from __future__ import annotations

from decimal import Decimal

from tests.api.identity.helpers import call
from tests.fixtures.db import fetch

FACETED = """query($min: Decimal) { search(query: "", filter: {minRating: $min}, sortKey: RATING, first: 100) {
  totalCount facets { ratings { minRating count } }
  nodes { averageRating ratingsCount ratingSummary { average count } } } }"""
PRODUCT = """query($id: ID!) { product(id: $id) { averageRating ratingsCount ratingSummary { average count
  histogram { stars count } } } }"""

# Every live product's average as recounted from its work's published reviews.
RECOUNT = """
SELECT p.id, round(avg(r.stars), 1) AS average FROM products p
LEFT JOIN reviews r ON r.work_id = p.work_id AND r.status = 'PUBLISHED'
WHERE p.archived_at IS NULL GROUP BY p.id
"""
_WORK_RECOUNT = "SELECT stars, count(*) FROM reviews WHERE work_id = $1 AND status = 'PUBLISHED' GROUP BY stars"


async def agree_with_a_recount(http, db, product_gid: str, work_id: int) -> dict:
    """Asserts that the product's summary (of its work `work_id`), its average, the search RATING
    sort and the rating facet all agree with a recount in SQL; returns the product's ratings."""
    product = (await call(http, PRODUCT, {"id": product_gid}))["data"]["product"]
    counts = {r["stars"]: r["count"] for r in await fetch(db, _WORK_RECOUNT, work_id)}
    summary = product["ratingSummary"]
    assert {h["stars"]: h["count"] for h in summary["histogram"] if h["count"]} == counts
    assert summary["count"] == product["ratingsCount"] == sum(counts.values())
    assert product["averageRating"] == summary["average"]
    recount = [row["average"] for row in await fetch(db, RECOUNT)]
    search = (await call(http, FACETED, {"min": None}))["data"]["search"]
    for facet in search["facets"]["ratings"]:
        assert facet["count"] == sum(1 for a in recount if a is not None and a >= facet["minRating"])
    averages = [Decimal(n["averageRating"]) for n in search["nodes"] if n["averageRating"] is not None]
    assert averages == sorted(averages, reverse=True)
    assert sorted(averages, reverse=True) == sorted((a for a in recount if a is not None), reverse=True)[:len(averages)]
    return product
