"""The process's listener: each committed event reaches the subscribers of its subject or its
customer and no one else, a rolled-back one reaches no one, several publishes in one statement
arrive as several events, and a listener that lost its connection reads what it missed."""
from __future__ import annotations

import asyncio

import pytest

from domain.events.kinds import EventKind
from domain.events.listener import Listener, customer, subject
from domain.events.outbox import publish, publish_many
from domain.shared.database_url import asyncpg_url
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import execute

pytestmark = [pytest.mark.one_copy_per_file, pytest.mark.server]


async def _publish(db, *calls, commit: bool = True) -> None:
    async with UnitOfWork(db) as uow:
        for call in calls:
            await call(uow.session)
        if commit:
            await uow.commit()


async def test_an_event_reaches_the_subscribers_of_its_subject_or_customer_only(writable_database):
    db = writable_database
    listener = Listener(asyncpg_url(db.url), server_settings={"application_name": "listener-test"})
    await listener.start()
    try:
        order = listener.subscribe([subject(EventKind.ORDER_UPDATED, 501)])
        mine = listener.subscribe([customer(EventKind.ORDER_UPDATED, 77), customer(EventKind.ORDER_PLACED, 77)])
        other = listener.subscribe([subject(EventKind.ORDER_UPDATED, 502), customer(EventKind.ORDER_UPDATED, 78)])
        books = listener.subscribe([subject(EventKind.READING_STATE_CHANGED, 9), subject(EventKind.READING_STATE_CHANGED, 10)])

        await _publish(db, lambda s: publish(s, EventKind.ORDER_UPDATED, 501, customer_id=77), commit=False)
        await _publish(db, lambda s: publish(s, EventKind.ORDER_UPDATED, 501, customer_id=77),
                       lambda s: publish_many(s, EventKind.READING_STATE_CHANGED, [10, 9, 10], customer_id=77))

        heard = await asyncio.wait_for(order.get(), 5)
        assert (heard.kind, heard.subject_id, heard.customer_id) == (EventKind.ORDER_UPDATED, 501, 77)
        assert (await asyncio.wait_for(mine.get(), 5)).id == heard.id
        assert sorted([(await asyncio.wait_for(books.get(), 5)).subject_id for _ in range(2)]) == [9, 10]
        await asyncio.sleep(0.1)
        assert order.drain() == mine.drain() == other.drain() == books.drain() == []  # the rolled-back one: nowhere

        # Cut off: what is committed before it is back arrives after, once.
        async with order:
            pid = listener.backend_pid
            await execute(db, "SELECT pg_terminate_backend($1)", pid)
            missed = await _commit_one(db, 501)
            caught = await asyncio.wait_for(order.get(), 10)
            assert caught.id == missed and listener.reconnects >= 1 and listener.backend_pid != pid
            await asyncio.sleep(0.1)
            assert order.drain() == []
        assert listener.subscriber_count == 3  # the `async with` unsubscribed `order`
    finally:
        await listener.stop()


async def _commit_one(db, order_id: int) -> int:
    async with UnitOfWork(db) as uow:
        event_id = await publish(uow.session, EventKind.ORDER_UPDATED, order_id, customer_id=77)
        await uow.commit()
    return event_id
