"""Codes of the marketplace context's errors."""
from enum import StrEnum

from domain.shared.errors import CommonErrorCode


class MarketplaceErrorCode(StrEnum):
    """Codes of marketplace mutations' `userErrors`, in the order clients see them."""

    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    INVALID_PRICE = "INVALID_PRICE"
    MEMBER_PRICE_NOT_LOWER = "MEMBER_PRICE_NOT_LOWER"
    CURRENCY_MISMATCH = CommonErrorCode.CURRENCY_MISMATCH
    INVALID_QUANTITY = CommonErrorCode.INVALID_QUANTITY
    CONDITION_NOTE_TOO_LONG = "CONDITION_NOTE_TOO_LONG"
    OFFER_EXISTS = "OFFER_EXISTS"
    RENT_NOT_AVAILABLE = "RENT_NOT_AVAILABLE"
    OFFER_ARCHIVED = "OFFER_ARCHIVED"
    SELLER_SUSPENDED = "SELLER_SUSPENDED"
    NOT_FIRST_PARTY = "NOT_FIRST_PARTY"
    NOT_LOWER = "NOT_LOWER"
    EVIDENCE_URL_INVALID = "EVIDENCE_URL_INVALID"
    NAME_INVALID = "NAME_INVALID"
    SLUG_INVALID = CommonErrorCode.SLUG_INVALID
    SLUG_TAKEN = CommonErrorCode.SLUG_TAKEN
    APPLICATION_PENDING = "APPLICATION_PENDING"
    NOT_PENDING = "NOT_PENDING"
    REASON_REQUIRED = CommonErrorCode.REASON_REQUIRED
    TRADEMARK_INVALID = "TRADEMARK_INVALID"
    BRAND_ALREADY_REGISTERED = "BRAND_ALREADY_REGISTERED"
    BRAND_NAME_TAKEN = "BRAND_NAME_TAKEN"
    REGISTRATION_PENDING = "REGISTRATION_PENDING"
    INVALID_RATE = "INVALID_RATE"
    INVALID_AMOUNT = CommonErrorCode.INVALID_AMOUNT
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"


class StockErrorCode(StrEnum):
    """Codes of taking units out of stock; cart and checkout mutations carry them."""

    QUANTITY_UNAVAILABLE = "QUANTITY_UNAVAILABLE"
    OFFER_UNAVAILABLE = "OFFER_UNAVAILABLE"


class SaleLedgerErrorCode(StrEnum):
    """Codes of recording an order's sales and refunds in sellers' ledgers; the order's mutations
    carry them."""

    REFUND_EXCEEDS_SALE = "REFUND_EXCEEDS_SALE"
    REFUND_ALREADY_RECORDED = "REFUND_ALREADY_RECORDED"
    SALE_ALREADY_RECORDED = "SALE_ALREADY_RECORDED"
