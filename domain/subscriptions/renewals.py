"""The worker's side of memberships: renewals, grace retries, lapses, trial reminders and the
end of cancelled memberships, run by a periodic sweep (`subscriptions.renew_memberships`,
hourly; each run queues the next).

Each period is charged exactly once:
- a due membership is taken with `FOR UPDATE SKIP LOCKED` and re-read as locked, so two
  sweeps at once never renew the same membership, and one that a concurrent sweep renewed
  first is no longer due;
- the charge's idempotency key is (membership, period start, attempt), and the charge row,
  the period's advance and the e-mail are written in the sweep's transaction: a worker that
  crashes after the provider charged and before its commit leaves nothing, and the next run
  asks the provider again with the same key, which answers with the first charge instead of
  charging twice;
- the database refuses a second successful charge of one period.

A worker that was down catches up: a membership whose period ended days ago is charged for the
next period once, starting where the last one ended (periods stay on their anchor, see
`plans`); the next period is not due before it ends.

A declined renewal opens a grace period: the membership stays a member (the benefits continue,
as Amazon keeps them for a few days) and the charge is retried 1, 3 and 7 days after the first
failure, each retry with its own attempt number (a provider answers a repeated key with its
first answer, a decline included). A member who replaces the card in grace is retried with the
new one at the next sweep; a decline then keeps the schedule. A failure with no scheduled retry
left (day 7) lapses the membership. E-mails go through
the outbox at each step: renewed, payment failed, lapsed, trial ending, and (by the use cases)
joined and cancelled. The sweep also refunds the first charge of a join that failed after the
provider charged and that no retry claimed (see `join_charges`)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import service as jobs
from domain.payments.provider import PaymentProvider, PaymentProviderError
from domain.shared import clock
from domain.shared.config import Settings
from domain.subscriptions import join_charges, plans, repository
from domain.subscriptions.charging import charge_once
from domain.subscriptions.entities import Membership
from domain.subscriptions.memberships import charge_key, day_text, email, membership_ended, plan_name, price_text
from domain.subscriptions.statuses import MembershipEventKind, MembershipStatus

log = logging.getLogger("tributary.memberships")

RENEW_JOB = "subscriptions.renew_memberships"
# Retries of a declined renewal, in days after the first failure; the last one's failure lapses.
RETRY_DAYS = (1, 3, 7)
MAX_PER_RUN = 200
S = MembershipStatus
E = MembershipEventKind

_DUE = text("SELECT id FROM memberships WHERE next_attempt_at <= :now AND status IN ('TRIAL', 'ACTIVE', 'GRACE')"
            " ORDER BY next_attempt_at, id LIMIT :limit FOR UPDATE SKIP LOCKED")
_TRIALS_ENDING = text(
    "SELECT id FROM memberships WHERE next_attempt_at <= :soon AND status = 'TRIAL' AND trial_reminded_at IS NULL"
    " ORDER BY next_attempt_at, id LIMIT :limit FOR UPDATE SKIP LOCKED")
_OVER = text("UPDATE memberships SET status = 'ENDED', updated_at = :now WHERE id IN (SELECT id FROM memberships"
             " WHERE status = 'CANCELLED' AND ends_at <= :now ORDER BY ends_at, id LIMIT :limit FOR UPDATE SKIP LOCKED)"
             " RETURNING id, account_id")


@dataclass(slots=True)
class RunStats:
    renewed: int = 0
    declined: int = 0
    lapsed: int = 0
    ended: int = 0
    reminded: int = 0
    errors: int = 0
    joins_refunded: int = 0

    @property
    def full(self) -> bool:
        return self.renewed + self.declined + self.lapsed + self.errors >= MAX_PER_RUN


async def run_due(session: AsyncSession, provider: PaymentProvider, settings: Settings, *,
                  now: datetime | None = None, limit: int = MAX_PER_RUN) -> RunStats:
    """Does everything due at `now` (the clock's by default) in the caller's transaction: closes
    cancelled memberships that reached their end, reminds trials about to end, renews or retries
    due memberships (at most `limit`). A membership whose provider call fails (not a decline) is
    left for the next run without stopping the others."""
    now = now or clock.now()
    stats = RunStats()
    for membership_id, account_id in (await session.execute(_OVER, {"now": now, "limit": limit})).all():
        await repository.add_event(session, membership_id, E.ENDED, S.ENDED, now)
        await membership_ended(session, account_id, now)
        stats.ended += 1
    stats.joins_refunded = await join_charges.settle_forsaken(session, provider, now, limit)
    soon = now + timedelta(days=settings.prime_trial_reminder_days)
    for membership_id in (await session.execute(_TRIALS_ENDING, {"soon": soon, "limit": limit})).scalars().all():
        await _remind(session, settings, await repository.locked_by_id(session, membership_id), now)
        stats.reminded += 1
    for membership_id in (await session.execute(_DUE, {"now": now, "limit": limit})).scalars().all():
        membership = await repository.locked_by_id(session, membership_id)
        try:
            async with session.begin_nested():
                await _renew(session, provider, settings, membership, now, stats)
        except PaymentProviderError:
            log.warning("membership %s: the payment provider failed; left for the next run", membership_id)
            stats.errors += 1
    return stats


async def _remind(session: AsyncSession, settings: Settings, membership: Membership, now: datetime) -> None:
    plan = plans.plan_of(settings, membership.next_plan or membership.plan)
    await repository.update(session, membership.id, {"trial_reminded_at": now})
    await email(session, membership.account_id, "prime_trial_ending",
                {"trialEnds": day_text(membership.current_period_end), "plan": plan_name(plan.plan),
                 "price": price_text(plan.price)}, f"prime:{membership.id}:trial-ending")


async def _renew(session: AsyncSession, provider: PaymentProvider, settings: Settings, membership: Membership,
                 now: datetime, stats: RunStats) -> None:
    period = membership.next_period()
    plan = plans.plan_of(settings, period.plan)
    start, end = period.start, period.end
    attempt = membership.failed_attempts + 1
    key = charge_key(membership.id, start, attempt)
    charge_row = {"membership_id": membership.id, "plan": plan.plan.value, "period_start": start, "period_end": end,
                  "attempt": attempt, "idempotency_key": key, "amount_minor": plan.price.minor,
                  "currency": plan.price.currency, "created_at": now}
    answer = await charge_once(provider, plan.price, membership.payment_method_id, key)
    if answer.decline_code is not None:
        await repository.add_charge(session, {**charge_row, "outcome": "DECLINED", "amount_minor": answer.amount.minor,
                                              "decline_code": answer.decline_code, "provider_charge_id": None})
        # The decline came from a card replaced since (the first request of a crashed run):
        # the new card gets its retry at the next sweep, as the card change asked.
        retry_now = answer.payment_method_id != membership.payment_method_id
        await _declined(session, membership, plan, now, answer.decline_code, stats, retry_now=retry_now)
        return
    await repository.add_charge(session, {**charge_row, "outcome": "SUCCEEDED", "decline_code": None,
                                          "amount_minor": answer.amount.minor, "currency": answer.amount.currency,
                                          "provider_charge_id": answer.charge_id})
    await repository.update(session, membership.id, {
        "status": S.ACTIVE, "plan": plan.plan.value, "next_plan": None, "anchor_at": period.anchor,
        "period_index": period.index,
        "current_period_start": start, "current_period_end": end, "next_attempt_at": end, "failed_attempts": 0,
        "grace_started_at": None, "updated_at": now})
    switched = plan.plan.value != membership.plan
    if switched:
        await repository.add_event(session, membership.id, E.PLAN_CHANGED, S.ACTIVE, now,
                                   {"from": membership.plan, "to": plan.plan.value})
    await repository.add_event(session, membership.id, E.RENEWED, S.ACTIVE, now, {
        "plan": plan.plan.value, "periodStart": start.isoformat(), "periodEnd": end.isoformat(),
        "amountMinor": plan.price.minor, "attempt": attempt, **({"switchedFrom": membership.plan} if switched else {})})
    await email(session, membership.account_id, "prime_renewed",
                {"plan": plan_name(plan.plan), "price": price_text(plan.price), "nextCharge": day_text(end)},
                f"prime:{membership.id}:renewed:{start.isoformat()}")
    stats.renewed += 1


async def _declined(session: AsyncSession, membership: Membership, plan: plans.Plan, now: datetime,
                    decline_code: str, stats: RunStats, *, retry_now: bool = False) -> None:
    failures = membership.failed_attempts + 1
    grace_start = membership.grace_started_at or now
    # The schedule is by time, not by count: a retry a new card asked for (see
    # `memberships.update_payment_method`) never brings the lapse forward.
    retry_at = now if retry_now else next(
        (at for at in (grace_start + timedelta(days=d) for d in RETRY_DAYS) if at > now), None)
    if retry_at is None:
        await repository.update(session, membership.id, {
            "status": S.LAPSED, "ends_at": now, "next_attempt_at": None, "grace_started_at": None,
            "failed_attempts": failures, "updated_at": now})
        await repository.add_event(session, membership.id, E.LAPSED, S.LAPSED, now, {"declineCode": decline_code})
        await membership_ended(session, membership.account_id, now)
        await email(session, membership.account_id, "prime_lapsed", {"plan": plan_name(plan.plan)},
                    f"prime:{membership.id}:lapsed:{membership.current_period_end.isoformat()}")
        stats.lapsed += 1
        return
    await repository.update(session, membership.id, {
        "status": S.GRACE, "grace_started_at": grace_start, "next_attempt_at": retry_at, "failed_attempts": failures,
        "updated_at": now})
    await repository.add_event(session, membership.id, E.PAYMENT_FAILED, S.GRACE, now,
                               {"declineCode": decline_code, "attempt": failures, "retryAt": retry_at.isoformat()})
    await email(session, membership.account_id, "prime_payment_failed",
                {"plan": plan_name(plan.plan), "price": price_text(plan.price), "retry": day_text(retry_at),
                 "lapses": day_text(grace_start + timedelta(days=RETRY_DAYS[-1]))},
                f"prime:{membership.id}:declined:{membership.current_period_end.isoformat()}:{failures}")
    stats.declined += 1


async def schedule(session: AsyncSession, *, at: datetime | None = None) -> None:
    """Queues the sweep of the hour holding `at` (now by default). One run per hour at most: the
    dedupe key is the hour, so the job rescheduling itself and each worker's start never pile
    runs up."""
    at = (at or clock.now()).astimezone(UTC)
    slot = at.replace(minute=0, second=0, microsecond=0)
    await jobs.enqueue(session, RENEW_JOB, {"slot": slot.isoformat()}, run_at=slot,
                       dedupe_key=f"{RENEW_JOB}@{slot.isoformat()}")


async def run_job(session: AsyncSession, provider: PaymentProvider, settings: Settings) -> RunStats:
    """The `subscriptions.renew_memberships` job: does what is due, queues the next hour's run,
    and a follow-up at once when it stopped at its per-run limit."""
    now = clock.now()
    stats = await run_due(session, provider, settings, now=now)
    if stats.full:
        await jobs.enqueue(session, RENEW_JOB, {"continued": True})
    await schedule(session, at=now + timedelta(hours=1))
    return stats

