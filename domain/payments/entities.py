"""A payment as we record it, and each operation the provider confirmed on it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.payments.statuses import PaymentStatus
from domain.shared.money import Money

PAYMENT_COLUMNS = ("id, reference, order_id, status::text AS status, provider, provider_authorization_id, currency,"
                   " amount_minor, captured_minor, refunded_minor, voided_minor, failure_code, failure_message,"
                   " created_at, updated_at, idempotency_key")
TRANSACTION_COLUMNS = ("id, payment_id, kind::text AS kind, amount_minor, currency, provider_id, parent_id,"
                       " idempotency_key, reason, created_at")


@dataclass(slots=True)
class Payment:
    id: int
    reference: str
    order_id: int | None
    status: str
    provider: str
    provider_authorization_id: str | None
    currency: str
    amount_minor: int
    captured_minor: int
    refunded_minor: int
    voided_minor: int
    failure_code: str | None
    failure_message: str | None
    created_at: datetime
    updated_at: datetime
    # The authorization's key, the same on every retry of the use case that authorized (a
    # retry after a crash inserts a new row, with a new id, under the same key).
    idempotency_key: str

    @property
    def authorized(self) -> Money:
        """What was authorized (asked for, on a FAILED payment)."""
        return Money(self.amount_minor, self.currency)

    @property
    def captured(self) -> Money:
        return Money(self.captured_minor, self.currency)

    @property
    def refunded(self) -> Money:
        return Money(self.refunded_minor, self.currency)

    @property
    def voided(self) -> Money:
        return Money(self.voided_minor, self.currency)

    @property
    def capturable(self) -> Money:
        """What is left of the authorization to capture."""
        if self.status == PaymentStatus.FAILED:
            return Money(0, self.currency)
        return Money(self.amount_minor - self.captured_minor - self.voided_minor, self.currency)

    @property
    def refundable(self) -> Money:
        """What was captured and not refunded yet."""
        return Money(self.captured_minor - self.refunded_minor, self.currency)


@dataclass(slots=True)
class PaymentTransaction:
    id: int
    payment_id: int
    kind: str
    amount_minor: int
    currency: str
    provider_id: str
    parent_id: int | None
    idempotency_key: str
    reason: str | None
    created_at: datetime

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)


def status_of(amount: int, captured: int, refunded: int, voided: int) -> PaymentStatus:
    """The status a payment's amounts (minor units) add up to (never FAILED: that one is set
    when the authorization fails)."""
    if refunded:
        return PaymentStatus.REFUNDED if refunded == captured else PaymentStatus.PARTIALLY_REFUNDED
    if captured == 0:
        return PaymentStatus.VOIDED if voided else PaymentStatus.AUTHORIZED
    return PaymentStatus.CAPTURED if captured + voided == amount else PaymentStatus.PARTIALLY_CAPTURED
