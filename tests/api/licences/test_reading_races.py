"""Two devices writing at once, each request on its own database connection: whichever
transaction commits last, the newest write by the clients' clocks is what stays."""
from __future__ import annotations

import asyncio
import uuid

import pytest

from api.core import ids
from tests.api.licences.helpers import ANNOTATIONS, STATE, note_change, position_entry, sync, update
from tests.conftest import make_client
from tests.fixtures import chaos
from tests.fixtures.db import fetch
from tests.fixtures.identity import account
from tests.fixtures.reading import device, licence

pytestmark = pytest.mark.one_copy_per_file


async def _waiting(db, statement: str, count: int) -> None:
    """Until `count` transactions wait for a lock in a statement starting with `statement`."""
    for _ in range(500):
        found = await chaos.backends(db.url, query_like=f"{statement}%", state="active")
        if len([b for b in found if b.wait_event_type == "Lock"]) == count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"expected {count} transaction(s) waiting in {statement}")


@pytest.mark.parametrize("newest_commits", ["first", "last"])
async def test_two_devices_racing_on_a_position_keep_the_newest(writable_database, newest_commits):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle, phone = await device(http, me, "Kindle"), await device(http, me, "Phone")
        await update(me, http, kindle, [position_entry(book, 1, -60)])
        newest = (kindle, [position_entry(book, 700, -1)])
        older = (phone, [position_entry(book, 2500, -2)])
        order = [newest, older] if newest_commits == "first" else [older, newest]
        # Both upserts queue on the state row held by the gate, in this order, and commit in it.
        async with chaos.gate(db.url, "SELECT 1 FROM reading_states WHERE licence_id = $1 FOR UPDATE",
                              book.id) as gate:
            tasks = []
            for count, (device_id, states) in enumerate(order, start=1):
                tasks.append(asyncio.ensure_future(update(me, http, device_id, states)))
                await _waiting(db, "INSERT INTO reading_states", count)
            await gate.open()
            results = await asyncio.gather(*tasks)
        assert [r["userErrors"] for r in results] == [[], []]
        state = (await me(http, STATE, {"id": book.global_id}))["data"]["readingState"]
        assert (state["lastPosition"], state["furthestPosition"], state["lastPositionDevice"]["id"]) == (700, 2500, kindle)


async def test_two_devices_writing_a_title_first_at_once_keep_the_newest(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle, phone = await device(http, me, "Kindle"), await device(http, me, "Phone")
        # Held back on the licence, both batches then insert the title's first state at the same moment.
        async with chaos.gate(db.url, "SELECT 1 FROM licences WHERE id = $1 FOR UPDATE", book.id) as gate:
            tasks = [asyncio.ensure_future(update(me, http, phone, [position_entry(book, 2000, -3)])),
                     asyncio.ensure_future(update(me, http, kindle, [position_entry(book, 150, -1)]))]
            await gate.blocked(2)
            await gate.open()
            results = await asyncio.gather(*tasks)
        assert [r["userErrors"] for r in results] == [[], []]
        rows = await fetch(db, "SELECT last_position, furthest_position FROM reading_states WHERE licence_id = $1",
                           book.id)
        assert [tuple(r) for r in rows] == [(150, 2000)]


@pytest.mark.parametrize("newest_commits", ["first", "last"])
async def test_two_devices_racing_on_a_note_keep_the_newest_and_lose_no_other(writable_database, newest_commits):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle, phone = await device(http, me, "Kindle"), await device(http, me, "Phone")
        shared, kindle_only, phone_only = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        await sync(me, http, kindle, [note_change(book, shared, -60, note="original")])
        newest = (kindle, [note_change(book, shared, -1, note="kindle, newest"), note_change(book, kindle_only, -1, note="k")])
        older = (phone, [note_change(book, shared, -2, note="phone, older"), note_change(book, phone_only, -2, note="p")])
        order = [newest, older] if newest_commits == "first" else [older, newest]
        results, outcomes = await _race_on_note(db, me, http, shared, order)
        # An outcome is as of its own commit: the older edit committing first was the newest then.
        phone_outcome = "STALE" if newest_commits == "first" else "APPLIED"
        assert outcomes == {kindle: ["APPLIED", "APPLIED"], phone: [phone_outcome, "APPLIED"]}
        notes = (await me(http, ANNOTATIONS, {"id": book.global_id}))["data"]["annotations"]["nodes"]
        assert sorted(n["note"] for n in notes) == ["k", "kindle, newest", "p"]


async def test_many_concurrent_batches_end_on_the_newest_position(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        devices = [await device(http, me, f"Reader {n}") for n in range(4)]
        # Twelve reports, minute by minute; the newest (position 1200) is not sent last.
        reports = [(devices[n % 4], position_entry(book, 100 * (n + 1), -(12 - n))) for n in range(12)]
        reports.insert(0, reports.pop())
        results = await asyncio.gather(*(update(me, http, d, [s]) for d, s in reports))
        assert all(r["userErrors"] == [] for r in results)
        state = (await me(http, STATE, {"id": book.global_id}))["data"]["readingState"]
        assert (state["lastPosition"], state["furthestPosition"]) == (1200, 1200)
        assert state["lastPositionDevice"]["id"] == devices[11 % 4]



@pytest.mark.parametrize("newest_commits", ["first", "last"])
async def test_two_devices_racing_with_mixed_batches_keep_the_newest_and_refuse_only_the_faulty(writable_database,
                                                                                                 newest_commits):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        returned = await licence(db, me.account_id, status="REVOKED")
        kindle, phone = await device(http, me, "Kindle"), await device(http, me, "Phone")
        shared, kindle_only, phone_only = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        await sync(me, http, kindle, [note_change(book, shared, -60, note="original")])
        # Each batch: the shared note, a note of its own, and one on a title returned meanwhile.
        newest = (kindle, [note_change(book, shared, -1, note="kindle, newest"), note_change(returned, uuid.uuid4(), -1),
                           note_change(book, kindle_only, -1, note="k")])
        older = (phone, [note_change(returned, uuid.uuid4(), -2), note_change(book, shared, -2, note="phone, older"),
                         note_change(book, phone_only, -2, note="p")])
        order = [newest, older] if newest_commits == "first" else [older, newest]
        results, outcomes = await _race_on_note(db, me, http, shared, order)
        phone_outcome = "STALE" if newest_commits == "first" else "APPLIED"
        assert outcomes == {kindle: ["APPLIED", "REFUSED", "APPLIED"], phone: ["REFUSED", phone_outcome, "APPLIED"]}
        assert [[e["code"] for e in r["userErrors"]] for r in results] == [["LICENCE_REVOKED"], ["LICENCE_REVOKED"]]
        notes = (await me(http, ANNOTATIONS, {"id": book.global_id}))["data"]["annotations"]["nodes"]
        assert sorted(n["note"] for n in notes) == ["k", "kindle, newest", "p"]
        assert await fetch(db, "SELECT id FROM annotations WHERE licence_id = $1", returned.id) == []
        # The log numbers the two batches in commit order, each naming its device.
        logged = await fetch(db, "SELECT seq, origin_device_id FROM library_changes WHERE account_id = $1 ORDER BY seq",
                             me.account_id)
        committed = [ids.decode_as(device_id, "Device") for device_id, _ in order]
        assert [r["origin_device_id"] for r in logged][1:] == committed


async def _race_on_note(db, me, http, shared, order):
    """The batches of `order` ((device, changes)) sent at once, each held at the shared note's
    row lock until all wait there, then let go in that order: (their results, outcomes by device)."""
    async with chaos.gate(db.url, "SELECT 1 FROM annotations WHERE id = $1 FOR UPDATE", shared) as gate:
        tasks = []
        for count, (device_id, changes) in enumerate(order, start=1):
            tasks.append(asyncio.ensure_future(sync(me, http, device_id, changes)))
            await _waiting(db, "INSERT INTO annotations", count)
        await gate.open()
        results = await asyncio.gather(*tasks)
    outcomes = {device_id: [r["outcome"] for r in result["results"]] for (device_id, _), result in zip(order, results)}
    return results, outcomes
