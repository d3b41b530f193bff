"""Paged offers, shared by `Product.offers` and `Seller.offers`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from api.core.pagination import Connection, connection, page_request

if TYPE_CHECKING:
    from api.marketplace.types import OfferCondition, PurchaseOption


def product_offers_key(product_id: int, condition: OfferCondition | None, purchase_option: PurchaseOption | None,
                       first, after, last, before) -> tuple:
    """The key of `offers_by_product_id` for a product's page of offers."""
    page = page_request(first, after, last, before)
    return (product_id, (condition.value if condition else None, page.offset, page.limit,
                         purchase_option.value if purchase_option else None))


async def product_offers(loaders, product_id: int, condition: OfferCondition | None,
                         purchase_option: PurchaseOption | None, first, after, last, before) -> Connection:
    """A product's page of offers. Given the request's loaders, not the info, so the field reads
    nothing of its info but the context (`api/core/compiled/direct.py`): no resolve info is made."""
    key = product_offers_key(product_id, condition, purchase_option, first, after, last, before)
    return connection(await loaders.offers_by_product_id.load(key))


async def seller_offers(loaders, seller_id: int, purchase_option: PurchaseOption | None,
                        first, after, last, before) -> Connection:
    """A seller's page of offers (given the loaders, as `product_offers` is)."""
    page = page_request(first, after, last, before)
    key = (seller_id, (page.offset, page.limit, purchase_option.value if purchase_option else None))
    return connection(await loaders.offers_by_seller_id.load(key))
