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
from domain.search.spelling import PREFIX_MIN_LENGTH, WordInfo
from domain.shared.db import Reader
from domain.shared.pagination import PageRequest

# (expression, direction when not reversed); NULLS LAST both ways. The popularity is never
# null, and says nothing of nulls: so it matches its index (`ratings_count DESC, product_id`),
# which a browse of a large department walks, stopping at the page's end.
_ORDER = {
    "POPULARITY": ("d.ratings_count", "DESC"),
    "PRICE": ("d.price_minor", "ASC"),
    "RATING": ("d.average_rating", "DESC"),
    "NEWEST": ("d.release_date", "DESC"),
    "TITLE": ("d.title", "ASC"),
}
_NOT_NULL = {"d.ratings_count", "d.title"}
# Relevance: weighted text rank (title words 1.0 > authors/brand 0.4 > description 0.1),
# plus a bonus when the title is the query itself (a series note aside), a smaller one when it
# starts with the query (typed halfway), and one when the query names the author or brand as
# whole words (an author's own books before books about the author: authors and brands are
# joined by spaces, so a padded `strpos` finds whole names without a regular expression per
# match), and one when the letters of the last word, typed halfway, already are a word of the
# document as the index holds it (the index holds "coffee" as "coffe": coffee before Coffey);
# lifted by popularity and by the rating: the well-known book comes before an obscure namesake.
_RANK = (
    "((ts_rank_cd('{{0.02, 0.1, 0.4, 1.0}}', d.document, {q}){whole}"
    " + CASE WHEN regexp_replace(lower(d.title), ' \\(.*\\)$', '') = {text} THEN 2"
    " WHEN starts_with(lower(d.title), {text}) THEN 1 ELSE 0 END"
    " + CASE WHEN strpos(' ' || lower(d.byline) || ' ', ' ' || {text} || ' ') > 0 THEN 1.5 ELSE 0 END)"
    " * (1 + ln(1 + d.ratings_count) / 4) * (1 + coalesce(d.average_rating, 0) / 20))"
)
# The best format of a work comes first among equals: in stock, then the most reviewed.
_FORMAT_TIEBREAK = "d.in_stock DESC, d.ratings_count DESC"
# What a grouped result counts: the work, or the product itself when it has none.
GROUP_KEY = "coalesce(d.work_id, -d.product_id)"
# Indexed with the document (domain/search/models.py): the ids of a product's category and its ancestors.
CATEGORY_IDS = "string_to_array(d.category_path::text, '.')"


def typed_prefix_match(word: str, by_stem: str = "true") -> str:
    """A condition on `d.document`: it holds a word that starts with the letters of `word` (a
    quoted `to_tsquery` word) as typed, or, where `by_stem` (SQL) holds, `word` itself by its
    stem; true when `word` is NULL or an English stop word (which the documents do not hold).
    The tsquery is an init plan, made once per statement (or per value of an outer column), not
    once per row. See `domain.search.spelling.typed_prefix`."""
    return (f"coalesce(ts_match_vq(d.document, (SELECT CASE WHEN numnode(e) = 0 THEN NULL"
            f" WHEN {by_stem} THEN e || s ELSE s END"
            f" FROM to_tsquery('english', {word}) e, to_tsquery('simple', {word} || ':*') s)), true)")


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
    elif query.tsquery is not None:
        w.text = query.corrected or query.words
        tsquery = f"to_tsquery('english', {w.param(query.tsquery, 'text')})"
        if query.indexed_tsquery is None:
            w.add(f"d.document @@ {tsquery}")
        else:
            # The function, unlike the operator, is no index condition: the short prefix only
            # filters what the other words find.
            w.add(f"d.document @@ to_tsquery('english', {w.param(query.indexed_tsquery, 'text')})")
            w.add(f"ts_match_vq(d.document, {tsquery})")
        if query.typed_prefix is not None:
            w.add(typed_prefix_match(w.param(query.typed_prefix, "text")))
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


def grouped(query: ParsedQuery, group_formats: bool) -> bool:
    """Formats are grouped in text searches only: a browse lists every product."""
    return group_formats and query.tsquery is not None


def page_ids_query(query: ParsedQuery, flt: ProductFilter, category_path: str | None, sort_key: str,
                   reverse: bool, page: PageRequest, group_formats: bool = False) -> tuple[str, list]:
    """The query of one page's product ids (one more than asked, to tell whether a next page
    exists) and its parameters; when grouped, the best matching format of each work in the page's
    order. Ranked by relevance, only the candidates are ranked and grouped (see `_candidates`),
    never every match."""
    w, tsquery = _where(query, flt, category_path)
    source = "search_documents"
    if sort_key == "RELEVANCE" and tsquery:
        source = _candidates(w, max(RANK_CANDIDATES, page.offset + page.limit + 1))
        whole = "" if query.typed_prefix is None else (
            f" + CASE WHEN ts_match_vq(d.document, to_tsquery('simple', {w.param(query.typed_prefix, 'text')}))"
            f" THEN 1 ELSE 0 END")
        key, direction = _RANK.format(q=tsquery, text=w.param(w.text, "text"), whole=whole), "DESC"
    else:
        key, direction = _ORDER["POPULARITY" if sort_key == "RELEVANCE" else sort_key]
    if reverse:
        direction = "ASC" if direction == "DESC" else "DESC"
    tie = "DESC" if reverse else "ASC"
    limit = w.param(page.limit + 1, "int")
    offset = w.param(page.offset, "int")
    if not grouped(query, group_formats):
        nulls = "" if key in _NOT_NULL else " NULLS LAST"
        sql = (f"SELECT d.product_id FROM {source} d WHERE {w.sql}"
               f" ORDER BY {key} {direction}{nulls}, d.product_id {tie}")
    else:
        sql = (f"SELECT product_id FROM ("
               f" SELECT DISTINCT ON ({GROUP_KEY}) d.product_id, {key} AS k FROM {source} d"
               f" WHERE {w.sql} ORDER BY {GROUP_KEY}, k {direction} NULLS LAST, {_FORMAT_TIEBREAK}, d.product_id"
               f") g ORDER BY k {direction} NULLS LAST, product_id {tie}")
    return f"{sql} LIMIT {limit} OFFSET {offset}", w.args


def _candidates(w: _Where, limit: int) -> str:
    """The first `limit` rows matching `w` in the table's physical order, as a derived table:
    what a search ranks when a common word matches more than that. Without an ORDER BY, the
    bitmap (or sequential) scan stops after `limit` rows instead of reading every match from the
    heap, and the physical order is about the popularity order
    (`domain.marketplace.search_index.rebuild` writes the documents most popular first), so the
    candidates are the popular matches."""
    return f"(SELECT * FROM search_documents d WHERE {w.sql} LIMIT {w.param(limit, 'int')})"


async def count(reader: Reader, query: ParsedQuery, flt: ProductFilter, category_path: str | None,
                group_formats: bool = False) -> int:
    w, _ = _where(query, flt, category_path)
    what = f"DISTINCT {GROUP_KEY}" if grouped(query, group_formats) else "*"
    return await _scalar(reader, f"SELECT count({what}) FROM search_documents d WHERE {w.sql}", w.args)


async def _scalar(reader: Reader, sql: str, args: list) -> int:
    row = await reader.fetchrow(sql, *args)
    return row[0]


async def facets(reader: Reader, query: ParsedQuery, flt: ProductFilter, category_path: str | None,
                 top: int = 20, group_formats: bool = False, limit: int = COUNT_LIMIT) -> Facets:
    """Counts per child category, brand, price band, kind, format, stock and Prime, in one
    pass. The total and the categories count the full result; every other facet counts the
    result without its own filter (see `_FACETS`). Grouped, they count works (a work counts
    under each value one of its matching formats has), as the page lists them. Only the first
    `limit` products matching the query and the category are counted (see `_candidates`), and
    grouped among them: past it, `exact` is false."""
    w, _ = _where(query, flt, category_path)
    n = "count(DISTINCT g)" if grouped(query, group_formats) else "count(*)"
    depth = 0 if category_path is None else category_path.count(".") + 1
    band_cases = " ".join(
        f"WHEN d.price_minor < {high} THEN {i}" for i, (_, high) in enumerate(PRICE_BANDS) if high
    )
    flags = ", ".join(f"({w.sql_for(f)}) AS f_{f}" for f in _FACETS)
    every = " AND ".join(f"f_{f}" for f in _FACETS)
    counts = ", ".join(
        f"{n} FILTER (WHERE {_all(f'f_{o}' for o in _FACETS if o != f)}) AS n_{f}" for f in _FACETS
    )
    not_rating = _all(f"f_{o}" for o in _FACETS if o != "rating")
    counts += "".join(f", {n} FILTER (WHERE {not_rating} AND rating >= {t}) AS n_rating_{t}"
                      for t in RATING_THRESHOLDS)
    # One row past the limit tells whether there were more; only the columns the facets read
    # are kept (not the documents).
    sample = (f"SELECT d.category_path, d.brand_id, d.price_minor, d.kind, d.format, d.in_stock,"
              f" d.prime_eligible, d.average_rating, d.work_id, d.product_id FROM search_documents d"
              f" WHERE {w.sql_for(None)} LIMIT {w.param(limit + 1, 'int')}")
    rows = await reader.fetch(
        f"""
        WITH sample AS MATERIALIZED ({sample})
        SELECT GROUPING(cat, brand_id, band, kind, format, in_stock, prime_eligible) AS g,
               cat, brand_id, band, kind, format, in_stock, prime_eligible,
               {n} FILTER (WHERE {every}) AS n, (SELECT count(*) FROM sample) AS sampled, {counts}
        FROM (
          SELECT CASE WHEN nlevel(d.category_path) > {depth}
                      THEN subpath(d.category_path, {depth}, 1)::text END AS cat,
                 d.brand_id,
                 CASE WHEN d.price_minor IS NULL THEN NULL {band_cases}
                      ELSE {len(PRICE_BANDS) - 1} END AS band,
                 d.kind::text AS kind, d.format::text AS format, d.in_stock, d.prime_eligible,
                 d.average_rating AS rating, {GROUP_KEY} AS g, {flags}
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


# Candidates a word's trigrams bring back before the edit distance is checked, and how much
# longer or shorter than the word they may be (two typos at most).
CANDIDATES_PER_WORD = 40
MAX_LENGTH_GAP = 2
# A spelling's count stops here: enough to compare spellings without counting a common word's
# every match.
COUNT_CAP = 1000


# Whether the query's last word is a word of the vocabulary. Only then does the query as typed
# find documents by the last word's stem: an unknown word that stems to another ("diverent" to
# "diver", "shinning" to "shin") is a typo to correct, not a word to find.
_LAST_KNOWN = "(SELECT known FROM w WHERE n = cardinality($1::text[]))"


async def vocabulary(reader: Reader, words: list[str], typed: str, anchored: str, indexed: str,
                     shortest: int, typed_prefix: str | None,
                     anchored_prefix: str | None) -> tuple[list[WordInfo], bool, bool, bool]:
    """What the dictionary knows of each word, whether the query keeps a word once English stop
    words are dropped (`typed`: its tsquery text), whether a short last word may be a prefix
    because the other words are searchable (`indexed`: their tsquery; `anchored`: with the
    prefix), and whether the query finds anything as typed (so, with the prefix or not). Close
    words are looked up only for unknown words of `shortest` letters or more, and not for a last
    word (of PREFIX_MIN_LENGTH letters or more) that starts a known one: the others stand as typed.
    `typed_prefix`, `anchored_prefix`: the last word for `typed_prefix_match`, or None."""
    rows = await reader.fetch(
        f"""
        WITH w AS (
          SELECT u.word, u.n::int AS n, EXISTS (SELECT 1 FROM search_terms t WHERE t.word = u.word) AS known
          FROM unnest($1::text[]) WITH ORDINALITY AS u(word, n)
        ), s AS (
          SELECT w.*, w.n = cardinality($1::text[]) AND length(w.word) >= $7
                        AND EXISTS (SELECT 1 FROM search_terms t WHERE t.word LIKE $2) AS starts_known
          FROM w
        ), c AS (
          SELECT * FROM search_typo_candidates(
            array(SELECT CASE WHEN known OR starts_known OR length(word) < $6 THEN '' ELSE word END
                  FROM s ORDER BY n), $4, $5)
        )
        SELECT w.word, w.known, w.starts_known,
               array(SELECT c.word FROM c WHERE c.n = w.n) AS close,
               array(SELECT c.documents FROM c WHERE c.n = w.n) AS documents,
               numnode(to_tsquery('english', $3)) > 0 AS searchable,
               a.anchored,
               CASE WHEN a.anchored
                    THEN EXISTS (SELECT 1 FROM search_documents d WHERE d.document @@ to_tsquery('english', $9)
                                 AND ts_match_vq(d.document, to_tsquery('english', $8))
                                 AND {typed_prefix_match("$11::text", _LAST_KNOWN)})
                    ELSE EXISTS (SELECT 1 FROM search_documents d WHERE d.document @@ to_tsquery('english', $3)
                                 AND {typed_prefix_match("$10::text", _LAST_KNOWN)})
               END AS found
        FROM s AS w, (SELECT $8 <> $3 AND numnode(to_tsquery('english', $9)) > 0 AS anchored) a
        ORDER BY w.n
        """,
        words, _like_prefix(words[-1]), typed, MAX_LENGTH_GAP, CANDIDATES_PER_WORD, shortest,
        PREFIX_MIN_LENGTH, anchored, indexed, typed_prefix, anchored_prefix,
    )
    infos = [WordInfo(r["word"], r["known"], r["starts_known"], list(zip(r["close"], r["documents"])))
             for r in rows]
    return infos, rows[0]["searchable"], rows[0]["found"], rows[0]["anchored"]


async def close_words(reader: Reader, words: list[str]) -> list[list[tuple[str, int]]]:
    """Dictionary words close to each word by trigrams, (word, documents) best first."""
    rows = await reader.fetch("SELECT n, word, documents FROM search_typo_candidates($1::text[], $2, $3)",
                              words, MAX_LENGTH_GAP, CANDIDATES_PER_WORD)
    close: list[list[tuple[str, int]]] = [[] for _ in words]
    for n, word, documents in rows:
        close[n - 1].append((word, documents))
    return close


async def count_each(reader: Reader, in_context: list[str], anywhere: list[str],
                     in_context_indexed: list[str], anywhere_indexed: list[str],
                     typed_prefixes: list[str | None]) -> list[tuple[int, int]]:
    """How many documents each spelling finds, up to COUNT_CAP: with its `in_context` tsquery and
    its `anywhere` one, in one statement over the GIN index (which looks up the `_indexed` ones,
    without a short prefix), narrowed by its last word as typed (`typed_prefix_match`)."""
    prefix = typed_prefix_match("q.p")
    rows = await reader.fetch(
        f"""
        SELECT (SELECT count(*) FROM (SELECT 1 FROM search_documents d
                                      WHERE d.document @@ to_tsquery('english', q.ci)
                                        AND (q.c IS NULL OR ts_match_vq(d.document, to_tsquery('english', q.c)))
                                        AND {prefix}
                                      LIMIT $5) m),
               (SELECT count(*) FROM (SELECT 1 FROM search_documents d
                                      WHERE d.document @@ to_tsquery('english', q.ai)
                                        AND (q.a IS NULL OR ts_match_vq(d.document, to_tsquery('english', q.a)))
                                        AND {prefix}
                                      LIMIT $5) m)
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::text[])
             WITH ORDINALITY AS q(c, a, ci, ai, p, n)
        ORDER BY q.n
        """,
        _filters(in_context, in_context_indexed), _filters(anywhere, anywhere_indexed),
        in_context_indexed, anywhere_indexed, COUNT_CAP, typed_prefixes,
    )
    return [(r[0], r[1]) for r in rows]



def _filters(full: list[str], indexed: list[str]) -> list[str | None]:
    """The tsqueries that filter what the index finds: None where the index finds them whole."""
    return [f if f != i else None for f, i in zip(full, indexed)]


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
