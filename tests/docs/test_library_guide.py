"""The library guide works as written: the library lists a bought e-book, the sync hands it to
a device, and returning it refunds it and tells the next sync to drop it. (Fenced `graphql
library`: they need a signed-in customer who bought an e-book, so the test of stand-alone
examples skips them.)"""
import pytest

from api.core import ids
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.identity import account
from tests.fixtures.licences import bought_ebook

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("library.md", "library")


async def test_the_library_guide_runs(writable_database):
    assert list(STEPS) == ["Library", "Sync", "ReturnEbook"]
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        licence = ids.encode("Licence", await bought_ebook(db, me.account_id))

        library = ok(await me(http, STEPS["Library"]), "library")
        assert library["totalCount"] == 1
        assert [(n["id"], n["kind"], n["status"]) for n in library["nodes"]] == [(licence, "PURCHASE", "ACTIVE")]
        synced = ok(await me(http, STEPS["Sync"], {"after": None}), "librarySync")
        assert [(e["node"]["kind"], e["node"]["licence"]["id"], e["node"]["originDeviceId"]) for e in synced["edges"]] == [
            ("LICENCE_ADDED", licence, None)]
        assert synced["pageInfo"]["hasNextPage"] is False
        assert synced["pageInfo"]["endCursor"] == synced["edges"][-1]["cursor"]

        returned = ok(await me(http, STEPS["ReturnEbook"], {"licenceId": licence}), "returnEbook")
        assert returned["licence"]["status"] == "REVOKED" and returned["refund"]["kind"] == "RETURN"
        later = ok(await me(http, STEPS["Sync"], {"after": synced["pageInfo"]["endCursor"]}), "librarySync")
        assert [(e["node"]["kind"], e["node"]["licence"]["status"]) for e in later["edges"]] == [
            ("LICENCE_REVOKED", "REVOKED")]
        # Nothing more: an empty page keeps the cursor sent.
        end = later["pageInfo"]["endCursor"]
        assert ok(await me(http, STEPS["Sync"], {"after": end}), "librarySync")["pageInfo"]["endCursor"] == end
