"""Membership plans, statuses and the kinds of their history; the database enums and the
GraphQL enums take their values from here."""
from enum import StrEnum


class MembershipPlan(StrEnum):
    PRIME_MONTHLY = "PRIME_MONTHLY"
    PRIME_ANNUAL = "PRIME_ANNUAL"


class MembershipStatus(StrEnum):
    """TRIAL: the free trial, charged first at its end. ACTIVE: a paid period. GRACE: a renewal
    was declined and is being retried (benefits continue). CANCELLED: will end at `ends_at`
    (benefits until then; resumable). ENDED: cancelled and over (or refunded at cancel).
    LAPSED: every retry of a declined renewal failed."""

    TRIAL = "TRIAL"
    ACTIVE = "ACTIVE"
    GRACE = "GRACE"
    CANCELLED = "CANCELLED"
    ENDED = "ENDED"
    LAPSED = "LAPSED"


# A live membership: at most one per account; it may still give benefits.
LIVE = (MembershipStatus.TRIAL, MembershipStatus.ACTIVE, MembershipStatus.GRACE, MembershipStatus.CANCELLED)
# Statuses the worker renews.
RENEWING = (MembershipStatus.TRIAL, MembershipStatus.ACTIVE, MembershipStatus.GRACE)


class ChargeOutcome(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    DECLINED = "DECLINED"


class MembershipEventKind(StrEnum):
    """One line of a membership's history (each carries the status it left it in)."""

    JOINED = "JOINED"
    TRIAL_STARTED = "TRIAL_STARTED"
    RENEWED = "RENEWED"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    LAPSED = "LAPSED"
    CANCELLED = "CANCELLED"
    REFUNDED = "REFUNDED"
    RESUMED = "RESUMED"
    PLAN_CHANGE_SCHEDULED = "PLAN_CHANGE_SCHEDULED"
    PLAN_CHANGED = "PLAN_CHANGED"
    ENDED = "ENDED"
    BENEFIT_USED = "BENEFIT_USED"
    PAYMENT_METHOD_UPDATED = "PAYMENT_METHOD_UPDATED"


class BenefitKind(StrEnum):
    """A use of a membership benefit that other contexts record (`record_benefit_use`): after
    one, a cancel no longer refunds the period's charge."""

    FREE_DELIVERY = "FREE_DELIVERY"
    MEMBER_PRICE = "MEMBER_PRICE"
    BORROWED_TITLE = "BORROWED_TITLE"


class SubscriptionStatus(StrEnum):
    """A Subscribe & Save subscription. ACTIVE: delivered on `next_delivery_date`. PAUSED: no
    deliveries until resumed. CANCELLED: over (kept for its history)."""

    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    CANCELLED = "CANCELLED"


class DeliveryOutcome(StrEnum):
    """What became of one due delivery. PLACED: its order exists. SKIPPED: the customer skipped
    it, or the product was out of stock or no longer offered (nothing was placed). FAILED: the
    payment was declined on the delivery date and on each daily retry after it (nothing was
    placed)."""

    PLACED = "PLACED"
    SKIPPED = "SKIPPED"
    FAILED = "FAILED"
