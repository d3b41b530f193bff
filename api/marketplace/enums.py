"""Marketplace management enums."""

from api.core.enums import error_codes, graphql_enum
from domain.marketplace import errors as marketplace_errors
from domain.marketplace import statuses as marketplace_statuses

ApplicationStatus = graphql_enum(marketplace_statuses.ApplicationStatus, description="Where a seller application or brand registration stands: PENDING (waiting for an administrator), APPROVED, REJECTED (with a reason). Decisions are final.")

PriceChangeSource = graphql_enum(marketplace_statuses.PriceChangeSource, description="Who set a price in an offer's history: SELLER (the seller's staff), COMPETITOR_MATCH (the platform matched a competitor's lower price), SEED (the price the offer had when the history began).")


MarketplaceErrorCode = error_codes(marketplace_errors.MarketplaceErrorCode, description="""Stable codes of marketplace `userErrors`:
INVALID (malformed input, e.g. neither or both of brandId and brandName), NOT_FOUND (no such offer, product, seller,
application, registration or brand, or not one you may see), INVALID_PRICE (not above zero, or shipping below zero;
more than two decimals; above 1000000.00), MEMBER_PRICE_NOT_LOWER (an offer's member price must stay below its
price, also when the price changes), CURRENCY_MISMATCH (marketplace prices are in USD), INVALID_QUANTITY
(not 0-1000000), CONDITION_NOTE_TOO_LONG (over 1000 characters), OFFER_EXISTS (the seller already has a live offer
for this product in this condition and purchase option), RENT_NOT_AVAILABLE (only a streaming video can be offered to
RENT), OFFER_ARCHIVED (archived offers cannot change), SELLER_SUSPENDED (a suspended
seller's offers cannot change), NOT_FIRST_PARTY (only the platform's own offers are matched to competitors),
NOT_LOWER (the competitor's price is not below the offer's), EVIDENCE_URL_INVALID (not an https:// link), NAME_INVALID
(2-120 characters), SLUG_INVALID, SLUG_TAKEN (a seller uses the slug), APPLICATION_PENDING (you already have a
seller application waiting), NOT_PENDING (the application or registration was already decided), REASON_REQUIRED
(1-1000 characters), TRADEMARK_INVALID, BRAND_ALREADY_REGISTERED (the brand has an owner), BRAND_NAME_TAKEN (a brand of
that name exists: register it by brandId), REGISTRATION_PENDING (you already have a registration of this brand
waiting), INVALID_RATE (a commission rate is a percentage from 6 to 20 with at most two decimals), INVALID_AMOUNT
(a payout is above zero with at most two decimals), INSUFFICIENT_BALANCE (a payout cannot exceed the seller's
balance), TOO_LONG (a campaign's subject over 150 or text over 5,000 characters), HTML_NOT_ALLOWED (a campaign is plain
text), PRODUCT_NOT_OF_BRAND (a campaign names only live products of its own brand), CAMPAIGN_TOO_SOON (a brand sends at
most one campaign per TRIBUTARY_BRAND_CAMPAIGN_INTERVAL_DAYS, 7 by default; `retryAfterSeconds` says when the next may
be created), OPT_OUT_LINK_INVALID (the opt-out link is not one of ours, whatever is wrong with it). Acting without the role (another seller's offer, an administrator's decision) is not a user error but a
top-level FORBIDDEN error; anonymous callers get UNAUTHENTICATED.""")

SellerLedgerEntryKind = graphql_enum(marketplace_statuses.SellerLedgerEntryKind, description="What moved money in a seller's ledger (the amount's sign says which way): SALE (+ the price of an item sold), COMMISSION (- the platform's referral fee on that sale), REFUND (- money given back to a buyer), COMMISSION_REVERSAL (+ the refunded share of the fee), PAYOUT (- money paid out to the seller), ADJUSTMENT (+ or -, a correction by the platform).")
