"""Membership and Subscribe & Save tables. Memberships: one row per membership (an account has at most one live membership, and
may rejoin after it ended), one row per charge attempt of a period, and the membership's
history (its status after each event, readable by other contexts).

Exactly once per period: a period is charged under the idempotency key of (membership, period
start, attempt), recorded in the transaction that advances the period, and the database holds
at most one successful charge per (membership, period start).

Subscribe & Save: a subscription (a product, a quantity, a frequency, where it ships and the
saved payment method that pays it) and its due deliveries, each the pair (subscription, due
date), unique in the database, with the order it placed written in the same transaction."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ENUM, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.db import Base
from domain.subscriptions.statuses import (
    ChargeOutcome,
    DeliveryOutcome,
    MembershipEventKind,
    MembershipPlan,
    MembershipStatus,
    SubscriptionStatus,
)

membership_plan = ENUM(*MembershipPlan, name="membership_plan")
membership_status = ENUM(*MembershipStatus, name="membership_status")
membership_charge_outcome = ENUM(*ChargeOutcome, name="membership_charge_outcome")
membership_event_kind = ENUM(*MembershipEventKind, name="membership_event_kind")

_LIVE = "status IN ('TRIAL', 'ACTIVE', 'GRACE', 'CANCELLED')"


class Membership(Base):
    """An account's Prime membership. The current period is [current_period_start,
    current_period_end); its end is `plans.period_end(anchor_at, plan, period_index)` (index 0:
    the trial, which ends at the anchor). `next_attempt_at` is when the worker next charges it
    (the period end, or a grace retry)."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint("current_period_start < current_period_end", name="period_not_empty"),
        CheckConstraint("period_index >= 0", name="period_index_not_negative"),
        CheckConstraint("failed_attempts BETWEEN 0 AND 10", name="failed_attempts_range"),
        CheckConstraint("(status IN ('TRIAL', 'ACTIVE', 'GRACE')) = (next_attempt_at IS NOT NULL)",
                        name="renewing_has_next_attempt"),
        CheckConstraint("(status = 'GRACE') = (grace_started_at IS NOT NULL)", name="grace_has_start"),
        CheckConstraint("(status IN ('CANCELLED', 'ENDED', 'LAPSED')) = (ends_at IS NOT NULL)", name="ended_has_end"),
        CheckConstraint("status <> 'TRIAL' OR trial_ends_at IS NOT NULL", name="trial_has_end"),
        CheckConstraint("next_plan IS NULL OR next_plan <> plan", name="next_plan_differs"),
        # One live membership per account (the benefits look-up reads this index).
        Index("uq_memberships_live_account_id", "account_id", unique=True, postgresql_where=text(_LIVE)),
        Index("ix_memberships_account_id", "account_id"),
        # What the worker renews next.
        Index("ix_memberships_due", "next_attempt_at", "id", postgresql_where=text("next_attempt_at IS NOT NULL")),
        # Cancelled memberships to close at their end.
        Index("ix_memberships_cancelled_ends_at", "ends_at", postgresql_where=text("status = 'CANCELLED'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    plan: Mapped[str] = mapped_column(membership_plan)
    # The plan the next renewal switches to; NULL: the same plan.
    next_plan: Mapped[str | None] = mapped_column(membership_plan)
    status: Mapped[str] = mapped_column(membership_status)
    # The provider's saved payment method (a reusable id, never the client's token).
    provider: Mapped[str] = mapped_column(String(40))
    payment_method_id: Mapped[str] = mapped_column(Text)
    payment_method_brand: Mapped[str | None] = mapped_column(Text)
    payment_method_last4: Mapped[str | None] = mapped_column(String(4))
    anchor_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    period_index: Mapped[int] = mapped_column(BigInteger)
    current_period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    current_period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when the membership began with a free trial: one per account, ever.
    trial_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    trial_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_attempts: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    grace_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the benefits end (or ended): set once the membership is cancelled, ended or lapsed.
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last use of a benefit (`record_benefit_use`): a cancel after it does not refund.
    benefit_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MembershipCharge(Base):
    """One attempt to charge one period. Declined attempts are kept (each retry has its own
    attempt number and so its own idempotency key: the provider answers a key with its first
    answer); at most one attempt per period succeeds."""

    __tablename__ = "membership_charges"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("refunded_minor >= 0 AND refunded_minor <= amount_minor", name="refunded_within_amount"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        CheckConstraint("(outcome = 'SUCCEEDED') = (provider_charge_id IS NOT NULL)", name="succeeded_has_charge"),
        CheckConstraint("(outcome = 'DECLINED') = (decline_code IS NOT NULL)", name="declined_has_code"),
        UniqueConstraint("membership_id", "period_start", "attempt", name="uq_membership_charges_attempt"),
        Index("uq_membership_charges_paid_period", "membership_id", "period_start", unique=True,
              postgresql_where=text("outcome = 'SUCCEEDED'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="RESTRICT"))
    plan: Mapped[str] = mapped_column(membership_plan)
    period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempt: Mapped[int] = mapped_column(SmallInteger)
    idempotency_key: Mapped[str] = mapped_column(Text, unique=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    outcome: Mapped[str] = mapped_column(membership_charge_outcome)
    decline_code: Mapped[str | None] = mapped_column(Text)
    provider_charge_id: Mapped[str | None] = mapped_column(Text)
    refunded_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    provider_refund_id: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PrimeJoinCharge(Base):
    """The first charge of a join, recorded and committed on its own before the provider is asked
    (the join's own transaction may die after the provider charged). The join settles it in its
    transaction (JOINED); a join retried after a failure takes the unsettled one of its plan and
    its key, so the provider answers with the first charge; the worker settles what no join
    claimed within the hour: the charge refunded (REFUNDED), or nothing to do (NOT_CHARGED,
    DECLINED)."""

    __tablename__ = "prime_join_charges"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("outcome IN ('JOINED', 'REFUNDED', 'NOT_CHARGED', 'DECLINED')", name="outcome_known"),
        CheckConstraint("(outcome IS NULL) = (settled_at IS NULL)", name="settled_has_outcome"),
        CheckConstraint("(outcome = 'JOINED') = (membership_id IS NOT NULL)", name="joined_has_membership"),
        Index("ix_prime_join_charges_unsettled", "account_id", "plan", postgresql_where=text("settled_at IS NULL")),
        Index("ix_prime_join_charges_unsettled_created_at", "created_at", postgresql_where=text("settled_at IS NULL")),
    )

    idempotency_key: Mapped[str] = mapped_column(Text, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    plan: Mapped[str] = mapped_column(membership_plan)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(Text)
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="RESTRICT"))
    provider_refund_id: Mapped[str | None] = mapped_column(Text)


class MembershipEvent(Base):
    """The membership's history: what happened, when, and the status it left."""

    __tablename__ = "membership_events"
    __table_args__ = (Index("ix_membership_events_membership_id_id", "membership_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(membership_event_kind)
    status: Mapped[str] = mapped_column(membership_status)
    details: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


subscription_status = ENUM(*SubscriptionStatus, name="subscription_status")
delivery_outcome = ENUM(*DeliveryOutcome, name="subscription_delivery_outcome")


class Subscription(Base):
    """A customer's Subscribe & Save subscription to one offer. `anchor_day` is the day of the
    month deliveries fall on (the first order's day): a month without it delivers on its last
    day, and the next month goes back to the anchor (Jan 31, Feb 28, Mar 31)."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint("quantity BETWEEN 1 AND 10", name="quantity_range"),
        CheckConstraint("frequency_months BETWEEN 1 AND 6", name="frequency_range"),
        CheckConstraint("anchor_day BETWEEN 1 AND 31", name="anchor_day_range"),
        CheckConstraint("(reminded_for IS NULL) = (reminded_price_minor IS NULL)", name="reminder_has_price"),
        CheckConstraint("(payment_failures = 0) = (payment_retry_at IS NULL)", name="retry_after_failure"),
        Index("ix_subscriptions_account_id_id", "account_id", "id"),
        # What the scheduler delivers (and reminds) next.
        Index("ix_subscriptions_due", "next_delivery_date", "id", postgresql_where=text("status = 'ACTIVE'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="RESTRICT"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="RESTRICT"))
    quantity: Mapped[int] = mapped_column(SmallInteger)
    frequency_months: Mapped[int] = mapped_column(SmallInteger)
    anchor_day: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(subscription_status)
    next_delivery_date: Mapped[date] = mapped_column(Date)
    # The delivery the reminder e-mail was sent for, and the unit price it stated: that
    # delivery is never charged more.
    reminded_for: Mapped[date | None] = mapped_column(Date)
    reminded_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    ship_full_name: Mapped[str] = mapped_column(String(100))
    ship_line1: Mapped[str] = mapped_column(String(200))
    ship_line2: Mapped[str] = mapped_column(String(200))
    ship_city: Mapped[str] = mapped_column(String(100))
    ship_region: Mapped[str] = mapped_column(String(100))
    ship_postal_code: Mapped[str] = mapped_column(String(20))
    ship_country_code: Mapped[str] = mapped_column(String(2))
    ship_phone: Mapped[str] = mapped_column(String(30))
    # The provider's saved payment method (a reusable id, never the client's token).
    provider: Mapped[str] = mapped_column(String(40))
    payment_method_id: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Declined charges of the next delivery so far, and when the scheduler tries it again: a
    # new date (placed, skipped, changed) starts over.
    payment_failures: Mapped[int] = mapped_column(SmallInteger, server_default=text("0"))
    payment_retry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SubscriptionDelivery(Base):
    """One due delivery of a subscription: placed (with its order and the provider's charge),
    skipped or failed, with the reason. At most one per (subscription, due date)."""

    __tablename__ = "subscription_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "due_date", name="uq_subscription_deliveries_due"),
        CheckConstraint("(outcome = 'PLACED') = (order_id IS NOT NULL)", name="placed_has_order"),
        CheckConstraint("outcome = 'PLACED' OR reason IS NOT NULL", name="unplaced_has_reason"),
        Index("ix_subscription_deliveries_order_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="RESTRICT"))
    due_date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(delivery_outcome)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"))
    unit_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
