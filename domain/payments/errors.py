"""Codes of the payments context's errors. Payments has no mutations of its own: the ordering
and playback code enums take these members."""
from enum import StrEnum


class PaymentErrorCode(StrEnum):
    PAYMENT_DECLINED = "PAYMENT_DECLINED"
    PAYMENT_PROVIDER_ERROR = "PAYMENT_PROVIDER_ERROR"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    CAPTURE_EXCEEDS_AUTHORIZED = "CAPTURE_EXCEEDS_AUTHORIZED"
    NOTHING_TO_VOID = "NOTHING_TO_VOID"
    REFUND_EXCEEDS_CAPTURED = "REFUND_EXCEEDS_CAPTURED"
    NOT_CAPTURED = "NOT_CAPTURED"
