"""Subscribe & Save use cases: subscribing (from an order's subscription line) and managing a
subscription (quantity, frequency, next date, skip, pause, resume, cancel).

Rules (error codes):
- A subscription is to an eligible product (NOT_SUBSCRIBE_ELIGIBLE), every 1 to 6 months
  (INVALID_FREQUENCY), 1 to 10 units (INVALID).
- The first delivery is the order that subscribed; the next is `frequency` months later on
  the same day of the month (clamped at month ends, see `dates`).
- Only its owner sees or changes a subscription (NOT_FOUND for anyone else).
- The next delivery date may move to any day from tomorrow to a year ahead (INVALID).
- Skipping moves the next delivery one period on; a delivery already placed cannot be skipped
  (DELIVERY_ALREADY_PLACED). Pausing stops deliveries until resumed (resuming a subscription
  whose date passed meanwhile delivers next on the first anchored date after today);
  cancelling ends it for good (NOT_ACTIVE for changes to a cancelled one).
- Replacing the card saves the new one with the provider first (a declined card:
  PAYMENT_DECLINED, the provider down: PAYMENT_PROVIDER_ERROR, and the old card stays); every
  later charge, a declined delivery's next retry included, goes to the new card."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.provider import PaymentProvider
from domain.shared.errors import DomainError, NotFound
from domain.subscriptions.errors import SubscribeErrorCode
from domain.subscriptions.statuses import DeliveryOutcome, SubscriptionStatus
from domain.subscriptions.subscribe_and_save import dates, pricing, repository
from domain.subscriptions.subscribe_and_save.entities import Subscription

MIN_FREQUENCY, MAX_FREQUENCY = pricing.FREQUENCIES[0], pricing.FREQUENCIES[-1]
MAX_QUANTITY = 10
S = SubscriptionStatus


def check_frequency(frequency_months, field: list[str]) -> int:
    if not isinstance(frequency_months, int) or not MIN_FREQUENCY <= frequency_months <= MAX_FREQUENCY:
        raise DomainError(f"Deliveries come every {MIN_FREQUENCY} to {MAX_FREQUENCY} months; got {frequency_months}.",
                          code=SubscribeErrorCode.INVALID_FREQUENCY, field=field)
    return frequency_months


def check_eligible(eligible: bool, field: list[str]) -> None:
    if not eligible:
        raise DomainError("This product cannot be subscribed to: Subscribe & Save is for everyday consumables"
                          " (grocery and household).", code=SubscribeErrorCode.NOT_SUBSCRIBE_ELIGIBLE, field=field)


def _check_quantity(quantity, field: list[str]) -> int:
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise DomainError(f"A subscription delivers 1 to {MAX_QUANTITY} units.", code=SubscribeErrorCode.INVALID,
                          field=field)
    return quantity


async def subscribe(session: AsyncSession, *, account_id: int, offer_id: int, product_id: int, seller_id: int, quantity: int,
                    frequency_months: int, eligible: bool, first_delivery: date, address, provider: str,
                    payment_method_id: str, currency: str, now: datetime) -> int:
    """Creates a subscription whose first delivery is the order placed on `first_delivery`
    (see the module docstring). `address`: the shipping address copy of that order."""
    check_eligible(eligible, ["input", "subscription"])
    check_frequency(frequency_months, ["input", "subscription", "frequencyMonths"])
    _check_quantity(quantity, ["input", "quantity"])
    anchor = first_delivery.day
    return await repository.create(session, {
        "account_id": account_id, "offer_id": offer_id, "product_id": product_id, "seller_id": seller_id, "quantity": quantity,
        "frequency_months": frequency_months, "anchor_day": anchor, "status": S.ACTIVE.value,
        "next_delivery_date": dates.add_months(first_delivery, frequency_months, anchor), "currency": currency,
        "ship_full_name": address.full_name, "ship_line1": address.line1, "ship_line2": address.line2 or "",
        "ship_city": address.city, "ship_region": address.region or "", "ship_postal_code": address.postal_code,
        "ship_country_code": address.country_code, "ship_phone": address.phone or "", "provider": provider,
        "payment_method_id": payment_method_id, "created_at": now, "updated_at": now})


async def _owned(session: AsyncSession, account_id: int, subscription_id: int) -> Subscription:
    subscription = await repository.by_id(session, subscription_id, lock=True)
    if subscription is None or subscription.account_id != account_id:
        raise NotFound("No such subscription, or it is not yours.", field=["input", "subscriptionId"])
    return subscription


def _not_cancelled(subscription: Subscription) -> None:
    if subscription.status == S.CANCELLED:
        raise DomainError("This subscription was cancelled and can no longer change.",
                          code=SubscribeErrorCode.NOT_ACTIVE, field=["input", "subscriptionId"])


async def update(session: AsyncSession, account_id: int, subscription_id: int, *, today: date, now: datetime,
                 quantity: int | None = None, frequency_months: int | None = None,
                 next_delivery_date: date | None = None) -> Subscription:
    """Changes the quantity, frequency and/or next delivery date (a new date becomes the anchor
    day of the later deliveries)."""
    subscription = await _owned(session, account_id, subscription_id)
    _not_cancelled(subscription)
    values: dict = {}
    if quantity is not None:
        values["quantity"] = _check_quantity(quantity, ["input", "quantity"])
    if frequency_months is not None:
        values["frequency_months"] = check_frequency(frequency_months, ["input", "frequencyMonths"])
    if next_delivery_date is not None:
        if not today < next_delivery_date <= today + timedelta(days=365):
            raise DomainError("The next delivery date is a day from tomorrow to a year ahead.",
                              code=SubscribeErrorCode.INVALID, field=["input", "nextDeliveryDate"])
        values.update(next_delivery_date=next_delivery_date, anchor_day=next_delivery_date.day)
    if values:
        await repository.update(session, subscription.id, {**values, "updated_at": now})
    return await repository.by_id(session, subscription.id)


async def skip(session: AsyncSession, account_id: int, subscription_id: int, *, today: date,
               now: datetime, delivery_date: date | None = None) -> Subscription:
    """Skips the next delivery: it is recorded SKIPPED and the next date moves one period on.
    `delivery_date`, when given, is the delivery the customer means (the date they were shown):
    one the scheduler placed meanwhile is DELIVERY_ALREADY_PLACED, rather than the one after it
    being skipped by surprise; skipping it again (a retried request) changes nothing; a date that
    is no delivery is INVALID."""
    subscription = await _owned(session, account_id, subscription_id)
    _not_cancelled(subscription)
    due = subscription.next_delivery_date
    if delivery_date is not None and delivery_date != due:
        outcome = await repository.delivery_outcome(session, subscription.id, delivery_date)
        if outcome == DeliveryOutcome.SKIPPED:
            return subscription
        if outcome is not None:
            raise DomainError(f"The delivery of {delivery_date.isoformat()} was already handled (placed, or not"
                              " placed and e-mailed about) and can no longer be skipped.", code=SubscribeErrorCode.DELIVERY_ALREADY_PLACED,
                              field=["input", "deliveryDate"])
        raise DomainError(f"The next delivery is on {due.isoformat()}, not {delivery_date.isoformat()}.",
                          code=SubscribeErrorCode.INVALID, field=["input", "deliveryDate"])
    if await repository.delivery_recorded(session, subscription.id, due):
        raise DomainError("That delivery was already placed and can no longer be skipped.",
                          code=SubscribeErrorCode.DELIVERY_ALREADY_PLACED, field=["input", "subscriptionId"])
    await repository.add_delivery(session, subscription.id, due, DeliveryOutcome.SKIPPED, now,
                                  reason="Skipped by the customer.")
    following = dates.next_after(due, subscription.frequency_months, subscription.anchor_day, today)
    await repository.update(session, subscription.id, {"next_delivery_date": following, "updated_at": now})
    return await repository.by_id(session, subscription.id)


async def set_status(session: AsyncSession, account_id: int, subscription_id: int, status: SubscriptionStatus, *,
                     today: date, now: datetime) -> Subscription:
    """Pauses, resumes or cancels (see the module docstring)."""
    subscription = await _owned(session, account_id, subscription_id)
    _not_cancelled(subscription)
    values: dict = {"status": status.value, "updated_at": now}
    if status == S.ACTIVE and subscription.next_delivery_date <= today:
        values["next_delivery_date"] = dates.next_after(subscription.next_delivery_date, subscription.frequency_months,
                                                        subscription.anchor_day, today)
    await repository.update(session, subscription.id, values)
    return await repository.by_id(session, subscription.id)


async def replace_payment_method(session: AsyncSession, account_id: int, subscription_id: int,
                                 provider: PaymentProvider, payment_token: str, *, now: datetime) -> Subscription:
    """Charges the subscription's later deliveries to the card behind `payment_token` (see the
    module docstring)."""
    if not payment_token or len(payment_token) > 200:
        raise DomainError("Give the payment token your payment form returned.", code=SubscribeErrorCode.INVALID,
                          field=["input", "paymentToken"])
    subscription = await _owned(session, account_id, subscription_id)
    _not_cancelled(subscription)
    try:
        method = await provider.save_payment_method(payment_token)
    except DomainError as error:  # declined, or the provider failed: the token is what to change
        error.field = error.field or ["input", "paymentToken"]
        raise
    await repository.update(session, subscription.id,
                            {"provider": provider.name, "payment_method_id": method.id, "updated_at": now})
    return await repository.by_id(session, subscription.id)
