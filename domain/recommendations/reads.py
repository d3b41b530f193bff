"""Serving reads over the job's tables, in plain SQL: one statement per call, whatever `first` is
and however many products are asked about at once.

A recommended item is shown as one of its products that can be bought now: not archived, with a
live offer in stock from a seller in good standing (so an archived or sold-out product drops out
at serving time, without waiting for the next run). Among a work's formats, the one in the
format of the product being viewed comes first, then the most rated. Formats of one work are one
item, so they never recommend each other."""
from __future__ import annotations

from dataclasses import dataclass

from domain.recommendations import model

# The product shown for item `{item}`: works' formats first in `{format}`, then the most rated.
_PICK = """
    SELECT c.id FROM (
        SELECT id, format, ratings_count FROM products WHERE work_id = {item} AND archived_at IS NULL
        UNION ALL
        SELECT id, format, ratings_count FROM products WHERE id = -{item} AND archived_at IS NULL
    ) c
    WHERE EXISTS (SELECT 1 FROM offers o JOIN sellers s ON s.id = o.seller_id
                  WHERE o.product_id = c.id AND o.archived_at IS NULL AND o.quantity > 0
                    AND s.standing <> 'SUSPENDED')
    ORDER BY c.format = {format} DESC, c.ratings_count DESC, c.id
    LIMIT 1
"""

_NEIGHBOURS = """
WITH src AS (
    SELECT s.ord, p.id AS product_id, coalesce(p.work_id, -p.id) AS item, p.format
    FROM unnest($1::bigint[]) WITH ORDINALITY AS s(id, ord) JOIN products p ON p.id = s.id
)
SELECT src.product_id, n.product_id AS related_product_id, n.score
FROM src CROSS JOIN LATERAL (
    SELECT pick.id AS product_id, r.score, r.related
    FROM {table} r CROSS JOIN LATERAL ({pick}) pick
    WHERE r.item = src.item
    ORDER BY r.score DESC, r.related
    LIMIT $2
) n
ORDER BY src.ord, n.score DESC, n.related
"""

ALSO_BOUGHT = _NEIGHBOURS.format(table="recommendation_related",
                                 pick=_PICK.format(item="r.related", format="src.format"))
BOUGHT_TOGETHER = _NEIGHBOURS.format(table="recommendation_together",
                                     pick=_PICK.format(item="r.related", format="src.format"))

# $1 account, $2 how many recent items count, $3 half-life in items, $4 offset, $5 how many,
# $6 how many recently viewed items count, $7 a view's weight.
# A customer's items: what they ordered (unless cancelled), and what they rated without an order
# line here; each at its latest time. The last $2 are weighted 0.5 ** (age / $3). Their recent
# views (while their history records: a paused history counts for nothing) add the last $6
# viewed items that are not among those, weighted $7 * 0.5 ** (age among the views / $3). Each
# related item scores the weighted sum of its weights (`model.score_history` computes the same);
# never an item they have (bought, rated, or a live licence), though a viewed one may come back.
# Popular items follow, for a new customer or past the personal ones; before the first training
# has filled the popular table, the most rated products stand in for them.
RECOMMENDED_FOR = f"""
WITH events AS (
    SELECT coalesce(p.work_id, -p.id) AS item, o.placed_at AS at, l.id AS seq, l.product_id, 'BOUGHT' AS how
    FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
    WHERE o.account_id = $1 AND o.status <> 'CANCELLED'
    UNION ALL
    SELECT r.work_id, r.created_at, r.id, r.product_id, 'RATED'
    FROM reviews r WHERE r.account_id = $1 AND r.status = 'PUBLISHED' AND r.order_line_id IS NULL
), latest AS (
    SELECT DISTINCT ON (item) item, at, seq, product_id, how FROM events ORDER BY item, at DESC, seq DESC
), recent AS (
    SELECT item, product_id, how, row_number() OVER (ORDER BY at DESC, seq DESC) - 1 AS age
    FROM latest ORDER BY at DESC, seq DESC LIMIT $2
), viewed AS (
    SELECT DISTINCT ON (item) item, product_id, position FROM (
        SELECT coalesce(p.work_id, -p.id) AS item, v.product_id, v.position
        FROM browsing_histories h JOIN browsing_history_views v ON v.history_id = h.id
        JOIN products p ON p.id = v.product_id
        WHERE h.account_id = $1 AND NOT h.paused AND p.archived_at IS NULL
    ) v WHERE NOT EXISTS (SELECT 1 FROM latest WHERE latest.item = v.item)
    ORDER BY item, position DESC
), inputs AS (
    SELECT item, product_id, how, power(0.5, age / $3::float8) AS weight FROM recent
    UNION ALL
    SELECT item, product_id, 'VIEWED', $7::float8 * power(0.5, age / $3::float8) FROM (
        SELECT item, product_id, row_number() OVER (ORDER BY position DESC) - 1 AS age
        FROM viewed ORDER BY position DESC LIMIT $6
    ) recent_views
), owned AS (
    SELECT item FROM latest
    UNION
    SELECT coalesce(p.work_id, -p.id) FROM licences li JOIN products p ON p.id = li.product_id
    WHERE li.account_id = $1 AND li.status IN ('ACTIVE', 'SUSPENDED')
), parts AS (
    SELECT r.related AS item, inputs.weight * r.score AS part, inputs.product_id AS because, inputs.how
    FROM inputs JOIN recommendation_related r ON r.item = inputs.item
    WHERE NOT EXISTS (SELECT 1 FROM owned WHERE owned.item = r.related)
), personal AS (
    SELECT item, sum(part) AS score,
           (array_agg(because ORDER BY part DESC, because))[1] AS because,
           (array_agg(how ORDER BY part DESC, because))[1] AS how
    FROM parts GROUP BY item
), popular AS (
    SELECT item, customers::float8 AS score FROM recommendation_popular
    UNION ALL
    SELECT * FROM (
        SELECT coalesce(p.work_id, -p.id), max(p.ratings_count)::float8 FROM products p
        WHERE p.archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM recommendation_popular)
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {model.POPULAR_LIMIT}
    ) most_rated
), candidates AS (
    SELECT 0 AS tier, item, score, because, how FROM personal
    UNION ALL
    SELECT 1, pop.item, pop.score, NULL, NULL FROM popular pop
    WHERE NOT EXISTS (SELECT 1 FROM owned WHERE owned.item = pop.item)
      AND NOT EXISTS (SELECT 1 FROM personal WHERE personal.item = pop.item)
)
SELECT c.item, pick.id AS product_id, c.score, c.because, c.how
FROM (SELECT * FROM candidates ORDER BY tier, score DESC, item) c
CROSS JOIN LATERAL ({_PICK.format(item="c.item", format="NULL")}) pick
ORDER BY c.tier, c.score DESC, c.item
OFFSET $4 LIMIT $5
"""


@dataclass(frozen=True, slots=True)
class Neighbour:
    product_id: int
    related_product_id: int
    score: float


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A product for the customer; `because_product_id` is the product of theirs that contributed
    most (bought, rated, or viewed) and None for a popular pick."""

    item: int
    product_id: int
    score: float
    because_product_id: int | None
    because: str | None  # "BOUGHT", "RATED" or "VIEWED"


async def _neighbours(conn, sql: str, product_ids: list[int], first: int) -> dict[int, list[Neighbour]]:
    rows = await conn.fetch(sql, list(product_ids), first)
    out: dict[int, list[Neighbour]] = {pid: [] for pid in product_ids}
    for r in rows:
        out[r["product_id"]].append(Neighbour(r["product_id"], r["related_product_id"], float(r["score"])))
    return out


async def also_bought(conn, product_ids: list[int], first: int) -> dict[int, list[Neighbour]]:
    """Customers who bought each product also bought: up to `first` buyable products per product,
    best first, in one statement for all of them."""
    return await _neighbours(conn, ALSO_BOUGHT, product_ids, first)


async def bought_together(conn, product_ids: list[int], first: int) -> dict[int, list[Neighbour]]:
    """What is bought in the same order as each product, beyond what chance explains."""
    return await _neighbours(conn, BOUGHT_TOGETHER, product_ids, first)


async def recommended_for(conn, account_id: int, first: int, after: int = 0, *,
                          half_life: float = model.HALF_LIFE,
                          history_limit: int = model.HISTORY_LIMIT, view_limit: int = model.VIEW_LIMIT,
                          view_weight: float = model.VIEW_WEIGHT) -> list[Recommendation]:
    """The customer's recommendations from position `after` (0: the start), up to `first`:
    personal ones from their recent items and recent views, then popular ones; never an item
    they have bought, rated or hold a licence for."""
    rows = await conn.fetch(RECOMMENDED_FOR, account_id, history_limit, half_life, after, first,
                            view_limit, view_weight)
    return [Recommendation(r["item"], r["product_id"], float(r["score"]), r["because"], r["how"]) for r in rows]
