"""Codes of the membership mutations' `userErrors`."""
from enum import StrEnum

from domain.payments.errors import PaymentErrorCode
from domain.shared.errors import CommonErrorCode, DomainError


class MembershipErrorCode(StrEnum):
    INVALID = CommonErrorCode.INVALID
    ALREADY_MEMBER = "ALREADY_MEMBER"
    TRIAL_ALREADY_USED = "TRIAL_ALREADY_USED"
    PAYMENT_DECLINED = PaymentErrorCode.PAYMENT_DECLINED
    PAYMENT_PROVIDER_ERROR = PaymentErrorCode.PAYMENT_PROVIDER_ERROR
    NOT_A_MEMBER = "NOT_A_MEMBER"
    ALREADY_CANCELLED = "ALREADY_CANCELLED"
    NOT_CANCELLED = "NOT_CANCELLED"


class MembershipError(DomainError):
    code = MembershipErrorCode.INVALID
