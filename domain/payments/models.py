"""Payment tables: our own record of each payment and of every operation on it, and the
built-in test provider's state (a stand-in for an outside service, in a table of its own).

Payments reference what they pay for by an opaque `reference` and, for orders, `order_id`."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.payments.statuses import PaymentStatus, TransactionKind
from domain.shared.db import Base

payment_status = ENUM(*PaymentStatus, name="payment_status")
payment_transaction_kind = ENUM(*TransactionKind, name="payment_transaction_kind")


class Payment(Base):
    """One authorization and what became of it. Amounts only grow, and the database itself
    refuses a state where more is captured (and voided) than authorized or more refunded
    than captured."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("captured_minor >= 0 AND refunded_minor >= 0 AND voided_minor >= 0", name="amounts_not_negative"),
        CheckConstraint("captured_minor + voided_minor <= amount_minor", name="captured_within_authorized"),
        CheckConstraint("refunded_minor <= captured_minor", name="refunded_within_captured"),
        CheckConstraint(
            "(status = 'FAILED') = (provider_authorization_id IS NULL)"
            " AND (status <> 'FAILED' OR captured_minor + voided_minor = 0)",
            name="failed_has_no_authorization"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint("length(reference) BETWEEN 1 AND 200", name="reference_length"),
        CheckConstraint("length(idempotency_key) BETWEEN 1 AND 200", name="idempotency_key_length"),
        Index("ix_payments_order_id", "order_id"),
        Index("ix_payments_reference", "reference"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # What the payment is for ("order:123").
    reference: Mapped[str] = mapped_column(Text)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"))
    idempotency_key: Mapped[str] = mapped_column(Text, unique=True)
    provider: Mapped[str] = mapped_column(String(40))
    provider_authorization_id: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(payment_status)
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    captured_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    refunded_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    voided_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    failure_code: Mapped[str | None] = mapped_column(Text)
    failure_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PaymentTransaction(Base):
    """Every successful operation on a payment, as the provider confirmed it. Append-only: a
    trigger (see the migration) refuses UPDATE, DELETE and TRUNCATE."""

    __tablename__ = "payment_transactions"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        # A refund is taken from one capture.
        CheckConstraint("(kind = 'REFUND') = (parent_id IS NOT NULL)", name="refund_has_capture"),
        CheckConstraint("(kind = 'REFUND') = (reason IS NOT NULL)", name="refund_has_reason"),
        Index("ix_payment_transactions_payment_id_id", "payment_id", "id"),
        Index("ix_payment_transactions_payment_id_idempotency_key", "payment_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(payment_transaction_kind)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    provider_id: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("payment_transactions.id", ondelete="RESTRICT"))
    idempotency_key: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TestProviderOperation(Base):
    """The built-in test provider's own books: each authorization, capture, void and refund
    it answered, by its idempotency key. Only the provider reads or writes this table."""

    __test__ = False  # not a pytest class
    __tablename__ = "test_provider_operations"
    __table_args__ = (
        CheckConstraint("kind IN ('AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND')", name="kind_known"),
        CheckConstraint("outcome IN ('SUCCEEDED', 'DECLINED')", name="outcome_known"),
        CheckConstraint("amount_minor >= 0 AND captured_minor >= 0 AND refunded_minor >= 0", name="amounts_not_negative"),
        CheckConstraint("captured_minor <= amount_minor AND refunded_minor <= amount_minor", name="within_amount"),
        CheckConstraint("(kind = 'AUTHORIZE') = (parent_id IS NULL)", name="parent_unless_authorization"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
    )

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(Text, unique=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("test_provider_operations.id", ondelete="RESTRICT"))
    payment_token: Mapped[str | None] = mapped_column(Text)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    outcome: Mapped[str] = mapped_column(Text)
    decline_code: Mapped[str | None] = mapped_column(Text)
    # Running totals: captured on an authorization, refunded on a capture.
    captured_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    refunded_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    voided: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TestProviderPaymentMethod(Base):
    """The built-in test provider's saved payment methods (for recurring charges). Only the
    provider reads or writes this table."""

    __test__ = False  # not a pytest class
    __tablename__ = "test_provider_payment_methods"
    __table_args__ = (
        CheckConstraint("charges_left IS NULL OR charges_left >= 0", name="charges_left_not_negative"),
    )

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    payment_token: Mapped[str] = mapped_column(Text)
    brand: Mapped[str | None] = mapped_column(Text)
    last4: Mapped[str | None] = mapped_column(String(4))
    # Charges that still succeed before the method starts declining; NULL: no limit.
    charges_left: Mapped[int | None] = mapped_column(BigInteger)
    # Set: every charge declines with this code.
    decline_code: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
