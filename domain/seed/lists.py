"""The demo customers' lists, built from their own ratings so a list page and a profile look real:
a public "Five-star <genre>" list for each of their (at most two) genres with three or more
five-star reviews, holding those books; and a wish list of the genre's most-rated books they have
not reviewed. A few statements for all demo customers, in the seed's transaction."""
from __future__ import annotations

from collections.abc import Sequence

import asyncpg

# Per genre: books of at least this many five-star reviews make a public list.
MIN_FIVE_STARS = 3
LISTS_PER_CUSTOMER = 2
ITEMS_PER_LIST = 20
WISH_LIST_ITEMS = 6

_FIVE_STAR_LISTS = f"""
WITH five AS (
  SELECT r.account_id, r.product_id, lower(c.name) AS genre,
         row_number() OVER (PARTITION BY r.account_id, lower(c.name) ORDER BY r.id) AS position
  FROM reviews r JOIN products p ON p.id = r.product_id JOIN categories c ON c.id = p.category_id
  WHERE r.account_id = ANY($1::bigint[]) AND r.stars = 5 AND r.status = 'PUBLISHED' AND p.archived_at IS NULL
), genres AS (
  SELECT account_id, genre, row_number() OVER (PARTITION BY account_id ORDER BY count(*) DESC, genre) AS rank
  FROM five GROUP BY account_id, genre HAVING count(*) >= {MIN_FIVE_STARS}
), made AS (
  INSERT INTO lists (account_id, kind, name, description, visibility, last_seq)
  SELECT account_id, 'NAMED', left('Five-star ' || genre, 100), 'Books I gave five stars.', 'PUBLIC', 1
  FROM genres WHERE rank <= {LISTS_PER_CUSTOMER}
  RETURNING id, account_id, name
)
INSERT INTO list_items (list_id, product_id, seq, added_seq, added_by)
SELECT m.id, f.product_id, 1, 1, m.account_id FROM made m
JOIN five f ON f.account_id = m.account_id AND left('Five-star ' || f.genre, 100) = m.name
 AND f.position <= {ITEMS_PER_LIST}
"""

_WISH_LISTS = f"""
WITH top_genre AS (
  SELECT DISTINCT ON (r.account_id) r.account_id, p.category_id
  FROM reviews r JOIN products p ON p.id = r.product_id
  WHERE r.account_id = ANY($1::bigint[]) AND r.status = 'PUBLISHED'
  GROUP BY r.account_id, p.category_id ORDER BY r.account_id, avg(r.stars) DESC, count(*) DESC, p.category_id
), popular AS (
  SELECT id, work_id, category_id FROM (
    SELECT p.id, p.work_id, p.category_id,
           row_number() OVER (PARTITION BY p.category_id ORDER BY p.ratings_count DESC, p.id) AS rank
    FROM products p WHERE p.archived_at IS NULL AND p.work_id IS NOT NULL
      AND p.category_id IN (SELECT category_id FROM top_genre)) ranked
  WHERE rank <= 40
), unread AS (
  SELECT g.account_id, p.id, row_number() OVER (PARTITION BY g.account_id ORDER BY p.id) AS position
  FROM top_genre g JOIN popular p ON p.category_id = g.category_id
  LEFT JOIN reviews r ON r.account_id = g.account_id AND r.work_id = p.work_id
  WHERE r.id IS NULL
), made AS (
  INSERT INTO lists (account_id, kind, name, last_seq)
  SELECT account_id, 'WISH_LIST', 'Wish list', 1 FROM top_genre
  RETURNING id, account_id
)
INSERT INTO list_items (list_id, product_id, seq, added_seq, added_by)
SELECT m.id, u.id, 1, 1, m.account_id FROM made m
JOIN unread u ON u.account_id = m.account_id AND u.position <= {WISH_LIST_ITEMS}
"""


async def insert_demo_lists(conn: asyncpg.Connection, account_ids: Sequence[int]) -> tuple[int, int]:
    """Writes the demo customers' lists; returns (public lists, wish lists) made."""
    ids = list(account_ids)
    # The reviews were written by this transaction, which autovacuum cannot see: without fresh
    # statistics the planner takes them for a few rows and the statements below run 30x slower.
    await conn.execute("ANALYZE reviews, products")
    await conn.execute(_FIVE_STAR_LISTS, ids)
    await conn.execute(_WISH_LISTS, ids)
    await conn.execute("UPDATE lists l SET item_count = (SELECT count(*) FROM list_items i WHERE i.list_id = l.id)"
                       " WHERE l.account_id = ANY($1::bigint[])", ids)
    counts = await conn.fetchrow(
        "SELECT count(*) FILTER (WHERE kind = 'NAMED'), count(*) FILTER (WHERE kind = 'WISH_LIST') FROM lists"
        " WHERE account_id = ANY($1::bigint[])", ids)
    return counts[0], counts[1]
