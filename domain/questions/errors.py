"""Codes of the `userErrors` of asking, answering, editing, deleting and voting on product
questions and answers."""
from enum import StrEnum

from domain.reviews.errors import ReviewErrorCode
from domain.shared.errors import CommonErrorCode


class QuestionErrorCode(StrEnum):
    """Codes of the question and answer mutations' `userErrors`, in the order clients see them."""

    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    TOO_LONG = CommonErrorCode.TOO_LONG
    HTML_NOT_ALLOWED = ReviewErrorCode.HTML_NOT_ALLOWED
    RATE_LIMITED = ReviewErrorCode.RATE_LIMITED
    ALREADY_VOTED = ReviewErrorCode.ALREADY_VOTED
    NOT_SELLER_OF_PRODUCT = "NOT_SELLER_OF_PRODUCT"
    NOT_BRAND_OWNER = "NOT_BRAND_OWNER"
    ALREADY_ANSWERED = "ALREADY_ANSWERED"
    OWN_ANSWER = "OWN_ANSWER"
