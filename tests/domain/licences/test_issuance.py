"""Licences are issued when a digital shipment is captured (e-books and streaming videos, one per
order line, never twice), revoked, and expired, each leaving its change in the account's log."""
from datetime import timedelta

import pytest
from sqlalchemy import text

from domain.licences import service as licences
from domain.orders import settlement
from domain.payments.test_provider import TestPaymentProvider
from domain.shared import clock
from domain.shared.config import get_settings
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.licences import (
    DISC,
    EBOOK,
    STREAMING,
    bought,
    ebook_product_ids,
    granted,
    new_account,
    new_devices,
    offer_ids,
)
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file


async def _log(db, account_id):
    rows = await fetch(db, "SELECT seq, licence_id, kind::text FROM library_changes WHERE account_id = $1"
                           " ORDER BY seq", account_id)
    return [tuple(r) for r in rows]


async def test_a_captured_digital_shipment_issues_licences_for_ebooks_and_streams_only(writable_database):
    db = writable_database
    account_id = await new_account(db)
    ebook, stream, disc = [(await offer_ids(db, where))[0] for where in (EBOOK, STREAMING, DISC)]
    paperback = (await offer_ids(db, "p.format = 'PAPERBACK' AND o.quantity >= 5"))[0]
    order = await placed_order(db, account_id, [(ebook, 1), (stream, 1), (disc, 1), (paperback, 1)])
    rows = await fetch(db, "SELECT l.id, l.kind::text, l.status::text, l.device_limit, l.order_line_id,"
                           " p.kind::text AS product_kind FROM licences l JOIN products p ON p.id = l.product_id"
                           " WHERE l.account_id = $1 ORDER BY l.id", account_id)
    assert [(r["kind"], r["status"], r["device_limit"]) for r in rows] == [("PURCHASE", "ACTIVE", 6)] * 2
    assert sorted(r["product_kind"] for r in rows) == ["EBOOK", "VIDEO"]
    assert {r["order_line_id"] for r in rows} < set(order.line_ids)
    assert await _log(db, account_id) == [(1, rows[0]["id"], "LICENCE_ADDED"), (2, rows[1]["id"], "LICENCE_ADDED")]


async def test_capturing_a_shipment_again_issues_no_second_licence(writable_database):
    db = writable_database
    account_id = await new_account(db)
    order = await placed_order(db, account_id, [(offer, 1) for offer in await offer_ids(db, EBOOK, 2)])
    before = await _log(db, account_id)
    async with UnitOfWork(db) as uow, TestPaymentProvider(db.url) as provider:
        assert await settlement.capture_shipment(uow.session, provider, order.shipment_ids[0]) == 0
        assert await licences.issue_licences(uow.session, account_id, [
            (line, await fetchval(db, "SELECT product_id FROM order_lines WHERE id = $1", line))
            for line in order.line_ids]) == []
        await uow.commit()
    assert len(before) == 2
    assert await _log(db, account_id) == before
    assert await fetchval(db, "SELECT count(*) FROM licences WHERE account_id = $1", account_id) == 2


async def test_the_device_limit_of_new_licences_comes_from_the_setting(writable_database, monkeypatch):
    db = writable_database
    account_id = await new_account(db)
    monkeypatch.setenv("TRIBUTARY_LICENCE_DEVICE_LIMIT", "3")
    get_settings.cache_clear()
    try:
        licence_id = (await bought(db, account_id))[0]
    finally:
        monkeypatch.delenv("TRIBUTARY_LICENCE_DEVICE_LIMIT")
        get_settings.cache_clear()
    assert await fetchval(db, "SELECT device_limit FROM licences WHERE id = $1", licence_id) == 3


async def test_revoking_frees_every_device_and_is_logged_once(writable_database):
    db = writable_database
    account_id = await new_account(db)
    [licence_id] = await granted(db, account_id, await ebook_product_ids(db, 1))
    devices = await new_devices(db, account_id, 2)
    await execute(db, "INSERT INTO licence_activations (licence_id, device_id) SELECT $1, unnest($2::bigint[])",
                  licence_id, devices)
    for expected in (True, False):
        async with UnitOfWork(db) as uow:
            assert await licences.revoke_licence(uow.session, licence_id, "Refunded") is expected
            await uow.commit()
    row = (await fetch(db, "SELECT status::text, revoke_reason, revoked_at FROM licences WHERE id = $1",
                       licence_id))[0]
    assert (row["status"], row["revoke_reason"]) == ("REVOKED", "Refunded") and row["revoked_at"] is not None
    assert await fetchval(db, "SELECT count(*) FROM licence_activations WHERE licence_id = $1"
                              " AND deactivated_at IS NULL", licence_id) == 0
    assert await _log(db, account_id) == [(1, licence_id, "LICENCE_ADDED"), (2, licence_id, "LICENCE_REVOKED")]


async def test_rentals_past_their_window_expire_and_others_stay(writable_database):
    db = writable_database
    account_id = await new_account(db)
    products = await ebook_product_ids(db, 4)
    unstarted, played_out, playing = await granted(db, account_id, products[:3], kind="RENTAL")
    [bought_one] = await granted(db, account_id, products[3:])
    now = clock.now()
    async with UnitOfWork(db) as uow:
        s = uow.session
        await s.execute(text("UPDATE licences SET rental_expires_at = :t WHERE id = :id"),
                        {"t": now - timedelta(hours=1), "id": unstarted})
        await s.execute(text("UPDATE licences SET first_played_at = :a, play_window_ends_at = :b WHERE id = :id"),
                        {"a": now - timedelta(hours=50), "b": now - timedelta(hours=2), "id": played_out})
        await s.execute(text("UPDATE licences SET first_played_at = :a, play_window_ends_at = :b WHERE id = :id"),
                        {"a": now - timedelta(hours=1), "b": now + timedelta(hours=47), "id": playing})
        await uow.commit()
    async with UnitOfWork(db) as uow:
        assert await licences.expire_licences(uow.session, now) == 2
        await uow.commit()
    statuses = {r["id"]: r["status"] for r in await fetch(
        db, "SELECT id, status::text FROM licences WHERE account_id = $1", account_id)}
    assert statuses == {unstarted: "EXPIRED", played_out: "EXPIRED", playing: "ACTIVE", bought_one: "ACTIVE"}
    assert (await _log(db, account_id))[-2:] == [(5, unstarted, "LICENCE_EXPIRED"), (6, played_out, "LICENCE_EXPIRED")]
    async with UnitOfWork(db) as uow:
        assert await licences.expire_licences(uow.session, now) == 0
