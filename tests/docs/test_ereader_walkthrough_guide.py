"""The e-reader walkthrough works as written, step by step: register the device, read
the library, activate, sync, download the file, push a position. (Fenced `graphql ereader`:
they need a signed-in customer who bought an e-book, so the test of stand-alone examples skips them.)"""
import pytest

from api.core import ids
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.identity import account
from tests.fixtures.licences import bought_ebook

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("ereader-walkthrough.md", "ereader")


async def test_the_ereader_walkthrough_runs(writable_database, tmp_path):
    assert list(STEPS) == ["RegisterReader", "MyLibrary", "Activate", "FirstSync", "Download", "PushPosition"]
    db = writable_database
    async with make_client(db, content_dir=tmp_path) as http:
        me = await account(http, db, "ada", kind="EREADER")
        licence_id = await bought_ebook(db, me.account_id)
        import asyncpg

        from domain.licences import content
        conn = await asyncpg.connect(db.url)
        try:
            await content.ensure_demo_files(conn, content.FileSystemContentStore(tmp_path))
        finally:
            await conn.close()
        device = ok(await me(http, STEPS["RegisterReader"]), "registerDevice")["device"]["id"]
        again = ok(await me(http, STEPS["RegisterReader"]), "registerDevice")["device"]["id"]
        assert again == device
        library = ok(await me(http, STEPS["MyLibrary"]), "library")["nodes"]
        licence = ids.encode("Licence", licence_id)
        assert [n["id"] for n in library] == [licence] and library[0]["status"] == "ACTIVE"
        both = {"licenceId": licence, "deviceId": device}
        activated = ok(await me(http, STEPS["Activate"], both), "activateLicence")
        assert activated["licence"]["activeDeviceCount"] == 1
        synced = ok(await me(http, STEPS["FirstSync"], {"after": None}), "librarySync")
        assert [(c["kind"], c["originDeviceId"]) for c in synced["nodes"]] == [("LICENCE_ADDED", None)]
        assert not synced["pageInfo"]["hasNextPage"]
        link = ok(await me(http, STEPS["Download"], both), "requestDownload")["download"]
        assert link["url"].startswith("http://localhost:8000/downloads/")
        got = await http.get(link["url"])
        assert got.status_code == 200 and len(got.content) == link["fileSize"]
        assert got.text.startswith(library[0]["title"])
        pushed = ok(await me(http, STEPS["PushPosition"], {**both, "at": "2026-11-20T08:00:00Z"}),
                     "updateReadingState")
        assert pushed["readingStates"][0]["lastPosition"] == 12
        assert pushed["results"] == [{"index": 0, "outcome": "APPLIED", "error": None}]
        later = ok(await me(http, STEPS["FirstSync"], {"after": synced["pageInfo"]["endCursor"]}), "librarySync")
        assert [(c["kind"], c["originDeviceId"]) for c in later["nodes"]] == [("READING_STATE_CHANGED", device)]
        assert later["nodes"][0]["licence"]["readingState"]["lastPosition"] == 12
