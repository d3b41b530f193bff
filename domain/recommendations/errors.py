"""Codes of the `userErrors` of the browsing history mutations."""
from enum import StrEnum

from domain.reviews.errors import ReviewErrorCode
from domain.shared.errors import CommonErrorCode


class HistoryErrorCode(StrEnum):
    """Codes of recording views and managing the browsing history, in the order clients see them."""

    NOT_FOUND = CommonErrorCode.NOT_FOUND
    RATE_LIMITED = ReviewErrorCode.RATE_LIMITED
