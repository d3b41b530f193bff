"""Marketplace loaders (`<Entity>By<Key>`); paged ones take (id, (args)) keys. Loaders of data
that depends on the caller get the context's `viewer`."""
from api.core.dataloaders import grouped, keyed, keyed_for_viewer
from domain.marketplace import service as marketplace
from domain.shared.pagination import PageRequest


async def _offers_for_products(reader, ids, args):
    condition, offset, limit, purchase_option = args
    return await marketplace.offers_for_products(reader, ids, condition, PageRequest(offset, limit), purchase_option)


async def _offers_for_sellers(reader, ids, args):
    offset, limit, purchase_option = args
    return await marketplace.offers_for_sellers(reader, ids, PageRequest(offset, limit), purchase_option)


def _price_history(reader, viewer):
    async def fetch(reader, ids, args):
        offset, limit = args
        return await marketplace.price_history_for_offers(reader, await viewer(), ids, PageRequest(offset, limit))
    return grouped(reader, fetch)


def _ledger(reader, viewer):
    async def fetch(reader, ids, args):
        offset, limit = args
        return await marketplace.seller_ledger_entries(reader, await viewer(), ids, PageRequest(offset, limit))
    return grouped(reader, fetch)


def _campaigns(reader, viewer):
    async def fetch(reader, ids, args):
        offset, limit = args
        return await marketplace.campaigns_of_brands(reader, await viewer(), ids, PageRequest(offset, limit))
    return grouped(reader, fetch)


FACTORIES = {
    "seller_by_id": lambda r, *_: keyed(r, marketplace.sellers_by_ids),
    "offer_by_id": lambda r, *_: keyed(r, marketplace.offers_by_ids),
    # {purchase option: summary} per product: BUY and RENT in one statement.
    "offer_summary_by_product_id": lambda r, *_: keyed(r, marketplace.offer_summaries_by_option),
    # {purchase option: price range} per product, without the featured offer: what a list that
    # shows price ranges alone loads by level (`load_product_relations`).
    "price_ranges_by_product_id": lambda r, *_: keyed(r, marketplace.price_ranges_by_option),
    "offers_by_product_id": lambda r, *_: grouped(r, _offers_for_products),
    "offers_by_seller_id": lambda r, *_: grouped(r, _offers_for_sellers),
    "price_history_by_offer_id": _price_history,
    "prior_price_by_offer_id": lambda r, *_: keyed(r, marketplace.prior_prices),
    "seller_application_by_id": keyed_for_viewer(marketplace.seller_applications_by_ids),
    "brand_registration_by_id": keyed_for_viewer(marketplace.brand_registrations_by_ids),
    "seller_balance_by_id": keyed_for_viewer(marketplace.seller_balances),
    "seller_ledger_by_id": _ledger,
    "brand_campaign_by_id": keyed_for_viewer(marketplace.brand_campaigns_by_ids),
    "brand_campaigns_by_brand_id": _campaigns,
    # Counts for the brand's owner and administrators; whether the caller follows, for the caller.
    "brand_follower_count_by_id": keyed_for_viewer(marketplace.brand_follower_counts),
    "brand_followed_by_viewer": keyed_for_viewer(marketplace.brands_followed_by_viewer),
}
