"""Events are announced exactly when their transaction commits."""
from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text

from domain.events.kinds import EventKind
from domain.events.outbox import CHANNEL, Notice, parse_notice, publish
from domain.shared.unit_of_work import UnitOfWork

pytestmark = pytest.mark.one_copy_per_file


async def _listening(db):
    heard: asyncio.Queue[str] = asyncio.Queue()
    conn = await asyncpg.connect(db.url)
    await conn.add_listener(CHANNEL, lambda *args: heard.put_nowait(args[3]))
    return conn, heard


async def test_a_committed_event_is_stored_and_heard_and_a_rolled_back_one_is_neither(writable_database):
    listener, heard = await _listening(writable_database)
    try:
        async with UnitOfWork(writable_database) as uow:
            dropped = await publish(uow.session, EventKind.ORDER_UPDATED, 41, customer_id=7)
        async with UnitOfWork(writable_database) as uow:
            kept = await publish(uow.session, EventKind.ORDER_PLACED, 42, customer_id=7, seller_ids=[3, 1, 3],
                                 data={"lines": 2})
            await uow.commit()

        notice = parse_notice(await asyncio.wait_for(heard.get(), 5))
        assert notice == Notice(kept, EventKind.ORDER_PLACED, 42, 7)
        await asyncio.sleep(0.05)
        assert heard.empty()
        async with writable_database.sessions() as session:
            rows = (await session.execute(text(
                "SELECT id, kind, subject_id, customer_id, seller_ids, data FROM events WHERE id = ANY(:ids)"),
                {"ids": [dropped, kept]})).all()
        assert [tuple(r) for r in rows] == [(kept, "order.placed", 42, 7, [1, 3], {"lines": 2})]
    finally:
        await listener.close()


async def test_an_unknown_kind_is_refused_before_anything_is_written(writable_database):
    async with UnitOfWork(writable_database) as uow:
        with pytest.raises(ValueError):
            await publish(uow.session, "order.vanished", 1)


@pytest.mark.parametrize("payload", ["", "{", "[]", '{"id": 1}', '{"id": 1, "kind": "x", "subject": 2, "customer": null}'])
def test_a_notice_that_is_not_ours_is_ignored(payload):
    assert parse_notice(payload) is None
