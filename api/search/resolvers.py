"""Filtered product lists, shared by the `products` root field and the products of categories and brands."""
from __future__ import annotations

from strawberry.types import Info

from api.catalogue.resolvers import load_product_relations
from api.core.pagination import Connection, connection, page_request
from api.search.inputs import ProductFilterInput, ProductSortKey, to_domain
from domain.search import service as search
from domain.search.entities import SearchSpec


async def browse(info: Info, filter: ProductFilterInput | None, sort_key: ProductSortKey,
                 reverse: bool, first, after, last, before, *, category_id: int | None = None,
                 brand_id: int | None = None) -> Connection:
    """A filtered product list with no text query (products, category and brand pages)."""
    page = page_request(first, after, last, before)
    spec = SearchSpec(query=None, filter=to_domain(filter, category_id=category_id, brand_id=brand_id),
                      sort_key=sort_key.value, reverse=reverse)
    reader = info.context.reader
    prepared = await search.prepare(reader, spec)
    result = await search.find_products(reader, prepared, page)
    await load_product_relations(info, result.items, ("nodes",), ("edges", "node"))
    return connection(result, counter=lambda: search.count_products(reader, prepared))
