"""SQL over the search read model: matching, ordering, facets and spelling correction."""
from __future__ import annotations

from domain.search.entities import (
    COUNT_LIMIT,
    PRICE_BANDS,
    RANK_CANDIDATES,
    Facets,
    FacetValue,
    ParsedQuery,
    PriceBandCount,
    ProductFilter,
)
from domain.shared.db import Reader
from domain.shared.pagination import PageRequest

_ORDER = {
    "POPULARITY": ("d.ratings_count DESC", "d.ratings_count ASC"),
    "PRICE": ("d.price_minor ASC NULLS LAST", "d.price_minor DESC NULLS LAST"),
    "RATING": ("d.average_rating DESC NULLS LAST", "d.average_rating ASC NULLS LAST"),
    "NEWEST": ("d.release_date DESC NULLS LAST", "d.release_date ASC NULLS LAST"),
    "TITLE": ("d.title ASC", "d.title DESC"),
}
# Relevance: weighted text rank (title > authors/brand > description), plus a bonus when the
# title is the query itself (a series note aside) and a smaller one when the query names the
# author or brand, lifted by popularity: the well-known book comes before an obscure
# namesake, and an author's own books before books about the author.
_RANK = (
    "(ts_rank_cd('{{0.05, 0.2, 0.9, 1.0}}', d.document, {q})"
    " + CASE WHEN regexp_replace(lower(d.title), ' \\(.*\\)$', '') = lower({text})"
    " THEN 1 ELSE 0 END"
    " + CASE WHEN strpos(lower(d.byline), lower({text})) > 0 THEN 0.5 ELSE 0 END)"
    " * (1 + ln(1 + d.ratings_count) / 4)"
)


class _Where:
    """Collects conditions with numbered parameters."""

    def __init__(self) -> None:
        self.conditions: list[tuple[str | None, str]] = []  # (facet it narrows, condition)
        self.args: list[object] = []
        self.text: str | None = None

    def param(self, value: object, cast: str) -> str:
        self.args.append(value)
        return f"${len(self.args)}::{cast}"

    def add(self, condition: str, facet: str | None = None) -> None:
        self.conditions.append((facet, condition))

    @property
    def sql(self) -> str:
        return _all(c for _, c in self.conditions)

    def sql_for(self, facet: str | None) -> str:
        """Only the conditions of one facet (None: the ones that belong to no facet)."""
        return _all(c for f, c in self.conditions if f == facet)


def _all(conditions) -> str:
    conditions = list(conditions)
    return " AND ".join(conditions) if conditions else "true"


# Indexed with the document (domain/search/models.py): the ids of a product's category and its ancestors.
CATEGORY_IDS = "string_to_array(d.category_path::text, '.')"

# Facets whose counts ignore their own filter (disjunctive faceting): with format KINDLE
# chosen, the format facet still says how many hardcovers there are to switch to.
_FACETS = ("brand", "kind", "format", "price", "prime", "stock", "rating")
# The rating facet's thresholds ("4 stars & up"...), over the same one-decimal average that
# `minRating` filters on and the RATING sort orders by (copied from the review summaries).
RATING_THRESHOLDS = (4, 3, 2, 1)


def _where(query: ParsedQuery, flt: ProductFilter, category_path: str | None) -> tuple[_Where, str | None]:
    w = _Where()
    tsquery = None
    if query.title_pattern is not None:
        w.add(f"lower(d.title) ~ {w.param(query.title_pattern, 'text')}")
    elif query.text is not None:
        w.text = w.param((query.corrected or query.text).strip(), 'text')
        tsquery = f"websearch_to_tsquery('english', {w.text})"
        w.add(f"d.document @@ {tsquery}")
    if category_path is not None and tsquery is not None:
        # The same subtree (a path's labels are its categories' ids, so a product is under a
        # category when its path holds that id), as the second column of the text index: one
        # index scan intersects the words and the category, where the tree index would first
        # collect every product of a department (300,000 of two million).
        w.add(f"{CATEGORY_IDS} @> {w.param([category_path.rsplit('.', 1)[-1]], 'text[]')}")
    elif category_path is not None:
        w.add(f"d.category_path <@ {w.param(category_path, 'ltree')}")
    if flt.brand_ids:
        w.add(f"d.brand_id = ANY({w.param(list(flt.brand_ids), 'bigint[]')})", "brand")
    if flt.kinds:
        w.add(f"d.kind = ANY({w.param(list(flt.kinds), 'product_kind[]')})", "kind")
    if flt.formats:
        w.add(f"d.format = ANY({w.param(list(flt.formats), 'product_format[]')})", "format")
    if flt.min_price_minor is not None:
        w.add(f"d.price_minor >= {w.param(flt.min_price_minor, 'bigint')}", "price")
    if flt.max_price_minor is not None:
        w.add(f"d.price_minor <= {w.param(flt.max_price_minor, 'bigint')}", "price")
    if flt.min_rating is not None:
        w.add(f"d.average_rating >= {w.param(flt.min_rating, 'numeric')}", "rating")
    if flt.prime_eligible is not None:
        w.add(f"d.prime_eligible = {w.param(flt.prime_eligible, 'boolean')}", "prime")
    if flt.in_stock is not None:
        w.add(f"d.in_stock = {w.param(flt.in_stock, 'boolean')}", "stock")
    return w, tsquery


async def find_ids(reader: Reader, query: ParsedQuery, flt: ProductFilter, category_path: str | None,
                   sort_key: str, reverse: bool, page: PageRequest) -> list[int]:
    """Product ids of one page (one more than asked, to tell whether a next page exists)."""
    w, tsquery = _where(query, flt, category_path)
    if sort_key == "RELEVANCE":
        order = (f"{_RANK.format(q=tsquery, text=w.text)} {'ASC' if reverse else 'DESC'}" if tsquery
                 else _ORDER["POPULARITY"][1 if reverse else 0])
    else:
        order = _ORDER[sort_key][1 if reverse else 0]
    limit = w.param(page.limit + 1, "int")
    offset = w.param(page.offset, "int")
    source = "search_documents"
    if sort_key == "RELEVANCE" and tsquery:
        source = _candidates(w, max(RANK_CANDIDATES, page.offset + page.limit + 1))
    rows = await reader.fetch(
        f"SELECT d.product_id FROM {source} d WHERE {w.sql}"
        f" ORDER BY {order}, d.product_id {'DESC' if reverse else 'ASC'}"
        f" LIMIT {limit} OFFSET {offset}",
        *w.args,
    )
    return [r[0] for r in rows]


def _candidates(w: _Where, limit: int) -> str:
    """The first `limit` rows matching `w` in the table's physical order, as a derived table:
    what a search ranks when a common word matches more than that. Without an ORDER BY, the bitmap (or sequential) scan stops after `limit`
    rows instead of reading every match from the heap, and the physical order is about the
    popularity order (`domain.marketplace.search_index.rebuild` writes the documents most
    popular first), so the candidates are the popular matches."""
    return f"(SELECT * FROM search_documents d WHERE {w.sql} LIMIT {w.param(limit, 'int')})"


async def count(reader: Reader, query: ParsedQuery, flt: ProductFilter, category_path: str | None) -> int:
    w, _ = _where(query, flt, category_path)
    return await _scalar(reader, f"SELECT count(*) FROM search_documents d WHERE {w.sql}", w.args)


async def _scalar(reader: Reader, sql: str, args: list) -> int:
    row = await reader.fetchrow(sql, *args)
    return row[0]


async def facets(reader: Reader, query: ParsedQuery, flt: ProductFilter, category_path: str | None,
                 top: int = 20, limit: int = COUNT_LIMIT) -> Facets:
    """Counts per child category, brand, price band, kind, format, stock and Prime, in one
    pass. The total and the categories count the full result; every other facet counts the
    result without its own filter (see `_FACETS`). Only the first `limit` rows matching the
    query and the category are counted (see `_candidates`): past it, `exact` is false."""
    w, _ = _where(query, flt, category_path)
    depth = 0 if category_path is None else category_path.count(".") + 1
    band_cases = " ".join(
        f"WHEN d.price_minor < {high} THEN {i}" for i, (_, high) in enumerate(PRICE_BANDS) if high
    )
    flags = ", ".join(f"({w.sql_for(f)}) AS f_{f}" for f in _FACETS)
    every = " AND ".join(f"f_{f}" for f in _FACETS)
    counts = ", ".join(
        f"count(*) FILTER (WHERE {_all(f'f_{o}' for o in _FACETS if o != f)}) AS n_{f}" for f in _FACETS
    )
    not_rating = _all(f"f_{o}" for o in _FACETS if o != "rating")
    counts += "".join(f", count(*) FILTER (WHERE {not_rating} AND rating >= {t}) AS n_rating_{t}"
                      for t in RATING_THRESHOLDS)
    # One row past the limit tells whether there were more; only the columns the facets read
    # are kept (not the documents).
    sample = (f"SELECT d.category_path, d.brand_id, d.price_minor, d.kind, d.format, d.in_stock,"
              f" d.prime_eligible, d.average_rating FROM search_documents d WHERE {w.sql_for(None)}"
              f" LIMIT {w.param(limit + 1, 'int')}")
    rows = await reader.fetch(
        f"""
        WITH sample AS MATERIALIZED ({sample})
        SELECT GROUPING(cat, brand_id, band, kind, format, in_stock, prime_eligible) AS g,
               cat, brand_id, band, kind, format, in_stock, prime_eligible,
               count(*) FILTER (WHERE {every}) AS n, (SELECT count(*) FROM sample) AS sampled, {counts}
        FROM (
          SELECT CASE WHEN nlevel(d.category_path) > {depth}
                      THEN subpath(d.category_path, {depth}, 1)::text END AS cat,
                 d.brand_id,
                 CASE WHEN d.price_minor IS NULL THEN NULL {band_cases}
                      ELSE {len(PRICE_BANDS) - 1} END AS band,
                 d.kind::text AS kind, d.format::text AS format, d.in_stock, d.prime_eligible,
                 d.average_rating AS rating, {flags}
          FROM (SELECT * FROM sample LIMIT {w.param(limit, 'int')}) d
        ) m
        GROUP BY GROUPING SETS ((cat), (brand_id), (band), (kind), (format), (in_stock),
                                (prime_eligible), ())
        """,
        *w.args,
    )
    result = Facets(total=0)
    bands: dict[int, int] = {}
    for r in rows:
        g = r["g"]
        if g == 0b1111111:
            result.total = r["n"]
            result.exact = r["sampled"] <= limit
            result.ratings = [FacetValue(str(t), r[f"n_rating_{t}"]) for t in RATING_THRESHOLDS]
        elif g == 0b0111111 and r["cat"] is not None and r["n"]:
            result.categories.append(FacetValue(r["cat"], r["n"]))
        elif g == 0b1011111 and r["brand_id"] is not None and r["n_brand"]:
            result.brands.append(FacetValue(str(r["brand_id"]), r["n_brand"]))
        elif g == 0b1101111 and r["band"] is not None and r["n_price"]:
            bands[r["band"]] = r["n_price"]
        elif g == 0b1110111 and r["n_kind"]:
            result.kinds.append(FacetValue(r["kind"], r["n_kind"]))
        elif g == 0b1111011 and r["n_format"]:
            result.formats.append(FacetValue(r["format"], r["n_format"]))
        elif g == 0b1111101:
            if r["in_stock"]:
                result.in_stock = r["n_stock"]
            else:
                result.out_of_stock = r["n_stock"]
        elif g == 0b1111110 and r["prime_eligible"]:
            result.prime_eligible = r["n_prime"]
    by_count = lambda v: (-v.count, v.value)  # noqa: E731
    result.categories.sort(key=by_count)
    result.brands = sorted(result.brands, key=by_count)[:top]
    result.kinds.sort(key=by_count)
    result.formats.sort(key=by_count)
    result.price_bands = [
        PriceBandCount(low, high, bands[i]) for i, (low, high) in enumerate(PRICE_BANDS) if i in bands
    ]
    return result


async def analyse(reader: Reader, text: str, words: list[str]) -> tuple[list[str | None], bool]:
    """For each word: itself when known, the closest known word otherwise, None when nothing
    is close; and whether the query keeps any word once English stop words are dropped."""
    rows = await reader.fetch(
        """
        SELECT coalesce(exact.word, best.word) AS word,
               numnode(websearch_to_tsquery('english', $2)) > 0 AS searchable
        FROM unnest($1::text[]) WITH ORDINALITY AS w(word, n)
        LEFT JOIN search_terms exact ON exact.word = w.word
        LEFT JOIN LATERAL (
          SELECT t.word FROM search_terms t
          WHERE exact.word IS NULL AND length(w.word) >= 3 AND t.word % w.word
          ORDER BY similarity(t.word, w.word) DESC, t.documents DESC, t.word
          LIMIT 1
        ) best ON true
        ORDER BY w.n
        """,
        words, text,
    )
    return [r[0] for r in rows], bool(rows) and rows[0][1]


async def suggestions(reader: Reader, prefix: str, limit: int) -> list[tuple[int, str]]:
    """(product id, title) of popular products with a title word starting with `prefix`;
    titles that start with it come first, and each title appears once."""
    # Ordered among the first matches only, as a search ranks its candidates (`_candidates`):
    # a one-letter prefix matches a fifth of the catalogue.
    rows = await reader.fetch(
        """
        SELECT d.product_id, d.title FROM (
          SELECT d.product_id, d.title, d.ratings_count FROM search_documents d
          WHERE lower(d.title) LIKE $1 OR lower(d.title) LIKE $2
          LIMIT $4
        ) d
        ORDER BY lower(d.title) LIKE $1 DESC, d.ratings_count DESC, d.product_id
        LIMIT $3
        """,
        _like_prefix(prefix), "% " + _like_prefix(prefix), limit * 4, RANK_CANDIDATES,
    )
    seen: set[str] = set()
    unique = []
    for product_id, title in rows:
        if title.lower() not in seen:
            seen.add(title.lower())
            unique.append((product_id, title))
    return unique[:limit]


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
