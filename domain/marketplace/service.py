"""Marketplace use cases, as the API and other contexts call them.

Reads: offers of suspended sellers and archived offers are never shown; only sellers in good
standing can hold the featured offer. Writes (each module's docstring states its rules):
seller applications and standing (`applications`), offers (`offers_management`), the
append-only price history (`price_history`), the brand registry (`brands_registry`),
commission rates per category (`commission`) and the seller ledger with balances and payouts
(`ledger`)."""
from __future__ import annotations

from domain.marketplace import (
    applications,
    brand_follows,
    brands_registry,
    commission,
    ledger,
    offer_sellers,
    offers_management,
    price_history,
    repository,
    search_index,
    stock,
)
from domain.marketplace.campaigns import creation as campaign_creation
from domain.marketplace.campaigns import links as campaign_links
from domain.marketplace.campaigns import reads as campaign_reads
from domain.marketplace.entities import Seller
from domain.shared.db import Reader
from domain.shared.lookup import exactly_one

# The search documents (`search_index`), refreshed in the caller's transaction by whoever
# changes what they show: the catalogue's products and categories, the marketplace's offers.
refresh_search_documents = search_index.refresh_products
move_search_category = search_index.move_category_in

sellers_by_ids = repository.sellers_by_ids
offers_by_ids = repository.offers_by_ids
offer_summaries = repository.offer_summaries
offer_summaries_by_option = repository.offer_summaries_by_option
price_ranges_by_option = repository.price_ranges_by_option
offers_for_products = repository.offers_for_products
offers_for_sellers = repository.offers_for_sellers
sellers_offering = offer_sellers.sellers_offering

# Offers and their price history
Amount = offers_management.Amount
OfferChanges = offers_management.OfferChanges
MEMBER_PRICE_UNCHANGED = offers_management.MEMBER_PRICE_UNCHANGED
create_offer = offers_management.create_offer
update_offer = offers_management.update_offer
archive_offer = offers_management.archive_offer
archive_offers_of_product = offers_management.archive_offers_of_product
match_competitor_price = offers_management.match_competitor_price
price_history_for_offers = price_history.history_for_offers
prior_prices = price_history.prior_prices
lowest_prices_between = price_history.lowest_prices_between

# Stock: taken by orders, given back by cancellations (never below zero, deadlock-free)
StockUnavailable = stock.StockUnavailable
OfferUnavailable = stock.OfferUnavailable
reserve_stock = stock.reserve
release_stock = stock.release

# Becoming a seller, and standing
apply_for_seller_account = applications.apply
approve_seller_application = applications.approve
reject_seller_application = applications.reject
set_seller_standing = applications.set_standing
seller_applications_by_ids = applications.applications_by_ids
my_seller_applications = applications.my_applications
seller_applications = applications.applications

# Brand Registry
register_brand = brands_registry.register
approve_brand_registration = brands_registry.approve
reject_brand_registration = brands_registry.reject
brand_registrations_by_ids = brands_registry.registrations_by_ids
my_brand_registrations = brands_registry.my_registrations
brand_registrations = brands_registry.registrations

# Commission (referral fee) rates per category, and the fee's rounding rule
CommissionRate = commission.CommissionRate
DEFAULT_COMMISSION_RATE_BPS = commission.DEFAULT_RATE_BPS
commission_fee_minor = commission.fee_minor
commission_rates_for_categories = commission.rates_for_categories
set_commission_rate = commission.set_rate
COMMISSION_RATE_UNCHANGED = commission.UNCHANGED
seed_default_commission_rates = commission.seed_default_rates

# The seller ledger: sales, commissions, refunds, payouts; balance = sum of the entries
LedgerEntry = ledger.LedgerEntry
Sale = ledger.Sale
SaleRefund = ledger.SaleRefund
record_sale = ledger.record_sale
record_refund = ledger.record_refund
payout_seller = ledger.payout
adjust_seller_balance = ledger.adjust
seller_balance = ledger.balance
seller_balance_in_session = ledger.balance_in_session
seller_balances = ledger.balances_for
seller_ledger_entries = ledger.entries_for


async def find_seller(reader: Reader, *, id: int | None = None, slug: str | None = None) -> Seller | None:
    """A seller by exactly one of id or slug; suspended sellers remain visible by name."""
    key, value = exactly_one(id=id, slug=slug)
    if key == "id":
        return (await repository.sellers_by_ids(reader, [value])).get(value)
    return (await repository.sellers_by_slugs(reader, [value])).get(value)

# Brand follows and campaigns (`brand_follows`, `campaigns/`): who follows a brand is the
# follower's alone to know; the brand sees counts.
follow_brand = brand_follows.follow
unfollow_brand = brand_follows.unfollow
opt_out_of_brand_messages = brand_follows.opt_out
opt_in_to_brand_messages = brand_follows.opt_in
my_brand_follows = brand_follows.my_follows
my_brand_follow = brand_follows.my_follow
brand_message_preferences = brand_follows.preferences
brands_followed_by_viewer = brand_follows.followed_by_viewer
brand_follower_counts = brand_follows.follower_counts
create_brand_campaign = campaign_creation.create
brand_campaigns_by_ids = campaign_reads.campaigns_by_ids
campaigns_of_brands = campaign_reads.campaigns_of_brands
opt_out_with_link = campaign_links.opt_out_with_token
