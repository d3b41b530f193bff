"""Reading sync over the API: last position by the devices' own clocks, the furthest position,
annotations that never lose a note and never come back once deleted, per-entry results in one
transaction (an entry at fault refused alone), the same-time tie-break by device ID,
who may write and read, and the change log entries e-readers sync from."""
from __future__ import annotations

import uuid

import pytest

from api.core import ids
from tests.api.licences.helpers import (
    ANNOTATIONS,
    STATE,
    SYNC,
    at,
    note_change,
    position_entry,
    sync,
    sync_results,
    update,
    update_results,
)
from tests.conftest import make_client
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.identity import account
from tests.fixtures.reading import device, licence

pytestmark = pytest.mark.one_copy_per_file


async def _rows(db) -> tuple:
    """Everything reading sync writes, to compare before and after a refused call."""
    return (await fetch(db, "SELECT * FROM reading_states ORDER BY licence_id"),
            await fetch(db, "SELECT * FROM annotations ORDER BY id"),
            await fetch(db, "SELECT * FROM library_changes ORDER BY account_id, seq"),
            await fetch(db, "SELECT * FROM library_sync_states ORDER BY account_id"))


async def _changes(db, account_id: int) -> list[tuple[int, int, str]]:
    return [tuple(r) for r in await fetch(db, "SELECT seq, licence_id, kind::text FROM library_changes"
                                              " WHERE account_id = $1 ORDER BY seq", account_id)]


async def test_the_newest_position_by_client_clock_wins_and_the_furthest_is_the_largest(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle = await device(http, me, "Kindle")
        phone = await device(http, me, "Phone")
        first = await update(me, http, kindle, [position_entry(book, 300, -5)])
        assert first["userErrors"] == []
        [state] = first["readingStates"]
        assert (state["licenceId"], state["lastPosition"], state["furthestPosition"]) == (book.global_id, 300, 300)
        assert state["lastPositionDevice"] == {"id": kindle, "name": "Kindle"} and state["locationCount"] == 5000
        # The phone was offline: its older report (further in the book) raises the furthest only.
        [state] = (await update(me, http, phone, [position_entry(book, 900, -10)]))["readingStates"]
        assert (state["lastPosition"], state["furthestPosition"], state["lastPositionDevice"]["id"]) == (300, 900, kindle)
        # One batch out of order: the newest entry is the last position, whatever its place in the batch.
        [state] = (await update(me, http, phone, [position_entry(book, 50, -1), position_entry(book, 4000, -3),
                                                   position_entry(book, 100, -2)]))["readingStates"]
        assert (state["lastPosition"], state["furthestPosition"], state["percentRead"]) == (50, 4000, 80.0)
        assert state["lastPositionDevice"]["id"] == phone
        # Going back to the start is a newer last position; the furthest stays.
        await update(me, http, kindle, [position_entry(book, 0, 0)])
        read = (await me(http, STATE, {"id": book.global_id}))["data"]["readingState"]
        assert read == {"licenceId": book.global_id, "lastPosition": 0, "furthestPosition": 4000, "percentRead": 80.0,
                        "lastPositionDevice": {"id": kindle}}
        assert [kind for _, _, kind in await _changes(db, me.account_id)] == ["READING_STATE_CHANGED"] * 4


async def test_a_retried_batch_changes_nothing_and_logs_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle = await device(http, me)
        states = [position_entry(book, 120, -1)]
        await update(me, http, kindle, states)
        before = await _rows(db)
        again = await update(me, http, kindle, states)
        assert again["userErrors"] == [] and again["readingStates"][0]["lastPosition"] == 120
        assert await _rows(db) == before


async def test_an_entry_at_fault_is_refused_alone_and_the_rest_is_applied(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        returned = await licence(db, me.account_id, location_count=5000)
        kindle = await device(http, me)
        await update(me, http, kindle, [position_entry(book, 10, -30)])
        # The title was returned while the device was offline with 16 notes, one of them in it.
        await execute(db, "UPDATE licences SET status = 'REVOKED', revoked_at = now() WHERE id = $1", returned.id)
        notes = [note_change(book, uuid.uuid4(), -16 + n, note=f"note {n}") for n in range(16)]
        notes[3] = note_change(returned, uuid.uuid4(), -13, note="on the returned book")
        synced = await sync_results(me, http, kindle, notes)
        assert [(r["index"], r["outcome"]) for r in synced["results"]] == [
            (n, "REFUSED" if n == 3 else "APPLIED") for n in range(16)]
        assert synced["results"][3]["error"] == {"code": "LICENCE_REVOKED", "path": ["input", "changes", 3, "licenceId"]}
        # userErrors lists the refusal too, so a client reading only userErrors drops that entry and resends the rest.
        assert synced["userErrors"] == [{"code": "LICENCE_REVOKED", "field": ["input", "changes", "3", "licenceId"],
                                         "path": ["input", "changes", 3, "licenceId"]}]
        assert sorted(a["note"] for a in synced["annotations"]) == sorted(f"note {n}" for n in range(16) if n != 3)
        assert await fetchval(db, "SELECT count(*) FROM annotations WHERE licence_id = $1", returned.id) == 0
        resent = await sync_results(me, http, kindle, notes[:3] + notes[4:])
        assert {r["outcome"] for r in resent["results"]} == {"APPLIED"} and resent["userErrors"] == []
        # Positions likewise: the one out of range is refused, the others applied.
        updated = await update_results(me, http, kindle, [position_entry(book, 200, -2), position_entry(returned, 300, -2),
                                                          position_entry(book, 5001, -1)])
        assert [(r["index"], r["outcome"], r["error"] and r["error"]["path"]) for r in updated["results"]] == [
            (0, "APPLIED", None), (1, "REFUSED", ["input", "states", 1, "licenceId"]),
            (2, "REFUSED", ["input", "states", 2, "position"])]
        assert [e["code"] for e in updated["userErrors"]] == ["LICENCE_REVOKED", "POSITION_OUT_OF_RANGE"]
        assert updated["readingStates"] == [{"licenceId": book.global_id, "lastPosition": 200, "furthestPosition": 200}]
        # A batch whose every entry is refused writes nothing at all, not even a log entry.
        before = await _rows(db)
        refused = await update_results(me, http, kindle, [position_entry(returned, 1, -1)])
        assert ([r["outcome"] for r in refused["results"]], refused["readingStates"]) == (["REFUSED"], [])
        assert await _rows(db) == before


@pytest.mark.parametrize(("entry", "code", "field"), [
    ({"position": -1}, "POSITION_OUT_OF_RANGE", "position"),
    ({"position": 5001}, "POSITION_OUT_OF_RANGE", "position"),
    ({"clientTime": "future"}, "CLIENT_TIME_INVALID", "clientTime"),
    ({"clientTime": "0001-01-01T00:00:00+05:00"}, "CLIENT_TIME_INVALID", "clientTime"),
])
async def test_positions_outside_the_title_and_clocks_ahead_are_refused(writable_database, entry, code, field):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle = await device(http, me)
        bad = {**position_entry(book, 10, 0), **entry}
        if bad["clientTime"] == "future":
            bad["clientTime"] = at(6)
        refused = await update_results(me, http, kindle, [position_entry(book, 5, -1), bad])
        assert [(e["code"], e["path"]) for e in refused["userErrors"]] == [(code, ["input", "states", 1, field])]
        assert [r["outcome"] for r in refused["results"]] == ["APPLIED", "REFUSED"]
        assert refused["readingStates"][0]["lastPosition"] == 5
        # The bounds themselves, and a clock a little ahead, are fine.
        accepted = await update(me, http, kindle, [position_entry(book, 0, -1), position_entry(book, 5000, 4)])
        assert accepted["userErrors"] == [] and accepted["readingStates"][0]["lastPosition"] == 5000


async def test_another_customers_licence_is_not_found_and_their_state_is_invisible(writable_database):
    db = writable_database
    async with make_client(db) as http:
        owner = await account(http, db, "owner")
        stranger = await account(http, db, "stranger")
        admin = await account(http, db, "admin", admin=True)
        book = await licence(db, owner.account_id)
        await update(owner, http, await device(http, owner), [position_entry(book, 42, -1)])
        await sync(owner, http, await device(http, owner, "Phone"), [note_change(book, uuid.uuid4(), -1, note="private")])
        before = await _rows(db)
        for caller in (stranger, admin):
            own_device = await device(http, caller)
            refused = await update(caller, http, own_device, [position_entry(book, 4000, 0)])
            assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
                ("NOT_FOUND", ["input", "states", "0", "licenceId"])]
            refused = await sync(caller, http, own_device, [note_change(book, uuid.uuid4(), 0, note="mine now")])
            assert refused["userErrors"][0]["code"] == "NOT_FOUND"
            assert (await caller(http, STATE, {"id": book.global_id}))["data"]["readingState"] is None
            listed = (await caller(http, ANNOTATIONS, {"id": book.global_id, "deleted": True}))["data"]["annotations"]
            assert (listed["totalCount"], listed["nodes"]) == (0, [])
        anonymous = await http.post("/graphql", json={"query": STATE, "variables": {"id": book.global_id}})
        assert anonymous.json()["data"]["readingState"] is None
        assert await _rows(db) == before


async def test_a_revoked_licence_can_no_longer_be_synced(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        refunded = await licence(db, me.account_id, status="REVOKED")
        kindle = await device(http, me)
        before = await _rows(db)
        refused = await update(me, http, kindle, [position_entry(refunded, 10, -1)])
        assert [e["code"] for e in refused["userErrors"]] == ["LICENCE_REVOKED"]
        refused = await sync(me, http, kindle, [note_change(refunded, uuid.uuid4(), -1)])
        assert [e["code"] for e in refused["userErrors"]] == ["LICENCE_REVOKED"]
        assert await _rows(db) == before


async def test_a_title_without_readable_content_has_no_positions(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        physical = await fetchval(db, "SELECT id FROM products WHERE kind = 'PHYSICAL' ORDER BY id LIMIT 1")
        hardback = await licence(db, me.account_id, product_id=physical, with_content=False)
        refused = await update(me, http, await device(http, me), [position_entry(hardback, 1, -1)])
        assert [e["code"] for e in refused["userErrors"]] == ["CONTENT_UNAVAILABLE"]


async def test_only_a_device_registered_to_the_account_may_write(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        stranger = await account(http, db, "stranger")
        book = await licence(db, me.account_id)
        retired = await device(http, me, "Old Kindle")
        # Deregistering ends the sessions bound to a device: this one moves to a new device first.
        await device(http, me, "New Kindle")
        await me(http, "mutation($id: ID!) { deregisterDevice(input: {deviceId: $id}) { device { id } } }",
                 {"id": retired})
        theirs = await device(http, stranger)
        before = await _rows(db)
        for device_id in (retired, theirs):
            refused = await update(me, http, device_id, [position_entry(book, 10, -1)])
            assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
                ("DEVICE_NOT_REGISTERED", ["input", "deviceId"])]
            refused = await sync(me, http, device_id, [note_change(book, uuid.uuid4(), -1)])
            assert [e["code"] for e in refused["userErrors"]] == ["DEVICE_NOT_REGISTERED"]
        assert await _rows(db) == before


async def test_two_offline_devices_editing_different_notes_both_keep_theirs(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle, phone = await device(http, me, "Kindle"), await device(http, me, "Phone")
        on_kindle, on_phone = uuid.uuid4(), uuid.uuid4()
        await sync(me, http, kindle, [note_change(book, on_kindle, -60, note="draft"), note_change(book, on_phone, -60)])
        # Both devices went offline and each edited one note; the phone comes back first.
        synced = await sync(me, http, phone, [note_change(book, on_phone, -20, note="phone's thought")])
        assert synced["results"] == [{"id": str(on_phone), "outcome": "APPLIED"}]
        synced = await sync(me, http, kindle, [note_change(book, on_kindle, -30, note="kindle's thought")])
        assert synced["results"] == [{"id": str(on_kindle), "outcome": "APPLIED"}]
        notes = (await me(http, ANNOTATIONS, {"id": book.global_id}))["data"]["annotations"]["nodes"]
        assert sorted(n["note"] for n in notes) == ["kindle's thought", "phone's thought"]


async def test_the_newest_edit_of_a_note_wins_and_the_older_is_stale(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle, phone = await device(http, me, "Kindle"), await device(http, me, "Phone")
        note = uuid.uuid4()
        await sync(me, http, kindle, [note_change(book, note, -10, note="newer")])
        synced = await sync(me, http, phone, [note_change(book, note, -20, note="older")])
        assert synced["results"] == [{"id": str(note), "outcome": "STALE"}]
        [kept] = synced["annotations"]
        assert (kept["note"], kept["device"]["id"]) == ("newer", kindle)
        # Within one batch the later write of the same time is the device's last word.
        same_time = at(-5)
        synced = await sync(me, http, phone, [note_change(book, note, -5, note="first", clientTime=same_time),
                                               note_change(book, note, -5, note="second", clientTime=same_time)])
        assert [r["outcome"] for r in synced["results"]] == ["STALE", "APPLIED"]
        assert synced["annotations"][0]["note"] == "second"


async def _device_numbered(db, account_id: int, number: int) -> str:
    await execute(db, "INSERT INTO devices (id, account_id, kind, name) VALUES ($1, $2, 'EREADER', $3)",
                  number, account_id, f"Reader {number}")
    return ids.encode("Device", number)


@pytest.mark.parametrize("larger_writes_first", [True, False])
async def test_writes_of_the_same_time_go_to_the_larger_device_id_in_byte_order(writable_database, larger_writes_first):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        # Numbered so that the order of their global IDs is not the order of the numbers.
        offset = 0 if larger_writes_first else 10
        nines = await _device_numbered(db, me.account_id, 999_999_999 - offset)
        billion = await _device_numbered(db, me.account_id, 1_000_000_000 + offset)
        assert nines.encode() > billion.encode()
        order = [nines, billion] if larger_writes_first else [billion, nines]
        note, same_time = uuid.uuid4(), at(-5)
        outcomes = []
        for device_id in order:
            synced = await sync(me, http, device_id, [note_change(book, note, 0, note=device_id, clientTime=same_time)])
            outcomes.append(synced["results"][0]["outcome"])
            await update(me, http, device_id, [{**position_entry(book, len(outcomes), 0), "clientTime": same_time}])
        assert outcomes == (["APPLIED", "STALE"] if larger_writes_first else ["APPLIED", "APPLIED"])
        [stored] = (await me(http, ANNOTATIONS, {"id": book.global_id}))["data"]["annotations"]["nodes"]
        assert stored["note"] == nines
        state = (await me(http, STATE, {"id": book.global_id}))["data"]["readingState"]
        assert (state["lastPosition"], state["lastPositionDevice"]["id"]) == (order.index(nines) + 1, nines)


async def test_a_deletion_is_a_tombstone_that_older_edits_never_undo(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle, phone = await device(http, me, "Kindle"), await device(http, me, "Phone")
        highlight = uuid.uuid4()
        await sync(me, http, kindle, [note_change(book, highlight, -60, kind="HIGHLIGHT", highlightedText="Call me Ishmael",
                                             note="opening")])
        deleted = await sync(me, http, kindle, [note_change(book, highlight, -10, kind="HIGHLIGHT", deleted=True)])
        assert deleted["results"][0]["outcome"] == "APPLIED"
        # The phone edited it while offline, before the deletion (by its clock).
        stale = await sync(me, http, phone, [note_change(book, highlight, -30, kind="HIGHLIGHT", note="edited offline")])
        assert stale["results"][0]["outcome"] == "STALE"
        [tombstone] = stale["annotations"]
        assert (tombstone["deleted"], tombstone["note"], tombstone["highlightedText"]) == (True, "", "")
        live = (await me(http, ANNOTATIONS, {"id": book.global_id}))["data"]["annotations"]
        assert (live["totalCount"], live["nodes"]) == (0, [])
        everything = (await me(http, ANNOTATIONS, {"id": book.global_id, "deleted": True}))["data"]["annotations"]
        assert [(n["uuid"], n["deleted"]) for n in everything["nodes"]] == [(str(highlight), True)]
        assert [n["id"] for n in everything["nodes"]] == [ids.encode("Annotation", highlight)]
        # A deletion of an annotation the server never saw is kept too, so its creation arriving later stays deleted.
        unseen = uuid.uuid4()
        await sync(me, http, phone, [note_change(book, unseen, -1, deleted=True)])
        late = await sync(me, http, kindle, [note_change(book, unseen, -2, note="created offline")])
        assert late["results"][0]["outcome"] == "STALE" and late["annotations"][0]["deleted"] is True


async def test_annotation_changes_are_checked(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        other_book = await licence(db, me.account_id)
        kindle = await device(http, me)
        moved = uuid.uuid4()
        await sync(me, http, kindle, [note_change(book, moved, -5)])
        for change, code, field in [
            ({"endPosition": 5001}, "POSITION_OUT_OF_RANGE", "endPosition"),
            ({"startPosition": -1}, "POSITION_OUT_OF_RANGE", "startPosition"),
            ({"startPosition": 30, "endPosition": 20}, "POSITIONS_NOT_ORDERED", "endPosition"),
            ({"note": "x" * 10_001}, "TEXT_TOO_LONG", "note"),
            ({"highlightedText": "x" * 10_001}, "TEXT_TOO_LONG", "highlightedText"),
            ({"clientTime": at(10)}, "CLIENT_TIME_INVALID", "clientTime"),
            ({"clientTime": None, "clientUpdatedAt": at(10)}, "CLIENT_TIME_INVALID", "clientUpdatedAt"),
            ({"clientTime": None}, "INVALID", "clientTime"),
            ({"clientUpdatedAt": at(-2)}, "INVALID", "clientUpdatedAt"),
            ({"id": str(moved), "licenceId": other_book.global_id}, "ANNOTATION_ID_CONFLICT", "id"),
        ]:
            before = await fetch(db, "SELECT * FROM annotations WHERE id = $1", moved)
            refused = await sync_results(me, http, kindle, [note_change(book, uuid.uuid4(), -1),
                                                            note_change(book, uuid.uuid4(), -1, **change)])
            assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(code, ["input", "changes", "1", field])]
            assert [(r["outcome"], r["error"]) for r in refused["results"]] == [
                ("APPLIED", None), ("REFUSED", {"code": code, "path": ["input", "changes", 1, field]})]
            assert await fetch(db, "SELECT * FROM annotations WHERE id = $1", moved) == before
        before = await _rows(db)
        bad_kind = await me(http, SYNC, {"input": {"deviceId": kindle, "changes": [note_change(book, uuid.uuid4(), -1,
                                                                                            kind="SCRIBBLE")]}})
        assert "SCRIBBLE" in bad_kind["errors"][0]["message"]
        bad_id = await sync(me, http, kindle, [note_change(book, uuid.uuid4(), -1), note_change(book, "not-a-uuid", -1)])
        assert [(e["code"], e["field"]) for e in bad_id["userErrors"]] == [("INVALID_ID", ["input", "changes", "1", "id"])]
        assert "not-a-uuid" in bad_id["userErrors"][0]["message"]
        assert await _rows(db) == before
        longest = await sync(me, http, kindle, [note_change(book, uuid.uuid4(), -1, note="x" * 10_000, startPosition=0,
                                                       endPosition=5000)])
        assert longest["userErrors"] == []


async def test_batches_have_limits(writable_database):
    db = writable_database
    # A batch of 1,000 annotations is over the default request size: this client allows more.
    async with make_client(db, max_body_bytes=5_000_000) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle = await device(http, me)
        before = await _rows(db)
        too_many = [note_change(book, uuid.uuid4(), -1, kind="BOOKMARK", startPosition=n % 5000, endPosition=n % 5000)
                    for n in range(10_000)]
        refused = await sync(me, http, kindle, too_many)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("BATCH_TOO_LARGE", ["input", "changes"])]
        refused = await update(me, http, kindle, [position_entry(book, n, -1) for n in range(501)])
        assert [e["code"] for e in refused["userErrors"]] == ["BATCH_TOO_LARGE"]
        refused = await update(me, http, kindle, [])
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID", ["input", "states"])]
        assert await _rows(db) == before
        synced = await sync(me, http, kindle, too_many[:1000])
        assert synced["userErrors"] == [] and len(synced["results"]) == 1000
        assert {r["outcome"] for r in synced["results"]} == {"APPLIED"}
        updated = await update(me, http, kindle, [position_entry(book, n, -1 + n / 1000) for n in range(500)])
        assert updated["readingStates"][0]["lastPosition"] == 499
        assert await fetchval(db, "SELECT count(*) FROM annotations WHERE licence_id = $1", book.id) == 1000
        # One change per title and batch in the log.
        assert [kind for _, _, kind in await _changes(db, me.account_id)] == ["ANNOTATION_CHANGED",
                                                                             "READING_STATE_CHANGED"]


async def test_annotations_page_in_reading_order(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle = await device(http, me)
        made = [note_change(book, uuid.uuid4(), -1, startPosition=s, endPosition=s + 5, note=f"at {s}") for s in (40, 10, 30, 20, 50)]
        await sync(me, http, kindle, made)
        await sync(me, http, kindle, [{**made[2], "deleted": True, "clientTime": at(0)}])
        first = (await me(http, ANNOTATIONS, {"id": book.global_id, "first": 2}))["data"]["annotations"]
        assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"] is True
        rest = (await me(http, ANNOTATIONS, {"id": book.global_id, "first": 10,
                                             "after": first["pageInfo"]["endCursor"]}))["data"]["annotations"]
        assert [n["note"] for n in first["nodes"] + rest["nodes"]] == ["at 10", "at 20", "at 40", "at 50"]
        assert rest["pageInfo"]["hasNextPage"] is False
        past_the_end = (await me(http, ANNOTATIONS, {"id": book.global_id, "first": 2,
                                                     "after": rest["pageInfo"]["endCursor"]}))["data"]["annotations"]
        assert (past_the_end["totalCount"], past_the_end["nodes"]) == (4, [])


async def test_changes_are_logged_once_per_title_and_batch(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book, other_book = await licence(db, me.account_id), await licence(db, me.account_id)
        kindle = await device(http, me)
        await execute(db, "INSERT INTO library_sync_states (account_id, last_seq) VALUES ($1, 7)", me.account_id)
        await update(me, http, kindle, [position_entry(other_book, 5, -2), position_entry(book, 5, -2), position_entry(book, 9, -1)])
        await sync(me, http, kindle, [note_change(book, uuid.uuid4(), -1), note_change(book, uuid.uuid4(), -1),
                                       note_change(other_book, uuid.uuid4(), -1)])
        low, high = sorted((book.id, other_book.id))
        assert await _changes(db, me.account_id) == [
            (8, low, "READING_STATE_CHANGED"), (9, high, "READING_STATE_CHANGED"),
            (10, low, "ANNOTATION_CHANGED"), (11, high, "ANNOTATION_CHANGED")]
