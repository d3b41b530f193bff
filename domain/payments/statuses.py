"""Statuses of payments and kinds of their transactions; the database enums and the use cases
take their values from here."""
from enum import StrEnum


class PaymentStatus(StrEnum):
    AUTHORIZED = "AUTHORIZED"
    PARTIALLY_CAPTURED = "PARTIALLY_CAPTURED"
    CAPTURED = "CAPTURED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    VOIDED = "VOIDED"
    FAILED = "FAILED"


class TransactionKind(StrEnum):
    AUTHORIZE = "AUTHORIZE"
    CAPTURE = "CAPTURE"
    VOID = "VOID"
    REFUND = "REFUND"
