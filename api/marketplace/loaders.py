"""Marketplace loaders (`<Entity>By<Key>`); paged ones take (id, (args)) keys."""
from api.dataloaders import grouped, keyed
from domain.marketplace import service as marketplace
from domain.shared.pagination import PageRequest


async def _offers_for_products(reader, ids, args):
    condition, offset, limit = args
    return await marketplace.offers_for_products(reader, ids, condition, PageRequest(offset, limit))


async def _offers_for_sellers(reader, ids, args):
    offset, limit = args
    return await marketplace.offers_for_sellers(reader, ids, PageRequest(offset, limit))


FACTORIES = {
    "seller_by_id": lambda r, *_: keyed(r, marketplace.sellers_by_ids),
    "offer_by_id": lambda r, *_: keyed(r, marketplace.offers_by_ids),
    "offer_summary_by_product_id": lambda r, *_: keyed(r, marketplace.offer_summaries),
    "offers_by_product_id": lambda r, *_: grouped(r, _offers_for_products),
    "offers_by_seller_id": lambda r, *_: grouped(r, _offers_for_sellers),
}
