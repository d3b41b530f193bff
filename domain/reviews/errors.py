"""Codes of review errors, as clients see them in `userErrors`."""
from enum import StrEnum

from domain.shared.errors import CommonErrorCode


class ReviewErrorCode(StrEnum):
    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    INVALID_STARS = "INVALID_STARS"
    INVALID_FILTER = "INVALID_FILTER"
