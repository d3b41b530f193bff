"""Using a licence on devices: the owner's registered devices only, an active licence only, at
most `device_limit` devices at once even when devices race for the last slots."""
import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from domain.licences import service as licences
from domain.licences.entities import Licence
from domain.shared.db import Database
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import ANONYMOUS, Principal
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import execute, fetch, fetchval, suite_database
from tests.fixtures.licences import ebook_product_ids, granted, new_account, new_devices

pytestmark = pytest.mark.one_copy_per_file

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _licence(**changes) -> Licence:
    fields = dict(id=1, account_id=1, product_id=1, order_line_id=None, kind="PURCHASE", status="ACTIVE",
                  device_limit=2, rental_expires_at=None, first_played_at=None, play_window_ends_at=None,
                  revoked_at=None, created_at=NOW, updated_at=NOW, title="T", authors=[], cover_image_url=None,
                  format="KINDLE", product_kind="EBOOK", file_size=None, active_device_count=0)
    return Licence(**{**fields, **changes})


def _code(call) -> str:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value.code


def test_only_an_active_licence_within_its_window_is_usable():
    _licence().check_usable(NOW)
    assert _code(lambda: _licence(status="REVOKED", revoked_at=NOW).check_usable(NOW)) == "LICENCE_REVOKED"
    assert _code(lambda: _licence(status="EXPIRED").check_usable(NOW)) == "LICENCE_EXPIRED"
    rental = _licence(kind="RENTAL", rental_expires_at=NOW + timedelta(days=1))
    rental.check_usable(NOW)
    assert _code(lambda: rental.check_usable(NOW + timedelta(days=2))) == "LICENCE_EXPIRED"
    started = _licence(kind="RENTAL", rental_expires_at=NOW, first_played_at=NOW,
                       play_window_ends_at=NOW + timedelta(hours=48))
    started.check_usable(NOW + timedelta(hours=47))
    assert _code(lambda: started.check_usable(NOW + timedelta(hours=48))) == "LICENCE_EXPIRED"


def test_a_new_device_needs_a_free_slot():
    _licence(device_limit=2).check_slot_free(1)
    with pytest.raises(DomainError) as refused:
        _licence(device_limit=2).check_slot_free(2)
    assert refused.value.code == "DEVICE_LIMIT_REACHED"
    assert refused.value.extensions == {"deviceLimit": 2}


async def _activate(db: Database, principal: Principal, licence_id: int, device_id: int):
    async with UnitOfWork(db) as uow:
        result = await licences.activate_licence(uow.session, principal, licence_id, device_id)
        await uow.commit()
        return result


async def _deactivate(db: Database, principal: Principal, licence_id: int, device_id: int):
    async with UnitOfWork(db) as uow:
        result = await licences.deactivate_licence(uow.session, principal, licence_id, device_id)
        await uow.commit()
        return result


async def _refused(db: Database, principal: Principal, licence_id: int, device_id: int) -> DomainError:
    before = await _activations(db)
    with pytest.raises(DomainError) as refused:
        await _activate(db, principal, licence_id, device_id)
    assert await _activations(db) == before
    return refused.value


async def _activations(db: Database) -> list[tuple]:
    return [tuple(r) for r in await fetch(db, "SELECT licence_id, device_id, activated_at, deactivated_at"
                                              " FROM licence_activations ORDER BY 1, 2")]


async def _library(db: Database, limit: int = 2):
    account_id = await new_account(db)
    [licence_id] = await granted(db, account_id, await ebook_product_ids(db, 1), device_limit=limit)
    return Principal(account_id=account_id), licence_id


async def test_a_licence_goes_on_devices_up_to_its_limit_and_a_device_again_is_free(writable_database):
    db = writable_database
    me, licence_id = await _library(db, limit=2)
    first, second, third = await new_devices(db, me.account_id, 3)
    licence, activation = await _activate(db, me, licence_id, first)
    assert (licence.active_device_count, activation.device_id) == (1, first)
    again, same = await _activate(db, me, licence_id, first)
    assert again.active_device_count == 1 and same.activated_at == activation.activated_at
    assert (await _activate(db, me, licence_id, second))[0].active_device_count == 2
    refused = await _refused(db, me, licence_id, third)
    assert (refused.code, refused.extensions, refused.field) == ("DEVICE_LIMIT_REACHED", {"deviceLimit": 2},
                                                                 ["input", "deviceId"])
    assert (await _activate(db, me, licence_id, second))[0].active_device_count == 2


async def test_deactivating_frees_a_slot(writable_database):
    db = writable_database
    me, licence_id = await _library(db, limit=1)
    first, second = await new_devices(db, me.account_id, 2)
    await _activate(db, me, licence_id, first)
    assert (await _refused(db, me, licence_id, second)).code == "DEVICE_LIMIT_REACHED"
    assert (await _deactivate(db, me, licence_id, first)).active_device_count == 0
    assert (await _deactivate(db, me, licence_id, first)).active_device_count == 0
    assert (await _activate(db, me, licence_id, second))[0].active_device_count == 1
    assert (await _refused(db, me, licence_id, first)).code == "DEVICE_LIMIT_REACHED"


async def test_a_deregistered_devices_slot_is_free_and_it_cannot_take_the_licence(writable_database):
    db = writable_database
    me, licence_id = await _library(db, limit=1)
    old, new = await new_devices(db, me.account_id, 2)
    await _activate(db, me, licence_id, old)
    await execute(db, "UPDATE devices SET deregistered_at = now() WHERE id = $1", old)
    assert (await _activate(db, me, licence_id, new))[0].active_device_count == 1
    assert (await _refused(db, me, licence_id, old)).code == "DEVICE_NOT_REGISTERED"


async def test_another_customers_licence_or_device_does_not_exist_for_the_caller(writable_database):
    db = writable_database
    me, mine = await _library(db)
    other, theirs = await _library(db)
    [my_device] = await new_devices(db, me.account_id, 1)
    [their_device] = await new_devices(db, other.account_id, 1)
    admin = Principal(account_id=await new_account(db, "admin"), is_admin=True)
    for principal, licence_id, device_id in ((me, theirs, my_device), (me, mine, their_device),
                                             (admin, mine, my_device), (me, 987654321, my_device),
                                             (me, mine, 987654321)):
        refused = await _refused(db, principal, licence_id, device_id)
        assert isinstance(refused, NotFound) and refused.code == "NOT_FOUND"
    with pytest.raises(DomainError) as anonymous:
        await _activate(db, ANONYMOUS, mine, my_device)
    assert anonymous.value.code == "UNAUTHENTICATED"
    with pytest.raises(NotFound):
        await _deactivate(db, me, mine, their_device)


async def test_a_revoked_or_expired_licence_takes_no_device(writable_database):
    db = writable_database
    me, licence_id = await _library(db)
    [device] = await new_devices(db, me.account_id, 1)
    await execute(db, "UPDATE licences SET status = 'EXPIRED' WHERE id = $1", licence_id)
    assert (await _refused(db, me, licence_id, device)).code == "LICENCE_EXPIRED"
    async with UnitOfWork(db) as uow:
        await licences.revoke_licence(uow.session, licence_id, "Refunded")
        await uow.commit()
    assert (await _refused(db, me, licence_id, device)).code == "LICENCE_REVOKED"


async def test_twenty_devices_racing_for_six_slots_get_exactly_six(writable_database):
    db = writable_database
    me, licence_id = await _library(db, limit=6)
    devices = await new_devices(db, me.account_id, 20)
    racing = suite_database(db.url, pool_size=20)
    ready, go = asyncio.Barrier(len(devices)), asyncio.Event()

    backends = set()

    async def activate(device_id: int) -> str:
        async with UnitOfWork(racing) as uow:
            # Every transaction holds its own connection before any of them asks for the slot.
            backends.add((await uow.session.execute(text("SELECT pg_backend_pid()"))).scalar())
            if await ready.wait() == 0:
                go.set()
            await go.wait()
            try:
                await licences.activate_licence(uow.session, me, licence_id, device_id)
            except DomainError as error:
                return error.code
            await uow.commit()
            return "ok"

    try:
        outcomes = await asyncio.gather(*(activate(d) for d in devices))
    finally:
        await racing.close()
    assert len(backends) == 20
    assert outcomes.count("ok") == 6
    assert outcomes.count("DEVICE_LIMIT_REACHED") == 14
    assert await fetchval(db, "SELECT count(*) FROM licence_activations WHERE licence_id = $1"
                              " AND deactivated_at IS NULL", licence_id) == 6
