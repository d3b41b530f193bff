"""The Subscribe & Save delivery scheduler: a periodic worker job (`ordering.place_subscription_deliveries`,
hourly; each run queues the next) that reminds customers of their coming deliveries and places
the deliveries that are due.

- Reminder: `TRIBUTARY_SUBSCRIBE_REMINDER_DAYS` (5) days before a delivery, one e-mail per
  customer and delivery day states each line's price and the total; the unit price stated is
  recorded, and that delivery is never charged more (a lower price at placement is charged).
- Placement, on the delivery date (UTC): a customer's deliveries due the same day become one
  order, priced as the cart view prices Subscribe & Save lines (the discount, free delivery;
  a member's price when lower), written by checkout's `write_order` and charged at once to
  the subscription's saved payment method (the most recent subscription's, when they differ);
  its shipments are captured already, so shipping them only records the sales.
- A line whose product is out of stock or no longer offered is skipped (recorded SKIPPED, the
  customer e-mailed); the other lines of that day are placed; nothing partial of a line is.
- A declined payment places nothing and is retried: once a day for
  `TRIBUTARY_SUBSCRIBE_PAYMENT_RETRY_DAYS` (3) days after the delivery date (the customer is
  e-mailed at the first decline, with the last day we try). Declined on the last day, the
  day's deliveries are recorded FAILED (skipped for the customer, who is e-mailed) and the
  subscription goes on with its next date. A product that went out of stock meanwhile is
  skipped at the retry as on the date; the price stays capped by the reminder's.
- Each delivered, skipped or failed delivery moves its subscription's next date one period on
  (past any dates a scheduler that was down missed, see `dates.next_after`).

Exactly once per subscription and period:
- the scheduler takes a customer with a transaction-level advisory lock (others skip that
  customer) and then re-reads the customer's due subscriptions, locked: one a concurrent run
  delivered first is no longer due;
- a delivery is recorded (subscription, due date), unique in the database, in the transaction
  that writes its order and moves the next date: a run that crashes before its commit leaves
  nothing, and the next run charges the provider again with the same key (customer, day,
  subscriptions and attempt), which answers with its first charge instead of charging twice;
  each retry of a declined delivery is an attempt of its own (a provider answers a repeated key
  with its first answer, a decline included)."""
from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts import view as cart_view
from domain.carts.entities import CartRecord, CartView, LineRecord, ShippingAddress, SubscribeTerms
from domain.carts.statuses import CartLineProblemCode, CartStatus
from domain.identity import service as identity
from domain.jobs import service as jobs
from domain.orders import announcements, checkout, history, order_writer, settlement
from domain.payments import service as payments
from domain.shared import clock
from domain.shared.config import Settings
from domain.shared.db import SessionReader
from domain.shared.errors import DomainError
from domain.shared.money import Money
from domain.subscriptions import service as subscriptions
from domain.subscriptions.service import DeliveryOutcome, Subscription

log = logging.getLogger("tributary.subscribe_and_save")

JOB = "ordering.place_subscription_deliveries"
MAX_ACCOUNTS_PER_RUN = 500
MAX_KEY_IDS = 20


@dataclass(slots=True)
class RunStats:
    reminded: int = 0
    orders: int = 0
    placed: int = 0
    skipped: int = 0
    failed: int = 0
    retrying: int = 0
    errors: int = 0
    accounts: int = 0

    @property
    def full(self) -> bool:
        return self.accounts >= MAX_ACCOUNTS_PER_RUN


def _today(now: datetime) -> date:
    return now.astimezone(UTC).date()


def _shown(money: Money) -> str:
    return f"${money.amount:,.2f}" if money.currency == "USD" else f"{money.amount} {money.currency}"


def _cart(account_id: int, subs: Sequence[Subscription], percent: int, now: datetime) -> CartRecord:
    """The subscriptions of one delivery day as a cart the cart view prices (never stored)."""
    first = subs[0]
    address = ShippingAddress(first.ship_full_name, first.ship_line1, first.ship_line2, first.ship_city,
                              first.ship_region, first.ship_postal_code, first.ship_country_code, first.ship_phone)
    lines = [LineRecord(id=s.id, offer_id=s.offer_id, product_id=s.product_id, seller_id=s.seller_id,
                        quantity=s.quantity, unit_price_minor_at_add=s.reminded_price_minor or 0, currency=s.currency,
                        added_at=s.created_at, updated_at=s.updated_at,
                        subscribe=SubscribeTerms(percent, s.price_cap_minor)) for s in subs]
    return CartRecord(id=0, account_id=account_id, token_hash=None, status=CartStatus.ACTIVE, currency=first.currency,
                      merged_into_id=None, shipping_address=address, created_at=now, updated_at=now, lines=lines)


def _by_day(subs: Sequence[Subscription]) -> dict[tuple[int, date], list[Subscription]]:
    grouped: dict[tuple[int, date], list[Subscription]] = defaultdict(list)
    for sub in subs:
        grouped[(sub.account_id, sub.next_delivery_date)].append(sub)
    return grouped


def _why_not(line) -> str | None:
    """Why a delivery's line cannot be placed (None: it can)."""
    if not line.purchasable:
        return "the product is no longer offered."
    if any(p.code == CartLineProblemCode.QUANTITY_UNAVAILABLE for p in line.problems):
        return "the product is out of stock."
    if not line.requires_delivery:
        return "the product is no longer a delivered good."
    return None


def _lines_text(view: CartView) -> str:
    return "\n".join(f"- {line.quantity} x {line.product.title}: {_shown(line.line_total)}"
                     for line in view.lines if line.product is not None)


async def run_due(session: AsyncSession, provider: payments.PaymentProvider, settings: Settings, *,
                  now: datetime | None = None, limit: int = MAX_ACCOUNTS_PER_RUN) -> RunStats:
    """Sends the reminders due and places the deliveries due at `now` (the clock's by default)
    for at most `limit` customers, in the caller's transaction. A customer whose provider call
    fails (not a decline) or whose stock went in a race is left for the next run."""
    now = now or clock.now()
    today = _today(now)
    stats = RunStats()
    await remind(session, settings, today, now, stats, limit)
    for account_id in await subscriptions.due_subscription_accounts(session, today, limit, now):
        stats.accounts += 1
        try:
            async with session.begin_nested():
                await _deliver_account(session, provider, settings, account_id, today, now, stats)
        except (payments.PaymentProviderError, DomainError) as error:
            log.warning("subscriptions of account %s: %s; left for the next run", account_id, type(error).__name__)
            stats.errors += 1
    return stats


async def remind(session: AsyncSession, settings: Settings, today: date, now: datetime, stats: RunStats,
                 limit: int) -> None:
    """E-mails each customer the price of each delivery coming within the reminder days, and
    records the unit prices stated (priced in one batch for all the customers)."""
    until = today + timedelta(days=settings.subscribe_reminder_days)
    subs = await subscriptions.subscriptions_to_remind(session, today, until, limit * 5)
    if not subs:
        return
    groups = _by_day(subs)
    carts = [_cart(account_id, members, subscriptions.subscribe_discount_percent(settings, len(members)), now)
             for (account_id, _), members in groups.items()]
    views = await cart_view.build(SessionReader(session), carts)
    for ((account_id, due), members), view in zip(groups.items(), views, strict=True):
        for sub, line in zip(members, view.lines, strict=True):
            await subscriptions.update_subscription_row(session, sub.id, {
                "reminded_for": due, "reminded_price_minor": line.unit_price.minor, "updated_at": now})
        to = await identity.email_of(session, account_id)
        if to is not None:
            await jobs.send_email(session, to=to, template="subscribe_reminder", context={
                "deliveryDate": f"{due:%B %-d, %Y}", "lines": _lines_text(view), "total": _shown(view.totals.total)},
                dedupe_key=f"subscribe-reminder:{account_id}:{due.isoformat()}:{members[0].id}")
        stats.reminded += len(members)


async def _deliver_account(session: AsyncSession, provider: payments.PaymentProvider, settings: Settings,
                           account_id: int, today: date, now: datetime, stats: RunStats) -> None:
    due = await subscriptions.due_subscriptions_of(session, account_id, today, now)
    for (_, day), members in sorted(_by_day(due).items(), key=lambda item: item[0][1]):
        await _deliver_day(session, provider, settings, account_id, day, members, today, now, stats)


async def _advance(session: AsyncSession, sub: Subscription, today: date, now: datetime) -> date:
    following = subscriptions.next_delivery_after(sub.next_delivery_date, sub.frequency_months, sub.anchor_day, today)
    await subscriptions.update_subscription_row(session, sub.id, {"next_delivery_date": following, "updated_at": now})
    return following


async def _record(session: AsyncSession, sub: Subscription, outcome: str, now: datetime, **values) -> None:
    if await subscriptions.record_subscription_delivery(session, sub.id, sub.next_delivery_date, outcome, now,
                                                        **values) is None:
        # The locks make this impossible; the unique key makes it harmless: nothing is kept.
        raise DomainError(f"subscription {sub.id}: the delivery of {sub.next_delivery_date} was recorded already")


def _provider_key(account_id: int, day: date, subs: Sequence[Subscription], attempt: int) -> str:
    ids = ",".join(str(s.id) for s in sorted(subs, key=lambda s: s.id))
    if len(subs) > MAX_KEY_IDS:
        ids = "sha256:" + hashlib.sha256(ids.encode()).hexdigest()
    return f"subscribe:{account_id}:{day.isoformat()}:{ids}" + (f"#{attempt}" if attempt > 1 else "")


async def _deliver_day(session: AsyncSession, provider: payments.PaymentProvider, settings: Settings,
                       account_id: int, day: date, subs: list[Subscription], today: date, now: datetime,
                       stats: RunStats) -> None:
    db = SessionReader(session)
    benefits = await subscriptions.membership_benefits(session, account_id)
    percent = subscriptions.subscribe_discount_percent(settings, len(subs))
    (view,) = await cart_view.build(db, [_cart(account_id, subs, percent, now)], benefits)
    to = await identity.email_of(session, account_id)
    placeable = []
    for sub, line in zip(subs, view.lines, strict=True):
        reason = _why_not(line)
        if reason is None:
            placeable.append(sub)
            continue
        await _record(session, sub, DeliveryOutcome.SKIPPED, now, reason=reason)
        following = await _advance(session, sub, today, now)
        if to is not None:
            await jobs.send_email(session, to=to, template="subscribe_delivery_skipped", context={
                "product": line.product.title if line.product is not None else "a product",
                "deliveryDate": f"{day:%B %-d, %Y}", "reason": reason[0].upper() + reason[1:],
                "nextDelivery": f"{following:%B %-d, %Y}"}, dedupe_key=f"subscribe-skipped:{sub.id}:{day.isoformat()}")
        stats.skipped += 1
    if not placeable:
        return
    if len(placeable) < len(subs):
        (view,) = await cart_view.build(db, [_cart(account_id, placeable, percent, now)], benefits)
    checkout.check_delivery(view, {})
    method = max(placeable, key=lambda s: s.id).payment_method_id
    total = view.totals.total
    attempt = max(s.payment_failures for s in placeable) + 1
    try:
        async with session.begin_nested():
            order_id, number, shipments = await order_writer.write_order(
                session, account_id=account_id, cart_id=None, email=to, view=view, now=now)
            payment = await payments.charge_saved(
                session, provider, amount=total, payment_method_id=method,
                idempotency_key=_provider_key(account_id, day, placeable, attempt), reference=f"order:{number}",
                order_id=order_id)
    except payments.PaymentDeclined as declined:
        await _declined(session, settings, account_id, to, day, placeable, total, attempt, declined.decline_code,
                        today, now, stats)
        return
    await settlement.mark_prepaid(session, order_id)
    await history.record(session, order_id, "PLACED", f"Order {number} placed (Subscribe & Save).",
                         data={"number": number, "totalMinor": total.minor})
    await announcements.order_placed(session, order_id, account_id, shipments)
    await history.record(session, order_id, "PAYMENT_CAPTURED", f"{_shown(total)} charged to the saved payment method.",
                         data={"paymentId": payment.id, "amountMinor": total.minor})
    await history.refresh_status(session, order_id)
    for sub, line in zip(placeable, view.lines, strict=True):
        await _record(session, sub, DeliveryOutcome.PLACED, now, order_id=order_id, unit_price_minor=line.unit_price.minor)
        await _advance(session, sub, today, now)
    await order_writer.send_confirmation(session, to, order_id, number, view, shipments)
    stats.orders += 1
    stats.placed += len(placeable)


async def _declined(session: AsyncSession, settings: Settings, account_id: int, to: str | None, day: date,
                    subs: list[Subscription], total: Money, attempt: int, decline_code: str, today: date,
                    now: datetime, stats: RunStats) -> None:
    """A declined delivery is tried again a day later while that is within the retry days after
    its date; after that it is recorded FAILED and the subscription moves on."""
    retry_at = now + timedelta(days=1)
    last_day = day + timedelta(days=settings.subscribe_payment_retry_days)
    if retry_at.astimezone(UTC).date() <= last_day:
        for sub in subs:
            await subscriptions.update_subscription_row(session, sub.id, {
                "payment_failures": attempt, "payment_retry_at": retry_at, "updated_at": now})
        if to is not None and attempt == 1:
            await jobs.send_email(session, to=to, template="subscribe_payment_retrying", context={
                "total": _shown(total), "deliveryDate": f"{day:%B %-d, %Y}", "lastTry": f"{last_day:%B %-d, %Y}"},
                dedupe_key=f"subscribe-retrying:{account_id}:{day.isoformat()}:{subs[0].id}")
        stats.retrying += len(subs)
        return
    for sub in subs:
        await _record(session, sub, DeliveryOutcome.FAILED, now,
                      reason=f"payment declined ({decline_code}) on the delivery date and each retry")
        following = await _advance(session, sub, today, now)
    if to is not None:
        await jobs.send_email(session, to=to, template="subscribe_payment_failed", context={
            "total": _shown(total), "deliveryDate": f"{day:%B %-d, %Y}", "nextDelivery": f"{following:%B %-d, %Y}"},
            dedupe_key=f"subscribe-failed:{account_id}:{day.isoformat()}:{subs[0].id}")
    stats.failed += len(subs)


async def schedule(session: AsyncSession, *, at: datetime | None = None) -> None:
    """Queues the run of the hour holding `at` (now by default), once (the hour is its dedupe key)."""
    at = (at or clock.now()).astimezone(UTC)
    slot = at.replace(minute=0, second=0, microsecond=0)
    await jobs.enqueue(session, JOB, {"slot": slot.isoformat()}, run_at=slot, dedupe_key=f"{JOB}@{slot.isoformat()}")


async def run_job(session: AsyncSession, provider: payments.PaymentProvider, settings: Settings) -> RunStats:
    """The job: does what is due, queues the next hour's run, and a follow-up at once when it
    stopped at its per-run limit."""
    now = clock.now()
    stats = await run_due(session, provider, settings, now=now)
    if stats.full:
        await jobs.enqueue(session, JOB, {"continued": True})
    await schedule(session, at=now + timedelta(hours=1))
    return stats
