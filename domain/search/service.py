"""Search and filtered browsing over the catalogue's live products.

Rules: a query is at most 200 characters and 12 words; words are matched by stem with
title > authors/brand > description weights, the last word also as a prefix (search as you
type: "the girl on the trai"; one or two letters only after other words, among what they find,
`spelling.PREFIX_MIN_LENGTH`); misspelt words are corrected within a typo
budget by word length (`domain/search/spelling.py`), unless the search asks for the words as
typed (`exact`); a query made only of stop words ("It", "The Who") matches titles that start with
those words; a query with no words at all matches nothing; an empty query browses
everything. A text search lists each work once (its best matching format) unless asked
for every format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from domain.catalogue import service as catalogue_service
from domain.catalogue.entities import Product
from domain.search import repository, spelling, suggestions
from domain.search.entities import (
    MAX_FILTER_VALUES,
    MAX_QUERY_LENGTH,
    MAX_QUERY_WORDS,
    SORT_KEYS,
    Facets,
    ParsedQuery,
    SearchSpec,
)
from domain.search.errors import SearchErrorCode
from domain.shared.config import get_settings
from domain.shared.db import Reader
from domain.shared.errors import InvalidInput
from domain.shared.pagination import Page, PageRequest

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(slots=True)
class PreparedSearch:
    """A validated spec with its query parsed and its category resolved, reusable for the
    page, the count and the facets of the same search."""

    spec: SearchSpec
    query: ParsedQuery
    category_path: str | None
    category_missing: bool = False

    @property
    def matches_nothing(self) -> bool:
        return self.query.matches_nothing or self.category_missing


def _validate(spec: SearchSpec) -> None:
    if spec.sort_key not in SORT_KEYS:
        raise InvalidInput(f"Unknown sort key {spec.sort_key}.", code=SearchErrorCode.INVALID_SORT, field=["sortKey"])
    if spec.query is not None and len(spec.query) > MAX_QUERY_LENGTH:
        raise InvalidInput(
            f"The query is {len(spec.query)} characters long; the limit is {MAX_QUERY_LENGTH}.",
            code=SearchErrorCode.QUERY_TOO_LONG, field=["query"],
        )
    f = spec.filter
    for name, values in (("brandIds", f.brand_ids), ("kinds", f.kinds), ("formats", f.formats)):
        if len(values) > MAX_FILTER_VALUES:
            raise InvalidInput(f"At most {MAX_FILTER_VALUES} values in {name}.",
                               code=SearchErrorCode.FILTER_TOO_LARGE, field=["filter", name])
    for name, value in (("minPrice", f.min_price_minor), ("maxPrice", f.max_price_minor)):
        if value is not None and value < 0:
            raise InvalidInput(f"{name} cannot be negative.", code=SearchErrorCode.INVALID_PRICE_RANGE,
                               field=["filter", name])
    if (f.min_price_minor is not None and f.max_price_minor is not None
            and f.min_price_minor > f.max_price_minor):
        raise InvalidInput("minPrice is above maxPrice.", code=SearchErrorCode.INVALID_PRICE_RANGE,
                           field=["filter", "minPrice"])
    if f.min_rating is not None and not (0 <= f.min_rating <= 5):
        raise InvalidInput("minRating must be between 0 and 5.", code=SearchErrorCode.INVALID_RATING,
                           field=["filter", "minRating"])


def _budget() -> spelling.Budget:
    settings = get_settings()
    return spelling.Budget(settings.search_one_typo_min_length, settings.search_two_typos_min_length)


async def _parse_query(reader: Reader, text: str | None, exact: bool = False) -> ParsedQuery:
    if text is None or not text.strip():
        return ParsedQuery(text=None)
    # Words only reach SQL: punctuation, NUL, emoji and lone surrogates are no word.
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return ParsedQuery(text=text, matches_nothing=True)
    if len(words) > MAX_QUERY_WORDS:
        raise InvalidInput(f"The query has {len(words)} words; the limit is {MAX_QUERY_WORDS}.",
                           code=SearchErrorCode.QUERY_TOO_LONG, field=["query"])
    last = len(words) - 1
    unanchored = tuple(spelling.Spelling(w, prefix=spelling.as_prefix(w, i == last, False))
                       for i, w in enumerate(words))
    anchored_typed = tuple(spelling.Spelling(w, prefix=spelling.as_prefix(w, i == last, last > 0))
                           for i, w in enumerate(words))
    budget = _budget()
    infos, searchable, found, anchored = await repository.vocabulary(
        reader, words, spelling.tsquery(unanchored), spelling.tsquery(anchored_typed),
        spelling.tsquery(anchored_typed, indexed=True), budget.shortest,
        spelling.typed_prefix(unanchored), spelling.typed_prefix(anchored_typed))
    if not searchable:
        return ParsedQuery(text=text, title_pattern="^" + r"\W+".join(words) + r"\M")
    as_typed = anchored_typed if anchored else unanchored
    plain = _parsed(text, words, as_typed)
    if exact or found:
        return plain
    chosen = await _correct(reader, infos, budget, as_typed, anchored)
    if chosen is None:
        return plain
    return _parsed(text, words, chosen, corrected=" ".join(s.word for s in chosen))


def _parsed(text: str, words: list[str], searched: tuple[spelling.Spelling, ...],
            corrected: str | None = None) -> ParsedQuery:
    full, indexed = spelling.tsquery(searched), spelling.tsquery(searched, indexed=True)
    return ParsedQuery(text=text, corrected=corrected, tsquery=full, words=" ".join(words),
                       indexed_tsquery=indexed if indexed != full else None,
                       typed_prefix=spelling.typed_prefix(searched))


async def _correct(reader: Reader, infos: list[spelling.WordInfo], budget: spelling.Budget,
                   as_typed: tuple[spelling.Spelling, ...], anchored: bool) -> tuple[spelling.Spelling, ...] | None:
    """The spelling to search when the query as typed finds nothing: within the budget first,
    then with one typo more (see `spelling`); None when no spelling finds anything. At most
    three statements."""
    last = len(infos) - 1
    tried = {as_typed}  # known to find nothing
    strict = [c for c in spelling.combinations(
        [spelling.options(info, budget, last=i == last, lenient=False, anchored=anchored)
         for i, info in enumerate(infos)])
        if c not in tried]
    if strict:
        chosen = spelling.choose(list(zip(strict, await _count(reader, strict))))
        if chosen is not None:
            return chosen
        tried.update(strict)
    # Nothing within the budget: known words may be corrected too, one typo more everywhere.
    stand = [i for i, info in enumerate(infos) if info.known or (i == last and info.starts_known)]
    if stand:
        for i, close in zip(stand, await repository.close_words(reader, [infos[i].word for i in stand])):
            infos[i].candidates = close
    lenient = [c for c in spelling.combinations(
        [spelling.options(info, budget, last=i == last, lenient=True, anchored=anchored)
         for i, info in enumerate(infos)])
        if c not in tried]
    if not lenient:
        return None
    return spelling.choose(list(zip(lenient, await _count(reader, lenient))))


async def _count(reader: Reader, spellings: list[tuple[spelling.Spelling, ...]]) -> list[tuple[int, int]]:
    w = spelling.CONTEXT_WEIGHTS
    return await repository.count_each(
        reader, [spelling.tsquery(c, w) for c in spellings], [spelling.tsquery(c) for c in spellings],
        [spelling.tsquery(c, w, indexed=True) for c in spellings], [spelling.tsquery(c, indexed=True) for c in spellings],
        [spelling.typed_prefix(c) for c in spellings])


async def prepare(reader: Reader, spec: SearchSpec) -> PreparedSearch:
    """Validate the spec, correct the query's spelling and resolve the category filter."""
    _validate(spec)
    query = await _parse_query(reader, spec.query, spec.exact)
    path, missing = None, False
    if spec.filter.category_id is not None:
        category = (await catalogue_service.categories_by_ids(reader, [spec.filter.category_id])).get(
            spec.filter.category_id)
        missing = category is None
        path = category.path if category else None
    return PreparedSearch(spec, query, path, missing)


async def find_products(reader: Reader, prepared: PreparedSearch, page: PageRequest) -> Page[Product]:
    """One page of matching live products in the requested order."""
    if prepared.matches_nothing:
        return Page([], page.offset, False, 0)
    spec = prepared.spec
    # The page's ids and their products in one statement.
    ids_query, args = repository.page_ids_query(prepared.query, spec.filter, prepared.category_path,
                                                spec.sort_key, spec.reverse, page, spec.group_formats)
    items, selected = await catalogue_service.products_in_order(reader, ids_query, args, page.limit)
    return Page(items, page.offset, selected > page.limit)


def groups_formats(prepared: PreparedSearch) -> bool:
    """Whether the results are works (one format each) rather than every product."""
    return repository.grouped(prepared.query, prepared.spec.group_formats)


async def count_products(reader: Reader, prepared: PreparedSearch) -> int:
    if prepared.matches_nothing:
        return 0
    return await repository.count(reader, prepared.query, prepared.spec.filter, prepared.category_path,
                                  group_formats=prepared.spec.group_formats)


async def facets(reader: Reader, prepared: PreparedSearch) -> Facets:
    """Counts of the whole result set by category (one level below the filter), brand,
    price band, kind, format, availability and Prime eligibility."""
    if prepared.matches_nothing:
        return Facets(total=0)
    return await repository.facets(reader, prepared.query, prepared.spec.filter, prepared.category_path,
                                   group_formats=prepared.spec.group_formats)


async def suggest(reader: Reader, prefix: str, limit: int) -> list[suggestions.Suggestion]:
    """Suggestions for the search box (rules in `domain/search/suggestions.py`): a prefix of at
    most 100 characters and 12 words, at most 20 suggestions."""
    return await suggestions.suggest(reader, prefix, limit)
