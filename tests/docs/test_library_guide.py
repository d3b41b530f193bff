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
        synced = ok(await me(http, STEPS["Sync"], {"since": None}), "librarySync")
        assert [(c["kind"], c["licence"]["id"]) for c in synced["changes"]] == [("LICENCE_ADDED", licence)]
        assert synced["hasMore"] is False

        returned = ok(await me(http, STEPS["ReturnEbook"], {"licenceId": licence}), "returnEbook")
        assert returned["licence"]["status"] == "REVOKED" and returned["refund"]["kind"] == "RETURN"
        later = ok(await me(http, STEPS["Sync"], {"since": synced["nextToken"]}), "librarySync")
        assert [(c["kind"], c["licence"]["status"]) for c in later["changes"]] == [("LICENCE_REVOKED", "REVOKED")]
