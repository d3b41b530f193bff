"""Browsing history rules, through the domain with real transactions: one entry per product, the
newest kept at the limit, exact under concurrent views on separate connections, the rate limit,
pausing, and a guest's views attached to the customer at sign-in."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain.recommendations import history, history_purge
from domain.recommendations.errors import HistoryErrorCode
from domain.shared import clock
from domain.shared.errors import CommonErrorCode, DomainError
from domain.shared.principal import ANONYMOUS, Principal
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.identity import account

ROOMY = history.HistoryLimits(entries=1000, burst=10_000, per_second=10_000)


async def _products(db, n: int) -> list[int]:
    return [r["id"] for r in await fetch(db, "SELECT id FROM products WHERE archived_at IS NULL ORDER BY id LIMIT $1",
                                         n)]


async def _customer(db, name: str = "viewer") -> Principal:
    caller = await account(None, db, name)
    return Principal(account_id=caller.account_id)


async def _view(db, principal, product_id, limits=ROOMY, token=None) -> history.Recorded:
    async with UnitOfWork(db) as uow:
        done = await history.record_view(uow.session, principal, product_id, token, limits)
        await uow.commit()
    return done


async def _in_uow(db, use_case):
    async with UnitOfWork(db) as uow:
        result = await use_case(uow.session)
        await uow.commit()
    return result


async def _stored(db, principal) -> tuple[list[int], int]:
    """(product ids newest first, the history's entry_count) as stored."""
    ids = [r["product_id"] for r in await fetch(
        db, "SELECT v.product_id FROM browsing_history_views v JOIN browsing_histories h ON h.id = v.history_id"
            " WHERE h.account_id = $1 ORDER BY v.position DESC", principal.account_id)]
    count = await fetchval(db, "SELECT entry_count FROM browsing_histories WHERE account_id = $1", principal.account_id)
    return ids, count


async def test_a_product_viewed_again_moves_to_the_top_and_stays_one_entry(history_database):
    db = history_database
    customer = await _customer(db)
    a, b, c = await _products(db, 3)
    for product in (a, b, c, a):
        assert await _view(db, customer, product) == history.Recorded(True)

    assert await _stored(db, customer) == ([a, c, b], 3)
    reader = await db.reader()
    try:
        assert await history.recent_views(reader, customer.account_id, 2) == [a, c]
    finally:
        await reader.close()


async def test_the_history_keeps_the_newest_views_at_its_limit(history_database):
    db = history_database
    customer = await _customer(db)
    products = await _products(db, 8)
    limits = history.HistoryLimits(entries=5, burst=10_000, per_second=10_000)
    for product in products:
        await _view(db, customer, product, limits)

    assert await _stored(db, customer) == (products[::-1][:5], 5)
    # A lower limit trims the excess at the next view.
    await _view(db, customer, products[0], history.HistoryLimits(entries=2, burst=10_000, per_second=10_000))
    assert await _stored(db, customer) == ([products[0], products[7]], 2)


async def test_concurrent_views_on_separate_connections_keep_the_limit_exactly(history_database):
    db = history_database
    customer = await _customer(db)
    products = await _products(db, 24)
    limits = history.HistoryLimits(entries=10, burst=10_000, per_second=10_000)

    results = await asyncio.gather(*(_view(db, customer, p, limits) for p in products))

    assert all(r.recorded for r in results)
    stored, count = await _stored(db, customer)
    # Exactly 10 entries, counted exactly, each product once: each view's trim saw the count the
    # view before it left (the history row's lock serializes them).
    assert count == len(stored) == len(set(stored)) == 10
    assert set(stored) <= set(products)


async def test_views_past_the_rate_limit_are_refused_and_write_nothing_also_when_concurrent(history_database):
    db = history_database
    customer = await _customer(db)
    products = await _products(db, 12)
    limits = history.HistoryLimits(entries=1000, burst=5, per_second=0.001)

    async def attempt(product):
        try:
            return await _view(db, customer, product, limits)
        except DomainError as error:
            return error

    results = await asyncio.gather(*(attempt(p) for p in products))

    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 7 and {r.code for r in refused} == {HistoryErrorCode.RATE_LIMITED}
    assert all(r.extensions["retryAfterSeconds"] >= 1 for r in refused)
    stored, count = await _stored(db, customer)
    assert count == len(stored) == 5


async def test_a_missing_or_archived_product_is_not_found_and_nothing_is_written(history_database):
    db = history_database
    customer = await _customer(db)
    archived = await fetchval(db, "UPDATE products SET archived_at = now() WHERE id = (SELECT max(id) FROM products"
                                  " WHERE archived_at IS NULL) RETURNING id")
    for product in (archived, 999_999_999):
        with pytest.raises(DomainError) as refused:
            await _view(db, customer, product)
        assert refused.value.code == CommonErrorCode.NOT_FOUND and refused.value.field == ["input", "productId"]
    assert await fetchval(db, "SELECT count(*) FROM browsing_histories WHERE account_id = $1",
                          customer.account_id) == 0
    # A guest's first view of a missing product starts no guest history either.
    guests = await fetchval(db, "SELECT count(*) FROM browsing_histories WHERE token_hash IS NOT NULL")
    with pytest.raises(DomainError):
        await _view(db, ANONYMOUS, 999_999_999)
    assert await fetchval(db, "SELECT count(*) FROM browsing_histories WHERE token_hash IS NOT NULL") == guests


async def test_a_paused_history_records_nothing_until_resumed(history_database):
    db = history_database
    customer = await _customer(db)
    a, b = await _products(db, 2)
    await _view(db, customer, a)
    assert await _in_uow(db, lambda s: history.set_paused(s, customer, True, ROOMY)) is True

    assert await _view(db, customer, b) == history.Recorded(False)
    assert await _stored(db, customer) == ([a], 1)
    await _in_uow(db, lambda s: history.set_paused(s, customer, False, ROOMY))
    await _view(db, customer, b)
    assert await _stored(db, customer) == ([b, a], 2)


async def test_removing_and_clearing_touch_only_the_callers_history(history_database):
    db = history_database
    owner, other = await _customer(db, "owner"), await _customer(db, "other")
    a, b, c = await _products(db, 3)
    for product in (a, b, c):
        await _view(db, owner, product)
    await _view(db, other, a)

    with pytest.raises(DomainError) as refused:
        await _in_uow(db, lambda s: history.remove_entry(s, other, b, None))
    assert refused.value.code == CommonErrorCode.NOT_FOUND
    await _in_uow(db, lambda s: history.remove_entry(s, owner, b, None))
    assert await _stored(db, owner) == ([c, a], 2)
    assert await _in_uow(db, lambda s: history.clear(s, owner, None)) == 2
    assert await _stored(db, owner) == ([], 0)
    assert await _stored(db, other) == ([a], 1)


async def test_a_guests_views_join_the_customers_history_at_sign_in_once(history_database):
    db = history_database
    customer, stranger = await _customer(db, "merger"), await _customer(db, "stranger")
    a, b, c, d = await _products(db, 4)
    await _view(db, customer, a)
    token = (await _view(db, ANONYMOUS, b)).token
    assert token and len(token) >= 40
    for product in (c, a):
        assert await _view(db, ANONYMOUS, product, token=token) == history.Recorded(True)
    await _view(db, customer, d)

    merged = await _in_uow(db, lambda s: history.merge_guest_history(s, customer, token, ROOMY))

    assert merged == history.Merged(3, False)
    # In time order: b, c (guest), a (the guest's later view), d (customer, after).
    assert await _stored(db, customer) == ([d, a, c, b], 4)
    again = await _in_uow(db, lambda s: history.merge_guest_history(s, customer, token, ROOMY))
    assert again == history.Merged(0, False)
    for late in (lambda s: history.merge_guest_history(s, stranger, token, ROOMY),
                 lambda s: history.record_view(s, ANONYMOUS, a, token, ROOMY)):
        with pytest.raises(DomainError) as refused:
            await _in_uow(db, late)
        assert refused.value.code == CommonErrorCode.NOT_FOUND
    assert await _stored(db, customer) == ([d, a, c, b], 4)


async def test_merging_into_a_paused_history_drops_the_guests_views(history_database):
    db = history_database
    customer = await _customer(db, "paused-merger")
    a, b = await _products(db, 2)
    await _view(db, customer, a)
    await _in_uow(db, lambda s: history.set_paused(s, customer, True, ROOMY))
    token = (await _view(db, ANONYMOUS, b)).token

    merged = await _in_uow(db, lambda s: history.merge_guest_history(s, customer, token, ROOMY))

    assert merged == history.Merged(0, True)
    assert await _stored(db, customer) == ([a], 1)
    assert await fetchval(db, "SELECT count(*) FROM browsing_history_views v JOIN browsing_histories h"
                              " ON h.id = v.history_id WHERE h.merged_into_account_id = $1", customer.account_id) == 0


async def test_a_view_on_a_full_history_costs_the_same_statements_whatever_the_limit(history_database):
    from tests.conftest import count_statements

    db = history_database
    products = await _products(db, 1001)
    counts = []
    for limit in (5, 1000):
        customer = await _customer(db, f"full-{limit}")
        await fetchval(db, "INSERT INTO browsing_histories (account_id, allowance, entry_count) VALUES ($1, 30, $2)"
                           " RETURNING id", customer.account_id, limit)
        await fetchval(db, "INSERT INTO browsing_history_views (history_id, product_id, position)"
                           " SELECT h.id, p.id, nextval('browsing_history_positions') FROM browsing_histories h,"
                           " unnest($2::bigint[]) p(id) WHERE h.account_id = $1 RETURNING 1",
                       customer.account_id, products[:limit])
        with count_statements() as counter:
            await _view(db, customer, products[-1], history.HistoryLimits(entries=limit, burst=30, per_second=2))
        counts.append(counter.count)
        stored, count = await _stored(db, customer)
        assert count == len(stored) == limit and stored[0] == products[-1] and products[0] not in stored
    # take the history (lock and rate limit), check the product, record the view, trim the oldest
    assert counts == [4, 4], counts


async def test_concurrent_views_refill_the_rate_limit_only_for_the_time_that_passed(history_database):
    import time

    db = history_database
    customer = await _customer(db, "flooder")
    products = await _products(db, 100)
    limits = history.HistoryLimits(entries=1000, burst=5, per_second=5)

    async def attempt(product):
        try:
            return await _view(db, customer, product, limits)
        except DomainError as error:
            return error

    started = time.monotonic()
    results = await asyncio.gather(*(attempt(p) for p in products))
    elapsed = time.monotonic() - started

    recorded = [r for r in results if not isinstance(r, DomainError)]
    # The views take turns on the history's lock; the limit refills for the time that passed only.
    assert 5 <= len(recorded) <= 5 + 5 * elapsed + 1, (len(recorded), elapsed)
    stored, count = await _stored(db, customer)
    assert count == len(stored) == len(recorded)


async def test_a_guests_history_unused_for_the_kept_days_is_purged_with_its_views(history_database):
    db = history_database
    a, b = await _products(db, 2)
    stale, fresh = (await _view(db, ANONYMOUS, a)).token, (await _view(db, ANONYMOUS, b)).token
    customer = await _customer(db, "longgone")
    await _view(db, customer, a)
    by_hash = "SELECT id FROM browsing_histories WHERE token_hash = $1"
    stale_id = await fetchval(db, by_hash, history.hash_token(stale))
    fresh_id = await fetchval(db, by_hash, history.hash_token(fresh))
    customer_id = await fetchval(db, "SELECT id FROM browsing_histories WHERE account_id = $1", customer.account_id)
    now = clock.now()
    for history_id, age in ((stale_id, timedelta(days=31)), (fresh_id, timedelta(days=29)),
                            (customer_id, timedelta(days=400))):
        await fetch(db, "UPDATE browsing_histories SET updated_at = $2 WHERE id = $1", history_id, now - age)

    # Other histories of the module are recent: only this stale one is due.
    assert await _in_uow(db, lambda s: history_purge.purge(s, keep_days=30, now=now)) == 1
    left = await fetch(db, "SELECT id FROM browsing_histories WHERE id = ANY($1)", [stale_id, fresh_id, customer_id])
    assert {r["id"] for r in left} == {fresh_id, customer_id}
    assert await fetchval(db, "SELECT count(*) FROM browsing_history_views WHERE history_id = $1", stale_id) == 0
    with pytest.raises(DomainError) as refused:
        await _view(db, ANONYMOUS, a, token=stale)
    assert refused.value.code == CommonErrorCode.NOT_FOUND
    assert await _view(db, ANONYMOUS, a, token=fresh) == history.Recorded(True)


async def test_a_full_purge_batch_queues_the_next_at_once_and_a_short_one_the_next_night(history_database):
    async def queued(db) -> list[tuple]:
        return [tuple(r) for r in await fetch(
            db, "SELECT payload, run_at <= now() FROM jobs WHERE kind = $1 AND status = 'PENDING' ORDER BY id",
            history_purge.PURGE_JOB)]

    db = history_database
    before = await queued(db)
    await _in_uow(db, lambda s: history_purge.run_job(s, keep_days=30))
    after = await queued(db)
    assert len(after) == len(before) + 1 and after[-1][1] is False  # a short batch: tonight's run
    async with UnitOfWork(db) as uow:
        await history_purge.run_job(uow.session, keep_days=30)  # same night: deduplicated
        await uow.commit()
    assert await queued(db) == after
