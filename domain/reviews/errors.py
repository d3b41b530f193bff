"""Codes of review errors. `ReviewQueryErrorCode`: the reasons (`extensions.reason`) of the
BAD_USER_INPUT errors of review lists; the review mutations' `userErrors` codes come with them."""
from enum import StrEnum

from domain.shared.errors import CommonErrorCode


class ReviewQueryErrorCode(StrEnum):
    INVALID_STARS = "INVALID_STARS"
    INVALID_FILTER = "INVALID_FILTER"


class ModerationErrorCode(StrEnum):
    """Codes of the `userErrors` of reporting and moderating reviews, in the order clients see them."""

    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    REASON_REQUIRED = CommonErrorCode.REASON_REQUIRED
    NOTE_TOO_LONG = "NOTE_TOO_LONG"
    CANNOT_REPORT_OWN_REVIEW = "CANNOT_REPORT_OWN_REVIEW"
    ALREADY_REPORTED = "ALREADY_REPORTED"
    RATE_LIMITED = "RATE_LIMITED"
    ALREADY_HIDDEN = "ALREADY_HIDDEN"
    NOT_HIDDEN = "NOT_HIDDEN"
    NO_OPEN_REPORTS = "NO_OPEN_REPORTS"
