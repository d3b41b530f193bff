"""Keeps the search-box suggestions (`domain/search/suggestion_tables.py`) in step with the
search documents they are made of, by the same paths: a full `rebuild` with the documents, and a
`refresh` of the products a transaction changed, in that transaction.

An entry's weight is the number of products it stands for plus their ratings (a title: its
formats; an author, a brand: their products; a category: the products in it and below it), so
popular entries come first and ones without ratings still rank by size. A refresh keeps the
titles of the refreshed products exact (a renamed or archived product's old title leaves when no
product has it any more) and adds authors, brands, categories and words it has not seen; their
weights become exact again, and entries nothing uses any more leave, at the next full rebuild
(as the spelling dictionary does). Ratings copied to the documents by the reviews' triggers
reach the weights at the next refresh of the product or the next rebuild.

Words are split on white space and punctuation, as `domain/search/suggestions.py` splits what a
shopper types.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import asyncpg

if TYPE_CHECKING:
    from domain.marketplace.search_index import Executor

# Keys are lowercased texts; words longer than 40 letters are not worth completing.
_WORDS = ("ARRAY(SELECT DISTINCT w FROM regexp_split_to_table({key}, '[[:space:][:punct:]]+') w"
          " WHERE w <> '' AND length(w) <= 40)")

# Every entry a set of documents gives, grouped by kind and key; `{docs}` is a relation of
# search documents with the products' authors.
_ENTRIES = """
SELECT 'PRODUCT'::search_suggestion_kind AS kind, lower(d.title) AS key,
       (array_agg(d.title ORDER BY d.ratings_count DESC, d.product_id))[1] AS text,
       (array_agg(d.product_id ORDER BY d.ratings_count DESC, d.product_id))[1] AS ref_id,
       sum(1 + d.ratings_count) AS weight
FROM {docs} d GROUP BY lower(d.title)
UNION ALL
SELECT 'AUTHOR', lower(a.name), min(a.name), NULL, sum(1 + d.ratings_count)
FROM {docs} d CROSS JOIN LATERAL unnest(d.authors) AS a(name)
WHERE btrim(a.name) <> '' GROUP BY lower(a.name)
UNION ALL
SELECT 'BRAND', lower(b.name), (array_agg(b.name ORDER BY b.id))[1], min(b.id), sum(1 + d.ratings_count)
FROM {docs} d JOIN brands b ON b.id = d.brand_id GROUP BY lower(b.name)
UNION ALL
SELECT 'CATEGORY', key, (array_agg(name ORDER BY n DESC, id))[1], (array_agg(id ORDER BY n DESC, id))[1], max(n)
FROM (
  SELECT c.id, c.name, lower(c.name) AS key, sum(1 + d.ratings_count) AS n
  FROM {docs} d
  CROSS JOIN LATERAL unnest(string_to_array(d.category_path::text, '.')) AS up(id)
  JOIN categories c ON c.id = up.id::bigint AND c.archived_at IS NULL
  GROUP BY c.id
) per_category GROUP BY key
"""

_REBUILD = f"""
TRUNCATE search_suggestion_words, search_suggestion_terms, search_suggestions;
INSERT INTO search_suggestions (kind, key, text, ref_id, weight, words)
SELECT kind, key, text, ref_id, weight, {_WORDS.format(key='key')}
FROM ({_ENTRIES.format(docs='(SELECT d.*, p.authors FROM search_documents d JOIN products p ON p.id = d.product_id)')}) e;
INSERT INTO search_suggestion_words (word, suggestion_id, weight)
SELECT w, s.id, s.weight FROM search_suggestions s, unnest(s.words) w;
INSERT INTO search_suggestion_terms (word, weight)
SELECT word, max(weight) FROM search_suggestion_words GROUP BY word;
"""


async def rebuild(conn: asyncpg.Connection) -> None:
    """Every entry again from the search documents (after they are rebuilt)."""
    await conn.execute(_REBUILD)


# Entries changed by the statement (`changed`: id, words, weight) bring their words along:
# postings take the new weight; a word new to the dictionary is added, and a known word keeps
# its best weight until the next rebuild, because raising it would lock the row of a common word
# ("the") until commit and make every catalogue write wait for the one before. Rows are written
# in key order, so two refreshes sharing rows never wait for each other in a cycle.
_POST_WORDS = """,
posted AS (
  INSERT INTO search_suggestion_words (word, suggestion_id, weight)
  SELECT w, c.id, c.weight FROM changed c, unnest(c.words) w ORDER BY w, c.id
  ON CONFLICT (word, suggestion_id) DO UPDATE SET weight = excluded.weight
)
INSERT INTO search_suggestion_terms (word, weight)
SELECT w, max(c.weight) FROM changed c, unnest(c.words) w GROUP BY w ORDER BY w
ON CONFLICT (word) DO NOTHING
"""

# The titles of these products, before and after: each recounted over every document with it.
_REFRESH_TITLES = f"""
WITH touched AS (
  SELECT lower(title) AS key FROM search_documents WHERE product_id = ANY($1::bigint[])
  UNION
  SELECT key FROM search_suggestions WHERE kind = 'PRODUCT' AND ref_id = ANY($1::bigint[])
),
counted AS (
  SELECT t.key, c.text, c.ref_id, c.weight FROM touched t
  CROSS JOIN LATERAL (
    SELECT (array_agg(d.title ORDER BY d.ratings_count DESC, d.product_id))[1] AS text,
           (array_agg(d.product_id ORDER BY d.ratings_count DESC, d.product_id))[1] AS ref_id,
           sum(1 + d.ratings_count) AS weight
    FROM search_documents d WHERE lower(d.title) = t.key
  ) c
),
gone AS (
  DELETE FROM search_suggestions s USING counted c
  WHERE s.kind = 'PRODUCT' AND s.key = c.key AND c.ref_id IS NULL
),
changed AS (
  INSERT INTO search_suggestions (kind, key, text, ref_id, weight, words)
  SELECT 'PRODUCT', key, text, ref_id, weight, {_WORDS.format(key='key')} FROM counted
  WHERE ref_id IS NOT NULL ORDER BY key
  ON CONFLICT (kind, key) DO UPDATE SET text = excluded.text, ref_id = excluded.ref_id,
                                         weight = excluded.weight
  RETURNING id, words, weight
){_POST_WORDS}
"""

_LEARN_OTHERS = f"""
WITH docs AS (
  SELECT d.*, p.authors FROM search_documents d JOIN products p ON p.id = d.product_id
  WHERE d.product_id = ANY($1::bigint[])
),
changed AS (
  INSERT INTO search_suggestions (kind, key, text, ref_id, weight, words)
  SELECT kind, key, text, ref_id, weight, {_WORDS.format(key='key')}
  FROM ({_ENTRIES.format(docs='docs')}) e WHERE kind <> 'PRODUCT' ORDER BY kind, key
  ON CONFLICT (kind, key) DO NOTHING
  RETURNING id, words, weight
){_POST_WORDS}
"""


async def refresh(conn: "Executor", product_ids: Sequence[int]) -> None:
    """The titles of these products exact again; their new authors, brands and categories added."""
    ids = list(product_ids)
    await conn.execute(_REFRESH_TITLES, ids)
    await conn.execute(_LEARN_OTHERS, ids)
