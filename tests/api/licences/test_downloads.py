"""Signed downloads: a URL for one licence on one device, valid for minutes, streaming the
e-book's file; every other use of it is a 403, and refusals to sign are typed errors."""
from __future__ import annotations

import time

import asyncpg
import pytest

from api.core import ids
from domain.identity import tokens
from domain.licences import content, downloads
from domain.shared.config import Settings
from tests.conftest import make_client
from tests.fixtures.db import execute, fetchval
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

REGISTER = """mutation($name: String!) { registerDevice(input: {kind: EREADER, name: $name}) {
  device { id } userErrors { code } } }"""
REQUEST = """mutation($l: ID!, $d: ID!) { requestDownload(input: {licenceId: $l, deviceId: $d}) {
  download { url expiresAt fileSize mediaType } userErrors { code field } } }"""


async def _setup(db, http, tmp_path):
    me = await account(http, db, "reader", kind="EREADER")
    device = (await me(http, REGISTER, {"name": "Kindle"}))["data"]["registerDevice"]["device"]["id"]
    product = await fetchval(db, "SELECT product_id FROM digital_contents ORDER BY product_id LIMIT 1")
    licence = await fetchval(db, "INSERT INTO licences (account_id, product_id, kind) VALUES ($1, $2, 'PURCHASE')"
                                 " RETURNING id", me.account_id, product)
    await execute(db, "INSERT INTO licence_activations (licence_id, device_id) VALUES ($1, $2)",
                  licence, ids.decode(device)[1])
    conn = await asyncpg.connect(db.url)
    try:
        await content.ensure_demo_files(conn, content.FileSystemContentStore(tmp_path))
    finally:
        await conn.close()
    return me, device, licence, product


async def test_a_signed_url_streams_the_book_to_that_device_only(writable_database, tmp_path):
    db = writable_database
    async with make_client(db, content_dir=tmp_path) as http:
        me, device, licence, product = await _setup(db, http, tmp_path)
        gid = ids.encode("Licence", licence)
        body = (await me(http, REQUEST, {"l": gid, "d": device}))["data"]["requestDownload"]
        assert body["userErrors"] == []
        link = body["download"]
        assert link["url"].startswith(f"http://localhost:8000/downloads/{licence}/{ids.decode(device)[1]}?expires=")
        got = await http.get(link["url"])
        assert got.status_code == 200, got.text
        row = await fetchval(db, "SELECT title FROM products WHERE id = $1", product)
        assert got.text.startswith(row) and len(got.content) == link["fileSize"]
        assert got.headers["cache-control"] == "private, no-store"
        # Tampered: another licence or device in the path, or a changed signature or expiry.
        other_device = (await me(http, REGISTER, {"name": "Phone"}))["data"]["registerDevice"]["device"]["id"]
        path, query = link["url"].split("?")
        swapped = f"/downloads/{licence}/{ids.decode(other_device)[1]}?{query}"
        refused = await http.get(swapped)
        assert refused.status_code == 403
        [error] = refused.json()["errors"]  # the API's one error shape
        assert error["extensions"] == {"code": "FORBIDDEN"} and "not valid" in error["message"]
        assert (await http.get(link["url"][:-1] + ("0" if link["url"][-1] != "0" else "1"))).status_code == 403
        expires = int(query.split("expires=")[1].split("&")[0])
        assert (await http.get(link["url"].replace(f"expires={expires}", f"expires={expires + 60}"))).status_code \
            == 403
        assert (await http.get(path)).status_code == 403
        # Correctly signed but expired.
        secret = tokens.signing_key(Settings(env="development"))
        past = int(time.time()) - 1
        expired = f"/downloads/{licence}/{ids.decode(device)[1]}?expires={past}" \
                  f"&signature={downloads.signature(secret, licence, ids.decode(device)[1], past)}"
        assert (await http.get(expired)).status_code == 403
        # Correctly signed for a device the licence is not activated on.
        later = int(time.time()) + 120
        other = ids.decode(other_device)[1]
        unactivated = f"/downloads/{licence}/{other}?expires={later}&signature=" \
                      f"{downloads.signature(secret, licence, other, later)}"
        assert (await http.get(unactivated)).status_code == 403
        # Revoked after the URL was handed out.
        await execute(db, "UPDATE licences SET status = 'REVOKED', revoked_at = now() WHERE id = $1", licence)
        assert (await http.get(link["url"])).status_code == 403


async def test_the_url_is_on_the_public_address(writable_database, tmp_path):
    db = writable_database
    async with make_client(db, content_dir=tmp_path, public_url="https://books.example/") as http:
        me, device, licence, _ = await _setup(db, http, tmp_path)
        link = (await me(http, REQUEST, {"l": ids.encode("Licence", licence), "d": device})
                )["data"]["requestDownload"]["download"]
        assert link["url"].startswith(f"https://books.example/downloads/{licence}/")
        assert (await http.get(link["url"])).status_code == 200


async def test_a_deregistered_device_gets_403(writable_database, tmp_path):
    db = writable_database
    async with make_client(db, content_dir=tmp_path) as http:
        me, device, licence, _ = await _setup(db, http, tmp_path)
        link = (await me(http, REQUEST, {"l": ids.encode("Licence", licence), "d": device})
                )["data"]["requestDownload"]["download"]
        await execute(db, "UPDATE devices SET deregistered_at = now() WHERE id = $1", ids.decode(device)[1])
        assert (await http.get(link["url"])).status_code == 403


async def test_refusals_are_typed(writable_database, tmp_path):
    db = writable_database
    async with make_client(db, content_dir=tmp_path) as http:
        me, device, licence, _ = await _setup(db, http, tmp_path)
        stranger = await account(http, db, "stranger")
        gid = ids.encode("Licence", licence)

        async def code(caller, device_id):
            errors = (await caller(http, REQUEST, {"l": gid, "d": device_id}))["data"]["requestDownload"]["userErrors"]
            return errors[0]["code"] if errors else None

        assert await code(stranger, device) == "NOT_FOUND"
        other = (await me(http, REGISTER, {"name": "Phone"}))["data"]["registerDevice"]["device"]["id"]
        assert await code(me, other) == "LICENCE_NOT_ACTIVATED"
        stranger_device = (await stranger(http, REGISTER, {"name": "Theirs"}))["data"]["registerDevice"]["device"]["id"]
        assert await code(me, stranger_device) == "DEVICE_NOT_REGISTERED"
        await execute(db, "UPDATE licences SET status = 'REVOKED', revoked_at = now() WHERE id = $1", licence)
        assert await code(me, device) == "LICENCE_REVOKED"
        anonymous = await http.post("/graphql", json={"query": REQUEST, "variables": {"l": gid, "d": device}})
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
