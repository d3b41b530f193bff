"""Codes of review errors. `ReviewQueryErrorCode`: the reasons (`extensions.reason`) of the
BAD_USER_INPUT errors of review lists; the review mutations' `userErrors` codes come with them."""
from enum import StrEnum


class ReviewQueryErrorCode(StrEnum):
    INVALID_STARS = "INVALID_STARS"
    INVALID_FILTER = "INVALID_FILTER"
