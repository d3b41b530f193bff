"""Joining Prime, cancelling, resuming and switching plans: the customer's use cases. Each runs
in the caller's transaction and raises a typed error (writing nothing) when refused.

Rules:
- One live membership per account (ALREADY_MEMBER), one free trial per account ever. Joining
  without saying (`trial=None`) gives the trial when the account never had one, else charges
  the first period at once: a returning member pays at once. Asking for a trial (`trial=True`)
  after one was used is TRIAL_ALREADY_USED; `trial=False` pays at once even when a trial is due.
- Joining saves the payment method with the provider (a declined card: PAYMENT_DECLINED, and
  nothing is written); renewals charge that saved method. The first period's charge (no trial)
  is retry-safe (`join_charges`): a join that failed after the provider charged is completed
  by its retry (same account and plan) with that charge, or refunded by the worker within
  about an hour when nobody retries.
- Cancel: the benefits last to the end of the paid period (or of the trial), then the
  membership ends. A cancel within `prime_refund_days` (3) of the period's charge, with no
  benefit used since that charge, refunds the charge in full and ends the membership at once.
  A benefit is used when another context records one (`record_benefit_use`): an order placed
  with free two-day delivery or at a member price, or a title borrowed from the membership
  library. A membership in grace (its renewal unpaid) ends at once when cancelled.
- Resume: a cancelled membership whose end has not come goes back to renewing as before.
- Replace the card: the provider saves the new one (a declined card: PAYMENT_DECLINED, nothing
  written) and the next renewal charges it. A membership in grace is retried with it at the
  worker's next sweep (within the hour) rather than on the next day of its retry schedule; a
  decline of that retry keeps the schedule (the lapse still comes on day 7 of grace, never
  sooner, however many cards are tried).
- Switch plan: takes effect at the next renewal (`next_plan`); choosing the current plan again
  takes a scheduled switch back.
- The membership library: titles borrowed through the membership expire in the transaction that
  ends it (`membership_ended`: lapsed, cancelled and over, refunded); joining again within
  TITLES_KEPT_DAYS of that end gives them back (the grace a declined renewal gets before it
  lapses).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import service as identity
from domain.jobs import service as jobs
from domain.licences import service as licences
from domain.payments.provider import PaymentDeclined, PaymentProvider
from domain.shared import clock
from domain.shared.config import Settings
from domain.shared.errors import DomainError
from domain.shared.money import Money
from domain.shared.principal import Principal
from domain.subscriptions import join_charges, plans, repository
from domain.subscriptions.charging import charge_once
from domain.subscriptions.entities import Membership
from domain.subscriptions.errors import MembershipError, MembershipErrorCode
from domain.subscriptions.statuses import BenefitKind, MembershipEventKind, MembershipPlan, MembershipStatus

S = MembershipStatus
E = MembershipEventKind
# How long after a membership ends its borrowed titles come back to a customer who joins again.
TITLES_KEPT_DAYS = 7


def charge_key(membership_id: int, period_start: datetime, attempt: int) -> str:
    """The provider idempotency key of one charge attempt of one period."""
    return f"prime:{membership_id}:{period_start.isoformat()}:{attempt}"


async def email(session: AsyncSession, account_id: int, template: str, context: dict, dedupe_key: str) -> None:
    to = await identity.email_of(session, account_id)
    if to is not None:
        await jobs.send_email(session, to=to, template=template, context=context, dedupe_key=dedupe_key)


def day_text(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%B %-d, %Y")


async def membership_ended(session: AsyncSession, account_id: int, now: datetime) -> None:
    """The account's membership ended at `now`: what it lent ends with it, in the same
    transaction (devices drop the borrowed titles at their next sync)."""
    await licences.expire_membership_titles(session, account_id, now)


async def end_if_over(session: AsyncSession, membership: Membership | None, now: datetime) -> Membership | None:
    """A cancelled membership whose end has come is closed (the worker does it too; a use case
    does not wait for it). None when it was closed."""
    if membership is not None and membership.is_over(now):
        await repository.update(session, membership.id, {"status": S.ENDED, "updated_at": now})
        await repository.add_event(session, membership.id, E.ENDED, S.ENDED, now)
        await membership_ended(session, membership.account_id, now)
        return None
    return membership


async def _live(session: AsyncSession, account_id: int, now: datetime) -> Membership:
    membership = await end_if_over(session, await repository.live_locked(session, account_id), now)
    if membership is None:
        raise MembershipError("You are not a Prime member.", code=MembershipErrorCode.NOT_A_MEMBER)
    return membership


async def join(session: AsyncSession, principal: Principal, provider: PaymentProvider, settings: Settings, *,
               plan: MembershipPlan | str, payment_token: str, trial: bool | None = None) -> int:
    """Joins Prime on `plan` with the card behind `payment_token` (see the module's rules);
    returns the membership's id."""
    account_id = principal.require_signed_in()
    now = clock.now()
    offer = plans.plan_of(settings, plan)
    if not payment_token or len(payment_token) > 200:
        raise MembershipError("Give the payment token your payment form returned.", field=["input", "paymentToken"])
    if await end_if_over(session, await repository.live_locked(session, account_id), now) is not None:
        raise MembershipError("You are a Prime member already: change your plan instead.",
                              code=MembershipErrorCode.ALREADY_MEMBER)
    trial_allowed = offer.trial_days > 0 and not await repository.had_trial(session, account_id)
    if trial and not trial_allowed:
        raise MembershipError("The free trial is once per account, and yours was used: join without it.",
                              code=MembershipErrorCode.TRIAL_ALREADY_USED, field=["input", "trial"])
    with_trial = trial_allowed if trial is None else trial
    try:
        method = await provider.save_payment_method(payment_token)
    except DomainError as error:  # declined, or the provider failed: the token is what to change
        error.field = error.field or ["input", "paymentToken"]
        raise
    if with_trial:
        trial_end = now + timedelta(days=offer.trial_days)
        period = {"anchor_at": trial_end, "period_index": 0, "current_period_end": trial_end,
                  "trial_ends_at": trial_end, "status": S.TRIAL}
    else:
        period = {"anchor_at": now, "period_index": 1, "current_period_end": plans.period_end(now, offer.plan, 1),
                  "trial_ends_at": None, "status": S.ACTIVE}
    membership_id = await repository.insert(session, {
        "account_id": account_id, "plan": offer.plan.value, "provider": provider.name,
        "payment_method_id": method.id, "payment_method_brand": method.brand, "payment_method_last4": method.last4,
        "current_period_start": now, "next_attempt_at": period["current_period_end"], "created_at": now,
        "updated_at": now, **period})
    if membership_id is None:
        raise MembershipError("You are a Prime member already: change your plan instead.",
                              code=MembershipErrorCode.ALREADY_MEMBER)
    await licences.restore_membership_titles(session, account_id, now - timedelta(days=TITLES_KEPT_DAYS))
    if with_trial:
        await repository.add_event(session, membership_id, E.TRIAL_STARTED, S.TRIAL, now,
                                   {"plan": offer.plan.value, "trialEndsAt": period["trial_ends_at"].isoformat()})
        await email(session, account_id, "prime_trial_started",
                    {"plan": plan_name(offer.plan), "trialEnds": day_text(period["trial_ends_at"]),
                     "price": price_text(offer.price)}, f"prime:{membership_id}:joined")
        return membership_id
    while True:  # each turn settles a failed join's decline, until this join's own answer
        key = await join_charges.key_for(session, account_id, offer.plan.value, offer.price, now)
        answer = await charge_once(provider, offer.price, method.id, key)
        if answer.decline_code is None or answer.payment_method_id == method.id:
            break
        await join_charges.settle(session, key, "DECLINED", now)
    if answer.decline_code is not None:
        raise PaymentDeclined("The card was declined.", decline_code=answer.decline_code,
                              field=["input", "paymentToken"])
    await join_charges.settle(session, key, "JOINED", now, membership_id=membership_id)
    await repository.add_charge(session, {
        "membership_id": membership_id, "plan": offer.plan.value, "period_start": now,
        "period_end": period["current_period_end"], "attempt": 1, "idempotency_key": key,
        "amount_minor": answer.amount.minor, "currency": answer.amount.currency, "outcome": "SUCCEEDED",
        "decline_code": None, "provider_charge_id": answer.charge_id, "created_at": now})
    await repository.add_event(session, membership_id, E.JOINED, S.ACTIVE, now,
                               {"plan": offer.plan.value, "amountMinor": offer.price.minor})
    await email(session, account_id, "prime_joined",
                {"plan": plan_name(offer.plan), "price": price_text(offer.price),
                 "nextCharge": day_text(period["current_period_end"])}, f"prime:{membership_id}:joined")
    return membership_id


async def cancel(session: AsyncSession, principal: Principal, provider: PaymentProvider, settings: Settings) -> int:
    """Cancels the caller's membership (see the module's rules); returns its id."""
    account_id = principal.require_signed_in()
    now = clock.now()
    membership = await _live(session, account_id, now)
    if membership.status == S.CANCELLED:
        raise MembershipError(f"Your membership is cancelled already; it ends on {day_text(membership.ends_at)}.",
                              code=MembershipErrorCode.ALREADY_CANCELLED)
    if membership.status == S.GRACE:
        await _close(session, membership, now, S.ENDED, E.CANCELLED, {"unpaid": True})
        await email(session, account_id, "prime_cancelled", {"ends": day_text(now)}, f"prime:{membership.id}:cancel:{now.isoformat()}")
        return membership.id
    paid = None
    if membership.status == S.ACTIVE:
        paid = await repository.paid_charge(session, membership.id, membership.current_period_start)
    if membership.refunds_on_cancel(paid, now, settings.prime_refund_days):
        amount = Money(paid["amount_minor"], paid["currency"])
        refund = await provider.refund(paid["provider_charge_id"], amount, f"prime-refund:{paid['id']}")
        await repository.record_refund(session, paid["id"], amount.minor, refund.id)
        await _close(session, membership, now, S.ENDED, E.REFUNDED, {"amountMinor": amount.minor})
        await email(session, account_id, "prime_cancelled_refunded", {"refund": price_text(amount)},
                    f"prime:{membership.id}:cancel:{now.isoformat()}")
        return membership.id
    await repository.update(session, membership.id, {
        "status": S.CANCELLED, "cancelled_at": now, "ends_at": membership.current_period_end,
        "next_attempt_at": None, "grace_started_at": None, "updated_at": now})
    await repository.add_event(session, membership.id, E.CANCELLED, S.CANCELLED, now,
                               {"endsAt": membership.current_period_end.isoformat()})
    await email(session, account_id, "prime_cancelled", {"ends": day_text(membership.current_period_end)},
                f"prime:{membership.id}:cancel:{now.isoformat()}")
    return membership.id


async def _close(session: AsyncSession, membership: Membership, now: datetime, status: S, kind: E,
                 details: dict) -> None:
    await repository.update(session, membership.id, {
        "status": status, "cancelled_at": now if kind in (E.CANCELLED, E.REFUNDED) else membership.cancelled_at,
        "ends_at": now, "next_attempt_at": None, "grace_started_at": None, "updated_at": now})
    await repository.add_event(session, membership.id, kind, status, now, details)
    await membership_ended(session, membership.account_id, now)


async def resume(session: AsyncSession, principal: Principal) -> int:
    """Takes back the caller's cancel before the membership ends: it renews as before."""
    account_id = principal.require_signed_in()
    now = clock.now()
    membership = await _live(session, account_id, now)
    if membership.status != S.CANCELLED:
        raise MembershipError("Your membership is not cancelled.", code=MembershipErrorCode.NOT_CANCELLED)
    status = membership.status_on_resume()
    await repository.update(session, membership.id, {
        "status": status, "cancelled_at": None, "ends_at": None, "next_attempt_at": membership.current_period_end,
        "updated_at": now})
    await repository.add_event(session, membership.id, E.RESUMED, status, now)
    return membership.id


async def update_payment_method(session: AsyncSession, principal: Principal, provider: PaymentProvider,
                                payment_token: str) -> int:
    """Replaces the card the caller's membership is charged with (see the module's rules)."""
    account_id = principal.require_signed_in()
    now = clock.now()
    if not payment_token or len(payment_token) > 200:
        raise MembershipError("Give the payment token your payment form returned.", field=["input", "paymentToken"])
    membership = await _live(session, account_id, now)
    try:
        method = await provider.save_payment_method(payment_token)
    except DomainError as error:  # declined, or the provider failed: the token is what to change
        error.field = error.field or ["input", "paymentToken"]
        raise
    values = {"provider": provider.name, "payment_method_id": method.id, "payment_method_brand": method.brand,
              "payment_method_last4": method.last4, "updated_at": now}
    retry = membership.status == S.GRACE
    if retry:
        values["next_attempt_at"] = now
    await repository.update(session, membership.id, values)
    await repository.add_event(session, membership.id, E.PAYMENT_METHOD_UPDATED, membership.status, now,
                               {"brand": method.brand, "last4": method.last4, "retryAt": now.isoformat() if retry else None})
    await email(session, account_id, "prime_payment_method_updated",
                {"card": f"{(method.brand or 'card').title()} ending in {method.last4 or '----'}",
                 "next": "We will try the renewal with it within the hour." if retry
                 else "Your next charge goes to it."}, f"prime:{membership.id}:card:{method.id}")
    return membership.id


async def change_plan(session: AsyncSession, principal: Principal, plan: MembershipPlan | str) -> int:
    """Switches the caller's membership to `plan` from its next renewal (the current plan
    again: no switch). A cancelled membership is resumed first (NOT_A_MEMBER / ALREADY_CANCELLED)."""
    account_id = principal.require_signed_in()
    now = clock.now()
    plan = MembershipPlan(plan)
    membership = await _live(session, account_id, now)
    if membership.status == S.CANCELLED:
        raise MembershipError("Your membership is cancelled: resume it before changing its plan.",
                              code=MembershipErrorCode.ALREADY_CANCELLED)
    next_plan = None if plan == membership.plan else plan.value
    if next_plan != membership.next_plan:
        await repository.update(session, membership.id, {"next_plan": next_plan, "updated_at": now})
        await repository.add_event(session, membership.id, E.PLAN_CHANGE_SCHEDULED, membership.status, now,
                                   {"nextPlan": next_plan or membership.plan})
    return membership.id


async def record_benefit_use(session: AsyncSession, account_id: int, kind: BenefitKind | str) -> bool:
    """Records that the account used a membership benefit now (other contexts call it in the
    transaction that uses it: an order with free two-day delivery or a member price, a borrowed
    title), so a later cancel does not refund the period. False when the account has no live
    membership."""
    now = clock.now()
    membership = await repository.live_locked(session, account_id)
    if membership is None:
        return False
    await repository.update(session, membership.id, {"benefit_used_at": now})
    if membership.benefit_used_at is None or membership.benefit_used_at < membership.current_period_start:
        await repository.add_event(session, membership.id, E.BENEFIT_USED, membership.status, now,
                                   {"kind": BenefitKind(kind).value})
    return True


def plan_name(plan: MembershipPlan | str) -> str:
    return "Prime Monthly" if plan == MembershipPlan.PRIME_MONTHLY else "Prime Annual"


def price_text(amount: Money) -> str:
    return f"${amount.amount:,.2f}" if amount.currency == "USD" else f"{amount.amount} {amount.currency}"

