"""Search, suggestions and filtered product lists."""
from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.catalogue.resolvers import prime_offer_summaries
from api.catalogue.types import Product
from api.core.arguments import After, Before, First, Last, Prefix, Reverse, SuggestionCount
from api.core.arguments import Query as QueryArg
from api.core.pagination import Connection, edges, page_info, page_request
from api.search.inputs import (
    FilterArg,
    ProductSortKey,
    SortArg,
    to_domain,
)
from api.search.resolvers import browse
from api.search.suggestions import suggestion_types
from api.search.types import ProductSearchConnection, SearchSuggestion
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

    @strawberry.field(description="Full-text product search over titles, authors/brands and descriptions (title matches weigh most), tolerant of typos, with filters and facets. The query is at most 200 characters and 12 words; an empty query lists everything; a query without words matches nothing. Page size 1-100 (default 20).")
    async def search(
        self, info: Info, query: QueryArg, filter: FilterArg = None,
        sort_key: SortArg = ProductSortKey.RELEVANCE, reverse: Reverse = False,
        first: First = None, after: After = None,
        last: Last = None, before: Before = None,
    ) -> ProductSearchConnection:
        page = page_request(first, after, last, before)
        reader = info.context.reader
        spec = SearchSpec(query=query, filter=to_domain(filter), sort_key=sort_key.value,
                          reverse=reverse)
        prepared = await search.prepare(reader, spec)
        result = await search.find_products(reader, prepared, page)
        await prime_offer_summaries(info, result.items, ("nodes",), ("edges", "node"))
        return ProductSearchConnection(edges=edges(result), nodes=result.items, page_info=page_info(result),
                                       corrected_query=prepared.query.corrected, prepared=prepared)

    @strawberry.field(description="Suggestions for the search box: titles, authors, brands and categories with a word starting with the last word typed (and the earlier words typed as whole words), most popular first, each text once. Tolerates typos: 1 in words of 5+ letters and 2 in words of 9+ (for the word being typed, by the length of the word it completes; never in the first three letters typed), a transposition counting as one. Prefix up to 100 characters and 12 words; a prefix without letters or digits suggests nothing. first 1-20 (default 8).")
    async def search_suggestions(self, info: Info, prefix: Prefix, first: SuggestionCount = 8) -> list[SearchSuggestion]:
        found = await search.suggest(info.context.reader, prefix, first)
        return await suggestion_types(info, found)
