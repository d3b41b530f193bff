"""Codes of the e-book lending mutations' errors, in the order clients see them."""
from enum import StrEnum

from domain.identity.errors import IdentityErrorCode
from domain.shared.errors import CommonErrorCode


class LendingErrorCode(StrEnum):
    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    EMAIL_INVALID = IdentityErrorCode.EMAIL_INVALID
    NOT_LENDABLE = "NOT_LENDABLE"
    ALREADY_LENT = "ALREADY_LENT"
    CANNOT_LEND_TO_YOURSELF = "CANNOT_LEND_TO_YOURSELF"
    LOAN_NOT_PENDING = "LOAN_NOT_PENDING"
    LOAN_NOT_ACTIVE = "LOAN_NOT_ACTIVE"
