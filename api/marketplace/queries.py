"""Marketplace root fields and paged fields."""
from __future__ import annotations

import strawberry
from strawberry.types import Info

from api import ids
from api.arguments import IdArg, SlugArg
from api.marketplace.types import OfferCondition, Seller
from api.pagination import Connection, connection, page_request
from domain.marketplace import service as marketplace


async def product_offers(info: Info, product_id: int, condition: OfferCondition | None,
                         first, after, last, before) -> Connection:
    page = page_request(first, after, last, before)
    key = (product_id, (condition.value if condition else None, page.offset, page.limit))
    return connection(await info.context.loaders.offers_by_product_id.load(key))


async def seller_offers(info: Info, seller_id: int, first, after, last, before) -> Connection:
    page = page_request(first, after, last, before)
    return connection(await info.context.loaders.offers_by_seller_id.load((seller_id, (page.offset, page.limit))))


@strawberry.type
class MarketplaceQuery:
    @strawberry.field(description="A seller by global ID or slug (give exactly one).")
    async def seller(self, info: Info, id: IdArg = None,
                     slug: SlugArg = None) -> Seller | None:
        pk = ids.decode_as(id, "Seller") if id is not None else None
        return await marketplace.find_seller(info.context.reader, id=pk, slug=slug)
