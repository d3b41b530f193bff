"""The reading sync guide's examples work as written: a device reports positions and
annotations, and another device catches up from the library sync, skipping nothing but its own
changes. (They are fenced `graphql reading`: they need a signed-in customer with a device and a
licence, so the test of stand-alone examples skips them.)"""
import pytest

from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import execute
from tests.fixtures.identity import account
from tests.fixtures.reading import device, licence

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("reading-sync.md", "reading")


async def test_the_reading_sync_examples_run(writable_database):
    assert list(STEPS) == ["ReportPositions", "SyncAnnotations", "CatchUp", "AllNotes"]
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id, location_count=5000)
        kindle = await device(http, me, "Kindle")
        ids = {"deviceId": kindle, "licenceId": book.global_id}
        reported = ok(await me(http, STEPS["ReportPositions"], ids), "updateReadingState")
        assert [(r["index"], r["outcome"], r["error"]) for r in reported["results"]] == [
            (0, "STALE", None), (1, "APPLIED", None)]
        [state] = reported["readingStates"]
        assert (state["lastPosition"], state["furthestPosition"], state["percentRead"]) == (1350, 1350, 27.0)
        synced = ok(await me(http, STEPS["SyncAnnotations"], ids), "syncAnnotations")
        assert [r["outcome"] for r in synced["results"]] == ["APPLIED", "APPLIED"]
        phone = await device(http, me, "Phone")
        caught_up = ok(await me(http, STEPS["CatchUp"], {"after": None}), "librarySync")
        changes = caught_up["nodes"]
        assert [(c["kind"], c["originDeviceId"]) for c in changes] == [
            ("READING_STATE_CHANGED", kindle), ("ANNOTATION_CHANGED", kindle)]
        assert changes[0]["licence"]["readingState"]["lastPositionDevice"] == {"id": kindle, "name": "Kindle"}
        assert sorted(a["kind"] for a in changes[1]["annotations"]) == ["BOOKMARK", "HIGHLIGHT"]
        assert caught_up["pageInfo"]["hasNextPage"] is False
        assert ok(await me(http, STEPS["AllNotes"], {"licenceId": book.global_id}), "annotations")["totalCount"] == 2
        # The title is returned: the same batch again refuses each entry alone, with its Int path.
        await execute(db, "UPDATE licences SET status = 'REVOKED', revoked_at = now() WHERE id = $1", book.id)
        refused = (await me(http, STEPS["SyncAnnotations"], {**ids, "deviceId": phone}))["data"]["syncAnnotations"]
        assert [(r["outcome"], r["error"]["code"], r["error"]["path"]) for r in refused["results"]] == [
            ("REFUSED", "LICENCE_REVOKED", ["input", "changes", n, "licenceId"]) for n in range(2)]
