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

    @strawberry.field(description="Product titles for the search box: titles with a word starting with the prefix (titles starting with it first), most popular first. Prefix up to 100 characters; first 1-20 (default 8).")
    async def search_suggestions(self, info: Info, prefix: Prefix, first: SuggestionCount = 8) -> list[SearchSuggestion]:
        reader = info.context.reader
        found = await search.suggest(reader, prefix, first)
        products = await info.context.loaders.product_by_id.load_many([pk for pk, _ in found])
        return [SearchSuggestion(text=title, product=product)
                for (_, title), product in zip(found, products)]
