"""Codes of the membership and Subscribe & Save mutations' `userErrors`."""
from enum import StrEnum

from domain.licences.errors import MembershipTitleErrorCode
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


class BorrowErrorCode(StrEnum):
    """Codes of the membership library's mutations (borrowing and returning a title)."""

    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    NOT_A_MEMBER = MembershipErrorCode.NOT_A_MEMBER
    NOT_INCLUDED = MembershipTitleErrorCode.NOT_INCLUDED
    BORROW_LIMIT_REACHED = MembershipTitleErrorCode.BORROW_LIMIT_REACHED
    ALREADY_IN_LIBRARY = MembershipTitleErrorCode.ALREADY_IN_LIBRARY
    NOT_BORROWED = MembershipTitleErrorCode.NOT_BORROWED


class MembershipError(DomainError):
    code = MembershipErrorCode.INVALID


class SubscribeErrorCode(StrEnum):
    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    NOT_SUBSCRIBE_ELIGIBLE = "NOT_SUBSCRIBE_ELIGIBLE"
    INVALID_FREQUENCY = "INVALID_FREQUENCY"
    DELIVERY_ALREADY_PLACED = "DELIVERY_ALREADY_PLACED"
    NOT_ACTIVE = "NOT_ACTIVE"
    PAYMENT_DECLINED = PaymentErrorCode.PAYMENT_DECLINED
    PAYMENT_PROVIDER_ERROR = PaymentErrorCode.PAYMENT_PROVIDER_ERROR
