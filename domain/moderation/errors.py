"""Codes of reporting and moderating posts (reviews, questions, answers)."""
from enum import StrEnum

from domain.shared.errors import CommonErrorCode


class ModerationErrorCode(StrEnum):
    """Codes of the `userErrors` of reporting and moderating posts, in the order clients see them."""

    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    REASON_REQUIRED = CommonErrorCode.REASON_REQUIRED
    NOTE_TOO_LONG = "NOTE_TOO_LONG"
    # Reviews keep their own code, which their clients already handle; questions and answers use
    # the general one.
    CANNOT_REPORT_OWN_REVIEW = "CANNOT_REPORT_OWN_REVIEW"
    CANNOT_REPORT_OWN_POST = "CANNOT_REPORT_OWN_POST"
    ALREADY_REPORTED = "ALREADY_REPORTED"
    RATE_LIMITED = "RATE_LIMITED"
    ALREADY_HIDDEN = "ALREADY_HIDDEN"
    NOT_HIDDEN = "NOT_HIDDEN"
    NO_OPEN_REPORTS = "NO_OPEN_REPORTS"
