"""Codes of review errors. `ReviewQueryErrorCode`: the reasons (`extensions.reason`) of the
BAD_USER_INPUT errors of review lists; the review mutations' `userErrors` codes come with them."""
from enum import StrEnum

from domain.shared.errors import CommonErrorCode


class ReviewQueryErrorCode(StrEnum):
    INVALID_STARS = "INVALID_STARS"
    INVALID_FILTER = "INVALID_FILTER"


class ReviewErrorCode(StrEnum):
    """Codes of the review write mutations' `userErrors` (writing, editing, deleting, voting)."""

    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    TOO_LONG = CommonErrorCode.TOO_LONG
    INVALID_STARS = ReviewQueryErrorCode.INVALID_STARS
    HTML_NOT_ALLOWED = CommonErrorCode.HTML_NOT_ALLOWED
    NOT_REVIEWABLE = "NOT_REVIEWABLE"
    ALREADY_REVIEWED = "ALREADY_REVIEWED"
    REVIEW_NOT_ELIGIBLE = "REVIEW_NOT_ELIGIBLE"
    RATE_LIMITED = "RATE_LIMITED"
    OWN_REVIEW = "OWN_REVIEW"
    ALREADY_VOTED = "ALREADY_VOTED"
