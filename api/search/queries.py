"""Search, suggestions and filtered product lists."""
from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.catalogue.resolvers import load_product_relations
from api.catalogue.types import Product
from api.core.arguments import After, Before, First, Last, Prefix, Reverse, SuggestionCount
from api.core.arguments import Query as QueryArg
from api.core.pagination import Connection, page_info, page_request
from api.search.inputs import (
    FilterArg,
    ProductSortKey,
    SortArg,
    to_domain,
)
from api.search.resolvers import browse
from api.search.suggestions import suggestion_types
from api.search.types import ProductSearchConnection, ProductSearchResult, SearchSuggestion, load_facets
from domain.search import service as search
from domain.search.entities import SearchSpec


@strawberry.type
class SearchQuery:
    @strawberry.field(description="Live products matching filters, in a chosen order. Page size 1-100 (default 20).")
    async def products(
        self, info: Info, filter: FilterArg = None,
        sort_key: SortArg = ProductSortKey.POPULARITY, reverse: Reverse = False,
        first: First = None, after: After = None,
        last: Last = None, before: Before = None,
    ) -> Connection[Product]:
        return await browse(info, filter, sort_key, reverse, first, after, last, before)

    @strawberry.field(description="Full-text product search over titles, authors/brands and descriptions, with filters and facets. Relevance puts the exact title first, then title words, then authors/brands, then descriptions, lifted by popularity and rating. Typos are forgiven by word length (none below 5 letters, one from 5, two from 9; a transposition is one typo), and a word the catalogue knows is left as typed unless the query then finds nothing; `correctedQuery` tells what was searched. The last word also matches as the start of a word (\"the girl on the trai\"). Each work appears once, in its best matching format, with its other formats in `results.otherFormats` (see `groupFormats`). The query is at most 200 characters and 12 words; an empty query lists everything; a query without words matches nothing. Page size 1-100 (default 20).")
    async def search(
        self, info: Info, query: QueryArg, filter: FilterArg = None,
        sort_key: SortArg = ProductSortKey.RELEVANCE, reverse: Reverse = False,
        first: First = None, after: After = None,
        last: Last = None, before: Before = None,
        exact: Annotated[bool, strawberry.argument(description="Search the words as typed, without spelling correction (for \"search instead for ...\" after a `correctedQuery`).")] = False,
        group_formats: Annotated[bool, strawberry.argument(description="With a text query, list each work once, in its best matching format, the others in `results.otherFormats`; `totalCount` and `facets` then count works (a work counts under each facet value one of its matching formats has). False lists every format, and counts products. Without a text query every product is listed.")] = True,
    ) -> ProductSearchConnection:
        page = page_request(first, after, last, before)
        reader = info.context.reader
        spec = SearchSpec(query=query, filter=to_domain(filter), sort_key=sort_key.value,
                          reverse=reverse, exact=exact, group_formats=group_formats)
        prepared = await search.prepare(reader, spec)
        result = await search.find_products(reader, prepared, page)
        await load_product_relations(info, result.items, ("nodes",), ("edges", "node"))
        facets = await load_facets(info, prepared)
        grouped = search.groups_formats(prepared)
        results = [ProductSearchResult(product=p, work_id=p.work_id if grouped else None) for p in result.items]
        return ProductSearchConnection(page=result, nodes=result.items, results=results,
                                       page_info=page_info(result), corrected_query=prepared.query.corrected,
                                       prepared=prepared, loaded_facets=facets)

    @strawberry.field(description="Suggestions for the search box: titles, authors, brands and categories with a word starting with the last word typed (and the earlier words typed as whole words), most popular first, each text once. Tolerates typos: 1 in words of 5+ letters and 2 in words of 9+ (for the word being typed, by the length of the word it completes; never in the first three letters typed), a transposition counting as one. Prefix up to 100 characters and 12 words; a prefix without letters or digits suggests nothing. first 1-20 (default 8).")
    async def search_suggestions(self, info: Info, prefix: Prefix, first: SuggestionCount = 8) -> list[SearchSuggestion]:
        found = await search.suggest(info.context.reader, prefix, first)
        return await suggestion_types(info, found)
