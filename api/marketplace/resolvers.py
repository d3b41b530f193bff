"""Paged offers, shared by `Product.offers` and `Seller.offers`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from strawberry.types import Info

from api.core.pagination import Connection, connection, page_request

if TYPE_CHECKING:
    from api.marketplace.types import OfferCondition, PurchaseOption


def product_offers_key(product_id: int, condition: OfferCondition | None, purchase_option: PurchaseOption | None,
                       first, after, last, before) -> tuple:
    """The key of `offers_by_product_id` for a product's page of offers."""
    page = page_request(first, after, last, before)
    return (product_id, (condition.value if condition else None, page.offset, page.limit,
                         purchase_option.value if purchase_option else None))


async def product_offers(info: Info, product_id: int, condition: OfferCondition | None,
                         purchase_option: PurchaseOption | None, first, after, last, before) -> Connection:
    key = product_offers_key(product_id, condition, purchase_option, first, after, last, before)
    return connection(await info.context.loaders.offers_by_product_id.load(key))


async def seller_offers(info: Info, seller_id: int, purchase_option: PurchaseOption | None,
                        first, after, last, before) -> Connection:
    page = page_request(first, after, last, before)
    key = (seller_id, (page.offset, page.limit, purchase_option.value if purchase_option else None))
    return connection(await info.context.loaders.offers_by_seller_id.load(key))
