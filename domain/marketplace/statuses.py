"""Statuses and kinds of sellers, offers, applications and ledger entries; the database enums,
the use cases and the GraphQL enums all take their values from here."""
from enum import StrEnum


class SellerStanding(StrEnum):
    GOOD = "GOOD"
    AT_RISK = "AT_RISK"
    SUSPENDED = "SUSPENDED"


class OfferCondition(StrEnum):
    NEW = "NEW"
    USED = "USED"


class PurchaseOption(StrEnum):
    BUY = "BUY"
    RENT = "RENT"


class Fulfilment(StrEnum):
    MERCHANT = "MERCHANT"
    PLATFORM = "PLATFORM"


class ApplicationStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class PriceChangeSource(StrEnum):
    SELLER = "SELLER"
    COMPETITOR_MATCH = "COMPETITOR_MATCH"
    SEED = "SEED"


class SellerLedgerEntryKind(StrEnum):
    SALE = "SALE"
    COMMISSION = "COMMISSION"
    REFUND = "REFUND"
    COMMISSION_REVERSAL = "COMMISSION_REVERSAL"
    PAYOUT = "PAYOUT"
    ADJUSTMENT = "ADJUSTMENT"


class BrandCampaignKind(StrEnum):
    NEW_PRODUCT = "NEW_PRODUCT"
    SALE = "SALE"
    ANNOUNCEMENT = "ANNOUNCEMENT"


class BrandCampaignStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    SENDING = "SENDING"
    SENT = "SENT"
    REJECTED = "REJECTED"
