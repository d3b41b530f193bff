"""The reading sync guide's examples work as written: a device reports positions and
annotations, and another device catches up. (They are fenced `graphql reading`: they need a
signed-in customer with a device and a licence, so the test of stand-alone examples
skips them.)"""
import pytest

from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.identity import account
from tests.fixtures.reading import device, licence

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("reading-sync.md", "reading")


async def test_the_reading_sync_examples_run(writable_database):
    assert list(STEPS) == ["ReportPositions", "SyncAnnotations", "CatchUp"]
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id, location_count=5000)
        kindle = await device(http, me, "Kindle")
        ids = {"deviceId": kindle, "licenceId": book.global_id}
        [state] = ok(await me(http, STEPS["ReportPositions"], ids), "updateReadingState")["readingStates"]
        assert (state["lastPosition"], state["furthestPosition"], state["percentRead"]) == (1350, 1350, 27.0)
        synced = ok(await me(http, STEPS["SyncAnnotations"], ids), "syncAnnotations")
        assert [r["outcome"] for r in synced["results"]] == ["APPLIED", "APPLIED"]
        await device(http, me, "Phone")
        caught_up = await me(http, STEPS["CatchUp"], {"licenceId": book.global_id})
        assert "errors" not in caught_up, caught_up
        assert caught_up["data"]["readingState"]["lastPositionDevice"] == {"id": kindle, "name": "Kindle"}
        assert caught_up["data"]["annotations"]["totalCount"] == 2
