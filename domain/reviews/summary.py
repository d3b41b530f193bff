"""The rating summary of a work: how it is kept, and the recount that checks it.

Kept by statement-level triggers on `reviews` (migration 7c4d2e9a5b13) rather than by each
use case: every path that writes reviews (a customer's edit, a moderator hiding one, an author
deleting theirs, a bulk seed or repair) keeps the summary exact without having to remember to,
and a statement touching many reviews costs one summary write per work, not one per row.
The trigger adds the statement's net change per work with `UPDATE ... SET review_count =
review_count + delta, ...` on the work's summary row (created empty when missing, locked in work
order): the row lock serializes concurrent writers of a work, each adding its own delta to the
committed value, so no write is lost and nothing is recounted. Old and new rows come from the statement's transition tables, so an edit that moves
a review from 5 to 2 stars moves one count, and a hidden review leaves the summary at once.
The same statement copies the new average (one decimal) and count to the work's products and
their search documents: `Product.averageRating`, the RATING sort, `minRating` and the rating
facet read those copies, so they agree with the summary whenever a transaction commits.
"""
from __future__ import annotations

from collections.abc import Sequence

from domain.reviews.entities import RatingSummary
from domain.shared.db import Reader

_RECOUNT = """
SELECT w.id, count(r.id), coalesce(sum(r.stars), 0),
       count(*) FILTER (WHERE r.stars = 1), count(*) FILTER (WHERE r.stars = 2),
       count(*) FILTER (WHERE r.stars = 3), count(*) FILTER (WHERE r.stars = 4),
       count(*) FILTER (WHERE r.stars = 5)
FROM unnest($1::bigint[]) AS w(id)
LEFT JOIN reviews r ON r.work_id = w.id AND r.status = 'PUBLISHED'
GROUP BY w.id
"""


async def recount(reader: Reader, work_ids: Sequence[int]) -> dict[int, RatingSummary]:
    """The summaries counted from scratch from the reviews themselves (for checks and repairs;
    the product page reads the kept summary)."""
    rows = await reader.fetch(_RECOUNT, list(work_ids))
    return {r[0]: RatingSummary(r[0], r[1], r[2], tuple(r[3:8])) for r in rows}
