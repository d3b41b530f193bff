"""Catalogue root fields."""
from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.catalogue.import_types import ProductImport
from api.catalogue.resolvers import load_product_page
from api.catalogue.types import Brand, Category, Product
from api.core import ids
from api.core.arguments import IdArg, Isbn, NodeId, SlugArg
from domain.catalogue import service as catalogue


def _pk(global_id: strawberry.ID | None, type_name: str) -> int | None:
    return ids.decode_as(global_id, type_name) if global_id is not None else None


@strawberry.type
class CatalogueQuery:
    @strawberry.field(description="A live product by global ID, slug or ISBN (ISBN-10 or ISBN-13, hyphens allowed). Give exactly one; null when there is no such product.")
    async def product(self, info: Info, id: IdArg = None, slug: SlugArg = None,
                      isbn: Isbn = None) -> Product | None:
        product = await catalogue.find_product(info.context.reader, id=_pk(id, "Product"), slug=slug,
                                               isbn=isbn)
        if product is not None:
            await load_product_page(info, product)
        return product

    @strawberry.field(description="A category by global ID or slug (give exactly one).")
    async def category(self, info: Info, id: IdArg = None,
                       slug: SlugArg = None) -> Category | None:
        return await catalogue.find_category(info.context.reader, id=_pk(id, "Category"), slug=slug)

    @strawberry.field(description="The top-level categories in display order.")
    async def categories(self, info: Info) -> list[Category]:
        return await catalogue.root_categories(info.context.reader)

    @strawberry.field(description="A brand by global ID or slug (give exactly one).")
    async def brand(self, info: Info, id: IdArg = None,
                    slug: SlugArg = None) -> Brand | None:
        return await catalogue.find_brand(info.context.reader, id=_pk(id, "Brand"), slug=slug)

    @strawberry.field(description="A products import and its progress (status, row counts, the first 100 row errors). Administrators only: anyone else gets a FORBIDDEN or UNAUTHENTICATED error. Null when there is no such import.")
    async def products_import(self, info: Info, id: NodeId) -> ProductImport | None:
        import_id = ids.decode_as(id, "ProductImport")
        return await catalogue.find_import(info.context.reader, await info.context.viewer(), import_id)
