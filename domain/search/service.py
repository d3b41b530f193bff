"""Search and filtered browsing over the catalogue's live products.

Rules: a query is at most 200 characters and 12 words; words are matched by stem with
title > authors/brand > description weights; an unknown word is replaced by the closest
known one (typo tolerance); a query made only of stop words ("It", "The Who") matches
titles that start with those words; a query with no words at all matches nothing; an empty
query browses everything.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from domain.catalogue import service as catalogue_service
from domain.catalogue.entities import Product
from domain.search import repository, suggestions
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


async def _parse_query(reader: Reader, text: str | None) -> ParsedQuery:
    if text is None or not text.strip():
        return ParsedQuery(text=None)
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return ParsedQuery(text=text, matches_nothing=True)
    if len(words) > MAX_QUERY_WORDS:
        raise InvalidInput(f"The query has {len(words)} words; the limit is {MAX_QUERY_WORDS}.",
                           code=SearchErrorCode.QUERY_TOO_LONG, field=["query"])
    fixed, searchable = await repository.analyse(reader, text, words)
    if not searchable:
        return ParsedQuery(text=text, title_pattern="^" + r"\W+".join(words) + r"\M")
    if all(new is None or new == old for old, new in zip(words, fixed)):
        return ParsedQuery(text=text)
    corrected = " ".join(new or old for old, new in zip(words, fixed))
    return ParsedQuery(text=text, corrected=corrected)


async def prepare(reader: Reader, spec: SearchSpec) -> PreparedSearch:
    """Validate the spec, correct the query's spelling and resolve the category filter."""
    _validate(spec)
    query = await _parse_query(reader, spec.query)
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
    ids = await repository.find_ids(reader, prepared.query, spec.filter, prepared.category_path,
                                    spec.sort_key, spec.reverse, page)
    products = await catalogue_service.products_by_ids(reader, ids[: page.limit])
    items = [products[i] for i in ids[: page.limit] if i in products]
    return Page(items, page.offset, len(ids) > page.limit)


async def count_products(reader: Reader, prepared: PreparedSearch) -> int:
    if prepared.matches_nothing:
        return 0
    return await repository.count(reader, prepared.query, prepared.spec.filter, prepared.category_path)


async def facets(reader: Reader, prepared: PreparedSearch) -> Facets:
    """Counts of the whole result set by category (one level below the filter), brand,
    price band, kind, format, availability and Prime eligibility."""
    if prepared.matches_nothing:
        return Facets(total=0)
    return await repository.facets(reader, prepared.query, prepared.spec.filter, prepared.category_path)


async def suggest(reader: Reader, prefix: str, limit: int) -> list[suggestions.Suggestion]:
    """Suggestions for the search box (rules in `domain/search/suggestions.py`): a prefix of at
    most 100 characters and 12 words, at most 20 suggestions."""
    return await suggestions.suggest(reader, prefix, limit)
