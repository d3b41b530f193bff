"""Codes of the `userErrors` of the list mutations (lists, items, sharing, households, sync and
moving items to the cart)."""
from enum import StrEnum

from domain.carts.errors import OrderingErrorCode
from domain.identity.errors import IdentityErrorCode
from domain.shared.errors import CommonErrorCode


class ListErrorCode(StrEnum):
    """Codes of the list mutations' `userErrors`, in the order clients see them."""

    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    TOO_LONG = CommonErrorCode.TOO_LONG
    INVALID_QUANTITY = CommonErrorCode.INVALID_QUANTITY
    LIST_FULL = "LIST_FULL"
    TOO_MANY_LISTS = "TOO_MANY_LISTS"
    NOT_LIST_OWNER = "NOT_LIST_OWNER"
    NOT_SHOPPING_LIST = "NOT_SHOPPING_LIST"
    WISH_LIST_FIXED = "WISH_LIST_FIXED"
    EMAIL_INVALID = IdentityErrorCode.EMAIL_INVALID
    INVITATION_INVALID = "INVITATION_INVALID"
    HOUSEHOLD_FULL = "HOUSEHOLD_FULL"
    SYNC_TOKEN_INVALID = "SYNC_TOKEN_INVALID"
    # Moving items to the cart runs the cart's own rules.
    CART_FULL = OrderingErrorCode.CART_FULL
    QUANTITY_LIMIT = OrderingErrorCode.QUANTITY_LIMIT
    QUANTITY_UNAVAILABLE = OrderingErrorCode.QUANTITY_UNAVAILABLE


class ListQueryErrorCode(StrEnum):
    """Reasons of the list queries' top-level errors."""

    SHARE_LINK_INVALID = "SHARE_LINK_INVALID"
    SYNC_TOKEN_INVALID = ListErrorCode.SYNC_TOKEN_INVALID
