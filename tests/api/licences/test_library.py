"""The library over HTTP: the customer's licences with their titles and devices, putting a
licence on devices and taking it off (every error code, nothing written on a refusal), library
sync with its tokens, and a fixed number of statements per page whatever its size."""
import re
from pathlib import Path

import pytest

from api.core import ids
from api.licences.enums import LicenceErrorCode
from tests.conftest import count_statements, make_client
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.identity import account
from tests.fixtures.licences import bought, ebook_product_ids, granted

pytestmark = pytest.mark.one_copy_per_file

LICENCE = """id kind status title authors coverImageUrl format productKind fileSize deviceLimit activeDeviceCount
  createdAt revokedAt activations { activatedAt device { id name } } product { id }"""
LIBRARY = f"""query($first: Int, $after: String, $kind: LicenceKind) {{ library(first: $first, after: $after,
  kind: $kind) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ {LICENCE} }} }} }}"""
SYNC = f"""query($since: String, $first: Int) {{ librarySync(since: $since, first: $first) {{ nextToken hasMore
  changes {{ seq kind licence {{ {LICENCE} }} }} }} }}"""
ACTIVATE = """mutation($l: ID!, $d: ID!) { activateLicence(input: {licenceId: $l, deviceId: $d}) {
  licence { id activeDeviceCount activations { device { id } } } activation { activatedAt device { id } }
  userErrors { code message field ... on LicenceError { deviceLimit } } } }"""
DEACTIVATE = """mutation($l: ID!, $d: ID!) { deactivateLicence(input: {licenceId: $l, deviceId: $d}) {
  licence { id activeDeviceCount } userErrors { code message field } } }"""
REGISTER = """mutation($n: String!) { registerDevice(input: {kind: EREADER, name: $n}) { device { id } } }"""


def _gid(pk: int) -> str:
    return ids.encode("Licence", pk)


async def _device(http, caller, name: str = "Reader") -> str:
    return (await caller(http, REGISTER, {"n": name}))["data"]["registerDevice"]["device"]["id"]


async def _activations(db) -> list[tuple]:
    return [tuple(r) for r in await fetch(db, "SELECT * FROM licence_activations ORDER BY 1, 2")]


async def test_the_library_lists_licences_newest_first_with_title_content_and_devices(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        older, newer = await bought(db, me.account_id, count=2)
        product_id = await fetchval(db, "SELECT product_id FROM licences WHERE id = $1", newer)
        # One title's content is published (the seed's demo file replaced), the other's not yet.
        await execute(db, "UPDATE digital_contents SET content_key = 'books/x.kfx', media_type = 'application/x-kfx',"
                          " file_size = 5000000000, location_count = 9000 WHERE product_id = $1", product_id)
        await execute(db, "DELETE FROM digital_contents WHERE product_id = (SELECT product_id FROM licences"
                          " WHERE id = $1)", older)
        device = await _device(http, me, "Kitchen reader")
        assert (await me(http, ACTIVATE, {"l": _gid(newer), "d": device}))["data"]["activateLicence"]["userErrors"] == []
        library = (await me(http, LIBRARY, {"first": 10}))["data"]["library"]
        product = (await fetch(db, "SELECT title, authors, images->0->>'url' AS cover FROM products WHERE id = $1",
                               product_id))[0]
        assert library["totalCount"] == 2
        first, second = library["nodes"]
        assert [first["id"], second["id"]] == [_gid(newer), _gid(older)]
        assert (first["title"], first["authors"], first["coverImageUrl"]) == (
            product["title"], list(product["authors"]), product["cover"])
        assert (first["kind"], first["status"], first["format"], first["productKind"]) == (
            "PURCHASE", "ACTIVE", "KINDLE", "EBOOK")
        assert (first["fileSize"], second["fileSize"]) == (5000000000, None)
        assert (first["deviceLimit"], first["activeDeviceCount"], second["activeDeviceCount"]) == (6, 1, 0)
        assert [a["device"] for a in first["activations"]] == [{"id": device, "name": "Kitchen reader"}]
        assert first["product"] == {"id": ids.encode("Product", product_id)}
        assert (await me(http, LIBRARY, {"kind": "RENTAL"}))["data"]["library"]["totalCount"] == 0
        page = (await me(http, LIBRARY, {"first": 1}))["data"]["library"]
        assert page["pageInfo"]["hasNextPage"]
        rest = (await me(http, LIBRARY, {"first": 1, "after": page["pageInfo"]["endCursor"]}))["data"]["library"]
        assert [n["id"] for n in rest["nodes"]] == [_gid(older)]
        anonymous = await http.post("/graphql", json={"query": LIBRARY})
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        other = await account(http, db, "other")
        assert (await other(http, LIBRARY))["data"]["library"]["totalCount"] == 0
        node = "query($id: ID!) { node(id: $id) { ... on Licence { title } } }"
        assert (await other(http, node, {"id": _gid(newer)}))["data"]["node"] is None
        assert (await me(http, node, {"id": _gid(newer)}))["data"]["node"]["title"] == product["title"]


async def test_activation_errors_are_user_errors_and_write_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        other = await account(http, db, "other")
        [mine] = await granted(db, me.account_id, await ebook_product_ids(db, 1), device_limit=1)
        [theirs] = await granted(db, other.account_id, await ebook_product_ids(db, 1))
        [expired, revoked] = await granted(db, me.account_id, (await ebook_product_ids(db, 3))[1:])
        await execute(db, "UPDATE licences SET status = 'EXPIRED' WHERE id = $1", expired)
        await execute(db, "UPDATE licences SET status = 'REVOKED', revoked_at = now() WHERE id = $1", revoked)
        first, second, gone = [await _device(http, me, n) for n in ("One", "Two", "Gone")]
        their_device = await _device(http, other)
        # Deregistering from the client would end this client's session, bound to the device last registered.
        await execute(db, "UPDATE devices SET deregistered_at = now() WHERE id = $1", ids.decode(gone)[1])
        ok = (await me(http, ACTIVATE, {"l": _gid(mine), "d": first}))["data"]["activateLicence"]
        assert ok["userErrors"] == [] and ok["licence"]["activeDeviceCount"] == 1
        assert ok["activation"]["device"]["id"] == first
        before = await _activations(db)
        for licence_id, device, code in ((mine, second, "DEVICE_LIMIT_REACHED"), (theirs, first, "NOT_FOUND"),
                                         (mine, their_device, "NOT_FOUND"), (expired, first, "LICENCE_EXPIRED"),
                                         (revoked, first, "LICENCE_REVOKED"), (mine, gone, "DEVICE_NOT_REGISTERED")):
            payload = (await me(http, ACTIVATE, {"l": _gid(licence_id), "d": device}))["data"]["activateLicence"]
            assert (payload["licence"], payload["activation"]) == (None, None)
            [error] = payload["userErrors"]
            assert error["code"] == code, (licence_id, device, error)
            assert error["message"]
            assert error["deviceLimit"] == (1 if code == "DEVICE_LIMIT_REACHED" else None)
        assert await _activations(db) == before
        wrong = await me(http, ACTIVATE, {"l": first, "d": first})
        assert [(e["code"], e["field"]) for e in wrong["data"]["activateLicence"]["userErrors"]] == [
            ("INVALID_ID", ["input", "licenceId"])]
        freed = (await me(http, DEACTIVATE, {"l": _gid(mine), "d": first}))["data"]["deactivateLicence"]
        assert (freed["userErrors"], freed["licence"]["activeDeviceCount"]) == ([], 0)
        assert (await me(http, ACTIVATE, {"l": _gid(mine), "d": second}))["data"]["activateLicence"]["userErrors"] == []
        refused = (await other(http, DEACTIVATE, {"l": _gid(mine), "d": second}))["data"]["deactivateLicence"]
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]


def test_every_code_a_licence_mutation_can_raise_is_a_declared_code():
    sources = "".join((Path(__file__).resolve().parents[3] / "domain" / "licences" / name).read_text()
                      for name in ("activation.py", "entities.py"))
    raised = set(re.findall(r'code=Licence(?:State)?ErrorCode\.([A-Z_]+)', sources)) | {"NOT_FOUND"}
    assert raised == {"LICENCE_REVOKED", "LICENCE_EXPIRED", "LICENCE_SUSPENDED", "DEVICE_LIMIT_REACHED", "DEVICE_NOT_REGISTERED",
                      "NOT_FOUND"}
    assert raised <= {m.name for m in LicenceErrorCode.members()}


async def test_library_sync_pages_tokens_and_revocations(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        other = await account(http, db, "other")
        ids_ = await granted(db, me.account_id, await ebook_product_ids(db, 3))
        first = (await me(http, SYNC, {"first": 2}))["data"]["librarySync"]
        assert [(c["seq"], c["kind"], c["licence"]["id"]) for c in first["changes"]] == [
            (1, "LICENCE_ADDED", _gid(ids_[0])), (2, "LICENCE_ADDED", _gid(ids_[1]))]
        assert first["hasMore"]
        await execute(db, "UPDATE licences SET status = 'REVOKED', revoked_at = now() WHERE id = $1", ids_[0])
        await execute(db, "INSERT INTO library_changes (account_id, seq, licence_id, kind) VALUES ($1, 4, $2,"
                          " 'LICENCE_REVOKED')", me.account_id, ids_[0])
        await execute(db, "UPDATE library_sync_states SET last_seq = 4 WHERE account_id = $1", me.account_id)
        rest = (await me(http, SYNC, {"since": first["nextToken"]}))["data"]["librarySync"]
        assert [(c["seq"], c["kind"], c["licence"]["status"]) for c in rest["changes"]] == [
            (3, "LICENCE_ADDED", "ACTIVE"), (4, "LICENCE_REVOKED", "REVOKED")]
        assert not rest["hasMore"]
        theirs = await other(http, SYNC, {"since": rest["nextToken"]})
        assert theirs["data"] is None
        error = theirs["errors"][0]
        assert (error["extensions"]["code"], error["extensions"]["reason"]) == ("BAD_USER_INPUT", "SYNC_TOKEN_INVALID")
        for bad in ("garbage", rest["nextToken"][:-2]):
            body = await me(http, SYNC, {"since": bad})
            assert body["errors"][0]["extensions"]["reason"] == "SYNC_TOKEN_INVALID"
        too_many = await me(http, SYNC, {"first": 101})
        assert too_many["errors"][0]["extensions"]["reason"] == "INVALID_PAGE_SIZE"
        anonymous = await http.post("/graphql", json={"query": SYNC})
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_page_costs_the_same_statements_whatever_its_size(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        licence_ids = await granted(db, me.account_id, await ebook_product_ids(db, 30))
        devices = [await _device(http, me, f"Reader {n}") for n in range(3)]
        for licence_id in licence_ids:
            for device in devices[: 1 + licence_id % 3]:
                await me(http, ACTIVATE, {"l": _gid(licence_id), "d": device})
        counts = {}
        for name, document, sizes in (("library", LIBRARY, (1, 25)), ("sync", SYNC, (1, 30))):
            for size in sizes:
                with count_statements() as counted:
                    body = await me(http, document, {"first": size})
                assert "errors" not in body, body
                counts[(name, size)] = counted.count
        # The viewer, the page, the activations, their devices and the products: one each.
        assert counts == {("library", 1): 5, ("library", 25): 5, ("sync", 1): 5, ("sync", 30): 5}
