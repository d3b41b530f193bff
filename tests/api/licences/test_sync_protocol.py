"""The library sync as e-readers use it to stay current: a connection page whose cursor never
goes backwards, changes that name the device that made them and carry the annotations they
wrote, and an e-reader offline for weeks catching up exactly, page by page, over GraphQL."""
from __future__ import annotations

import uuid

import pytest

from tests.api.licences.helpers import note_change, position_entry, sync, update
from tests.conftest import count_statements, make_client
from tests.fixtures.identity import account
from tests.fixtures.licences import ebook_product_ids, granted
from tests.fixtures.reading import device, licence

pytestmark = pytest.mark.one_copy_per_file

CHANGE = """seq kind originDeviceId licence { id status readingState { lastPosition furthestPosition } }
  annotations { uuid kind startPosition endPosition note highlightedText deleted clientTime }"""
PAGE = f"""query($after: String, $first: Int) {{ librarySync(after: $after, first: $first) {{
  edges {{ cursor node {{ {CHANGE} }} }} nodes {{ seq }}
  pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"""
FORMER = """query($since: String, $after: String) { librarySync(since: $since, after: $after, first: 2) {
  changes { seq } nextToken hasMore } }"""
EVERYTHING = """query($id: ID!, $after: String) { annotations(licenceId: $id, includeDeleted: true, first: 100,
  after: $after) { nodes { uuid kind startPosition endPosition note highlightedText deleted clientTime } } }"""


async def _page(caller, http, after: str | None, first: int) -> dict:
    body = await caller(http, PAGE, {"after": after, "first": first})
    assert "errors" not in body, body
    return body["data"]["librarySync"]


async def test_a_sync_page_is_a_connection_whose_cursor_never_goes_backwards(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        books = [await licence(db, me.account_id) for _ in range(2)]
        kindle = await device(http, me)
        await update(me, http, kindle, [position_entry(book, 10, -5) for book in books])
        await update(me, http, kindle, [position_entry(books[0], 20, -1)])
        first = await _page(me, http, None, 2)
        assert [e["node"]["seq"] for e in first["edges"]] == [n["seq"] for n in first["nodes"]] == [1, 2]
        info = first["pageInfo"]
        assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)
        assert (info["startCursor"], info["endCursor"]) == (first["edges"][0]["cursor"], first["edges"][1]["cursor"])
        # An edge's cursor resumes right after its change.
        after_one = await _page(me, http, first["edges"][0]["cursor"], 100)
        assert [n["seq"] for n in after_one["nodes"]] == [2, 3]
        rest = await _page(me, http, info["endCursor"], 100)
        assert [n["seq"] for n in rest["nodes"]] == [3] and rest["pageInfo"]["hasNextPage"] is False
        # At the end, the page is empty and its endCursor is the cursor sent: never null, never back.
        end = rest["pageInfo"]["endCursor"]
        empty = await _page(me, http, end, 100)
        assert (empty["edges"], empty["pageInfo"]["startCursor"], empty["pageInfo"]["endCursor"]) == ([], None, end)
        # The former names still work, give the same page, and may come with `after` when they agree.
        former = (await me(http, FORMER, {"since": None}))["data"]["librarySync"]
        assert (former["changes"], former["nextToken"], former["hasMore"]) == (
            [{"seq": 1}, {"seq": 2}], info["endCursor"], True)
        both = (await me(http, FORMER, {"since": end, "after": end}))["data"]["librarySync"]
        assert (both["changes"], both["nextToken"]) == ([], end)
        disagree = await me(http, FORMER, {"since": end, "after": info["endCursor"]})
        assert disagree["data"] is None
        assert (disagree["errors"][0]["extensions"]["reason"], disagree["errors"][0]["extensions"]["field"]) == (
            "INVALID", ["after"])


async def test_a_change_names_its_device_and_carries_the_notes_it_wrote(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle, phone = await device(http, me, "Kindle"), await device(http, me, "Phone")
        kept, rewritten, deleted = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        await sync(me, http, kindle, [note_change(book, kept, -30, note="kept"),
                                      note_change(book, rewritten, -30, note="first draft"),
                                      note_change(book, deleted, -30, note="soon gone")])
        await update(me, http, phone, [position_entry(book, 700, -20)])
        await sync(me, http, phone, [note_change(book, rewritten, -10, note="second draft"),
                                     note_change(book, deleted, -10, deleted=True)])
        # A stale change writes nothing, so it is not logged.
        await sync(me, http, kindle, [note_change(book, kept, -40, note="older")])
        changes = [e["node"] for e in (await _page(me, http, None, 100))["edges"]]
        assert [(c["seq"], c["kind"], c["originDeviceId"]) for c in changes] == [
            (1, "ANNOTATION_CHANGED", kindle), (2, "READING_STATE_CHANGED", phone), (3, "ANNOTATION_CHANGED", phone)]
        # Each stored version comes once, with the change that wrote it; the older drafts are gone.
        assert [(a["uuid"], a["note"], a["deleted"]) for a in changes[0]["annotations"]] == [(str(kept), "kept", False)]
        assert sorted((a["uuid"], a["note"], a["deleted"]) for a in changes[2]["annotations"]) == sorted([
            (str(rewritten), "second draft", False), (str(deleted), "", True)])
        assert changes[1]["annotations"] == [] and changes[1]["licence"]["readingState"]["lastPosition"] == 700


async def test_the_service_s_own_changes_name_no_device(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        await granted(db, me.account_id, await ebook_product_ids(db, 1))
        [change] = [e["node"] for e in (await _page(me, http, None, 100))["edges"]]
        assert (change["kind"], change["originDeviceId"], change["annotations"]) == ("LICENCE_ADDED", None, [])


async def test_a_page_of_annotation_changes_costs_the_same_statements_whatever_its_size(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        books = [await licence(db, me.account_id) for _ in range(3)]
        kindle = await device(http, me)
        for n in range(10):
            await sync(me, http, kindle, [note_change(book, uuid.uuid4(), -20 + n, note=f"{n}") for book in books])
        counts = set()
        for size in (1, 30):
            with count_statements() as counted:
                page = await _page(me, http, None, size)
            assert len(page["edges"]) == size
            counts.add(counted.count)
        # The viewer, the page, its annotations, the licences' reading states.
        assert counts == {4}


async def _catch_up(caller, http, me_device: str, cursor: str | None, notes: dict, positions: dict,
                    seen: list) -> str:
    """What an e-reader does: page through the changes from its cursor, skip its own, adopt the
    annotations each change carries (by UUID; a tombstone deletes) and the reading state of each
    title whose position changed. Returns the cursor to keep."""
    while True:
        page = await _page(caller, http, cursor, 7)
        for edge in page["edges"]:
            change = edge["node"]
            seen.append(change["seq"])
            if change["originDeviceId"] == me_device:
                continue
            for note in change["annotations"]:
                notes[note["uuid"]] = note
            if change["kind"] == "READING_STATE_CHANGED":
                state = change["licence"]["readingState"]
                positions[change["licence"]["id"]] = (state["lastPosition"], state["furthestPosition"])
        cursor = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return cursor


async def test_an_ereader_offline_for_weeks_catches_up_exactly(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        books = [await licence(db, me.account_id) for _ in range(3)]
        away, home = await device(http, me, "Travel Kindle"), await device(http, me, "Home Kindle")
        notes: dict[str, dict] = {}
        positions: dict[str, tuple[int, int]] = {}
        seen: list[int] = []
        # Before leaving, the travel Kindle wrote a note of its own and synced.
        own = uuid.uuid4()
        await sync(me, http, away, [note_change(books[0], own, -60 * 24 * 30, note="before the trip")])
        cursor = await _catch_up(me, http, away, None, notes, positions, seen)
        notes[str(own)] = {"uuid": str(own), "note": "before the trip"}  # its own, kept locally
        # Weeks offline: at home, notes are written, rewritten and deleted, positions move, in 40 batches.
        made = [uuid.uuid4() for _ in range(30)]
        for week in range(40):
            minutes = -60 * 24 * 28 + week * 60
            book = books[week % 3]
            # The notes of a title are always its own (an annotation never moves between titles).
            mine = [made[week % 3 + 3 * ((week + k) % 10)] for k in range(3)]
            batch = [note_change(book, note, minutes, note=f"week {week}, note {k}", startPosition=week,
                                 endPosition=week + k) for k, note in enumerate(mine)]
            if week % 5 == 4:
                batch.append(note_change(book, mine[0], minutes + 1, deleted=True))
            if week == 20:
                batch.append(note_change(books[0], own, minutes, deleted=True))
            outcomes = [r["outcome"] for r in (await sync(me, http, home, batch))["results"]]
            assert set(outcomes[:3]) == {"APPLIED"} or week % 5 == 4
            await update(me, http, home, [position_entry(book, 100 + week * 10 if week % 7 else 50, minutes)])
        cursor = await _catch_up(me, http, away, cursor, notes, positions, seen)
        # No gap, no duplicate: every change of the log once, in order.
        assert seen == list(range(1, len(seen) + 1)) and len(seen) > 7 * 10
        # No lost note: the travel Kindle holds exactly what the service holds, deletions included.
        server = {}
        for book in books:
            for note in (await me(http, EVERYTHING, {"id": book.global_id}))["data"]["annotations"]["nodes"]:
                server[note["uuid"]] = note
        assert set(notes) == set(server) and notes == server
        assert notes[str(own)]["deleted"] is True and sum(n["deleted"] for n in notes.values()) >= 3
        for book in books:
            state = (await me(http, """query($id: ID!) { readingState(licenceId: $id) { lastPosition
                furthestPosition } }""", {"id": book.global_id}))["data"]["readingState"]
            assert positions[book.global_id] == (state["lastPosition"], state["furthestPosition"])
        # And nothing more to come.
        assert (await _page(me, http, cursor, 100))["edges"] == []
