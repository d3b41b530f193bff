"""A Subscribe & Save delivery whose payment is declined is retried once a day for the retry
days after its date (the customer e-mailed at the first decline), placed once when a retry is
paid, and skipped with an e-mail when the last retry is declined too; nothing partial is ever
placed, and schedulers racing on a retry charge it once."""
import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.shared.errors import DomainError
from domain.subscriptions import service as subscriptions
from domain.subscriptions.errors import SubscribeErrorCode
from tests.fixtures.checkout import PLATFORM_BOOK, customer, offer
from tests.fixtures.customer_service import committed
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.subscribe_and_save import (
    SETTINGS,
    deliver,
    deliveries,
    email_templates,
    next_date,
    orders_of,
    provider_charges,
    subscribe,
)

DUE = datetime(2027, 4, 10, 6, 0, tzinfo=UTC)


async def _declining(db, provider):
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    sub = await subscribe(db, provider, buyer.account_id, book, first=date(2027, 3, 10))
    method = await fetchval(db, "SELECT payment_method_id FROM subscriptions WHERE id = $1", sub)
    await provider.decline_charges(method)
    return book, buyer, sub, method


async def _retry_state(db, sub) -> tuple:
    [row] = await fetch(db, "SELECT payment_failures, payment_retry_at FROM subscriptions WHERE id = $1", sub)
    return tuple(row)


async def test_a_declined_delivery_is_retried_the_next_day_and_placed_once_when_paid(writable_database, provider, now):
    db = writable_database
    book, buyer, sub, method = await _declining(db, provider)

    now.set(DUE)
    first = await deliver(db, provider)
    assert (first.orders, first.retrying, first.failed) == (0, 1, 0)
    assert (await orders_of(db, buyer.account_id), await deliveries(db, sub)) == ([], [])
    assert await next_date(db, sub) == date(2027, 4, 10)
    assert await _retry_state(db, sub) == (1, DUE + timedelta(days=1))
    assert await email_templates(db) == ["subscribe_payment_retrying"]

    now.set(DUE + timedelta(hours=1))  # the next hourly run: not yet
    assert (await deliver(db, provider)).retrying == 0
    now.set(DUE + timedelta(days=1))  # the first retry, declined too: no second e-mail
    assert (await deliver(db, provider)).retrying == 1
    assert await _retry_state(db, sub) == (2, DUE + timedelta(days=2))

    await provider.decline_charges(method, None)  # funds arrive
    now.set(DUE + timedelta(days=2))
    paid = await deliver(db, provider)

    assert (paid.orders, paid.placed) == (1, 1)
    [order] = await orders_of(db, buyer.account_id)
    assert [(d["due_date"], d["outcome"], d["order_id"]) for d in await deliveries(db, sub)] == [
        (date(2027, 4, 10), "PLACED", order["id"])]
    assert await next_date(db, sub) == date(2027, 5, 10)
    assert await _retry_state(db, sub) == (0, None)
    keys = [c["idempotency_key"] for c in await provider_charges(db, buyer.account_id)]
    assert [c["outcome"] for c in await provider_charges(db, buyer.account_id)] == ["DECLINED", "DECLINED", "SUCCEEDED"]
    assert len(set(keys)) == 3
    assert await email_templates(db) == ["subscribe_payment_retrying"]
    assert (await deliver(db, provider)).placed == 0


async def test_a_delivery_declined_on_its_date_and_each_retry_is_skipped_with_an_email(writable_database, provider, now):
    db = writable_database
    book, buyer, sub, _ = await _declining(db, provider)
    stock = book["quantity"]

    outcomes = []
    for day in range(SETTINGS.subscribe_payment_retry_days + 1):
        now.set(DUE + timedelta(days=day))
        stats = await deliver(db, provider)
        outcomes.append((stats.retrying, stats.failed))

    assert outcomes == [(1, 0), (1, 0), (1, 0), (0, 1)]
    assert await orders_of(db, buyer.account_id) == []
    assert [(d["outcome"], d["reason"]) for d in await deliveries(db, sub)] == [
        ("FAILED", "payment declined (card_declined) on the delivery date and each retry")]
    assert await next_date(db, sub) == date(2027, 5, 10)
    assert await _retry_state(db, sub) == (0, None)
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", book["id"]) == stock
    assert len(await provider_charges(db, buyer.account_id)) == 4
    assert await email_templates(db) == ["subscribe_payment_retrying", "subscribe_payment_failed"]


async def test_without_retry_days_a_declined_delivery_is_skipped_at_once(writable_database, provider, now):
    db = writable_database
    _, buyer, sub, _ = await _declining(db, provider)
    now.set(DUE)

    stats = await deliver(db, provider, SETTINGS.model_copy(update={"subscribe_payment_retry_days": 0}))

    assert (stats.retrying, stats.failed) == (0, 1)
    assert [d["outcome"] for d in await deliveries(db, sub)] == ["FAILED"]
    assert await email_templates(db) == ["subscribe_payment_failed"]


async def test_schedulers_racing_on_a_retry_on_separate_connections_try_the_card_once(
        writable_database, provider, now):
    db = writable_database
    _, buyer, sub, method = await _declining(db, provider)
    now.set(DUE)
    await deliver(db, provider)
    await provider.decline_charges(method, None)
    now.set(DUE + timedelta(days=1, minutes=5))

    results = await asyncio.gather(*(deliver(db, provider) for _ in range(5)))

    assert sum(r.placed for r in results) == 1
    assert len(await orders_of(db, buyer.account_id)) == 1
    assert [c["outcome"] for c in await provider_charges(db, buyer.account_id)] == ["DECLINED", "SUCCEEDED"]
    assert [d["outcome"] for d in await deliveries(db, sub)] == ["PLACED"]


async def test_a_new_date_for_a_declined_delivery_starts_its_retries_over(writable_database, provider, now):
    db = writable_database
    _, buyer, sub, _ = await _declining(db, provider)
    now.set(DUE)
    await deliver(db, provider)

    await committed(db, lambda s: subscriptions.skip_subscription_delivery(
        s, buyer.account_id, sub, today=DUE.date(), now=DUE, delivery_date=date(2027, 4, 10)))

    assert await next_date(db, sub) == date(2027, 5, 10)
    assert await _retry_state(db, sub) == (0, None)
    assert [d["outcome"] for d in await deliveries(db, sub)] == ["SKIPPED"]


async def test_a_new_card_pays_the_next_retry_and_a_declined_one_leaves_the_old_card(writable_database, provider, now):
    db = writable_database
    _, buyer, sub, method = await _declining(db, provider)
    now.set(DUE)
    await deliver(db, provider)
    assert await _retry_state(db, sub) == (1, DUE + timedelta(days=1))

    def replace(token):
        return lambda s: subscriptions.replace_subscription_payment_method(
            s, buyer.account_id, sub, provider, token, now=DUE + timedelta(hours=2))

    with pytest.raises(DomainError) as refused:
        await committed(db, replace("tok_declined"))
    assert (refused.value.code, refused.value.field) == (SubscribeErrorCode.PAYMENT_DECLINED, ["input", "paymentToken"])
    assert await fetchval(db, "SELECT payment_method_id FROM subscriptions WHERE id = $1", sub) == method
    with pytest.raises(DomainError) as stranger:
        await committed(db, lambda s: subscriptions.replace_subscription_payment_method(
            s, buyer.account_id + 10_000, sub, provider, "tok_visa", now=DUE))
    assert stranger.value.code == SubscribeErrorCode.NOT_FOUND

    replaced = await committed(db, replace("tok_visa"))
    assert replaced.payment_method_id != method
    now.set(DUE + timedelta(days=1))
    paid = await deliver(db, provider)

    assert (paid.orders, paid.placed) == (1, 1)
    assert [c["outcome"] for c in await provider_charges(db, buyer.account_id)] == ["DECLINED", "SUCCEEDED"]
    assert await _retry_state(db, sub) == (0, None)
