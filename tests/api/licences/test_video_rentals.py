"""Videos over HTTP: a rental comes from a RENT offer, starts its 48-hour window at the first
play, streams through a signed URL, and expires; playback reports add up, and a rental that
played badly is refunded automatically, once (money, seller, order line, e-mail), even when
reports race; every refusal writes nothing."""
import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from api.core import ids
from domain.licences import content
from tests.conftest import make_client
from tests.fixtures import chaos
from tests.fixtures.customer_service import TABLES, snapshot
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.identity import account
from tests.fixtures.jobs import worker
from tests.fixtures.licences import bought, bought_ebook, rented

pytestmark = pytest.mark.one_copy_per_file

REGISTER = """mutation { registerDevice(input: {kind: MOBILE, name: "Tablet"}) { device { id } } }"""
ACTIVATE = """mutation($l: ID!, $d: ID!) { activateLicence(input: {licenceId: $l, deviceId: $d}) { userErrors { code } } }"""
START = """mutation($l: ID!, $d: ID!) { startPlayback(input: {licenceId: $l, deviceId: $d}) {
  licence { id kind status rentalExpiresAt playWindowEndsAt }
  stream { url expiresAt fileSize mediaType } userErrors { code field } } }"""
DOWNLOAD = """mutation($l: ID!, $d: ID!) { requestDownload(input: {licenceId: $l, deviceId: $d}) {
  download { url } userErrors { code } } }"""
REPORT = """mutation($input: ReportPlaybackInput!) { reportPlayback(input: $input) {
  licence { id playbackRefundedAt }
  quality { reportCount watchedSeconds rebufferingSeconds averageBitrateKbps errorCount problems }
  refunded refund { kind amount { amount } reason }
  userErrors { code field message } } }"""
SYNC = """query($since: String) { librarySync(since: $since) { nextToken changes { kind licence { id status } } } }"""
WRITTEN = (*TABLES, "licences", "playback_reports", "library_changes", "jobs")


def _gid(licence_id: int) -> str:
    return ids.encode("Licence", licence_id)


def _data(body: dict, name: str) -> dict:
    assert "errors" not in body, body
    return body["data"][name]


def _report(licence: int, device: str, *, watched=600, rebuffering=0, bitrate=4000, errors=(), report_id=None):
    return {"input": {"licenceId": _gid(licence), "deviceId": device, "reportId": report_id or str(uuid.uuid4()),
                      "watchedSeconds": watched, "rebufferingSeconds": rebuffering, "averageBitrateKbps": bitrate,
                      "errors": list(errors)}}


async def _device(me, http, licence: int) -> str:
    device = _data(await me(http, REGISTER), "registerDevice")["device"]["id"]
    assert _data(await me(http, ACTIVATE, {"l": _gid(licence), "d": device}), "activateLicence")["userErrors"] == []
    return device


async def _started_rental(db, http):
    me = await account(http, db, "viewer")
    (licence,) = await rented(db, me.account_id)
    device = await _device(me, http, licence)
    assert _data(await me(http, START, {"l": _gid(licence), "d": device}), "startPlayback")["userErrors"] == []
    return me, licence, device


async def _line(db, licence_id: int):
    return (await fetch(db, "SELECT l.id, l.order_id, l.line_total_minor, l.tax_minor, l.refunded_minor"
                            " FROM order_lines l JOIN licences c ON c.order_line_id = l.id WHERE c.id = $1",
                        licence_id))[0]


@pytest.mark.own_copy
async def test_a_rent_offer_issues_a_rental_that_starts_at_first_play_and_streams(writable_database, tmp_path):
    db = writable_database
    async with make_client(db, content_dir=tmp_path) as http:
        me = await account(http, db, "viewer")
        (licence,) = await rented(db, me.account_id)
        row = (await fetch(db, "SELECT kind::text, status::text, rental_expires_at - created_at AS deadline,"
                               " first_played_at FROM licences WHERE id = $1", licence))[0]
        assert (row["kind"], row["status"], row["deadline"], row["first_played_at"]) == \
            ("RENTAL", "ACTIVE", timedelta(days=30), None)
        deadline = await fetchval(db, "SELECT rental_expires_at FROM licences WHERE id = $1", licence)
        assert await fetchval(db, "SELECT run_at FROM jobs WHERE kind = 'licences.expire_rental'"
                                  " AND payload->>'licenceId' = $1", str(licence)) == deadline
        lines = _data(await me(http, "{ orders(first: 1) { nodes { lines { purchaseOption digital } } } }"),
                      "orders")["nodes"][0]["lines"]
        assert lines == [{"purchaseOption": "RENT", "digital": True}]
        device = await _device(me, http, licence)
        # A rental streams; it is not downloaded.
        refused = _data(await me(http, DOWNLOAD, {"l": _gid(licence), "d": device}), "requestDownload")
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_DOWNLOADABLE"]

        started = _data(await me(http, START, {"l": _gid(licence), "d": device}), "startPlayback")
        assert started["userErrors"] == []
        shown = started["licence"]
        ends = datetime.fromisoformat(shown["playWindowEndsAt"])
        assert abs(ends - (datetime.now(UTC) + timedelta(hours=48))) < timedelta(minutes=1)
        again = _data(await me(http, START, {"l": _gid(licence), "d": device}), "startPlayback")
        assert again["licence"]["playWindowEndsAt"] == shown["playWindowEndsAt"]  # the window started once
        assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = 'licences.expire_rental'"
                                  " AND payload->>'licenceId' = $1", str(licence)) == 2
        conn = await asyncpg.connect(db.url)
        try:
            await content.ensure_demo_files(conn, content.FileSystemContentStore(tmp_path))
        finally:
            await conn.close()
        assert started["stream"]["url"].startswith("http://localhost:8000/downloads/")
        got = await http.get(started["stream"]["url"])
        assert got.status_code == 200 and len(got.content) == started["stream"]["fileSize"]
        assert "demo stream" in got.text

        # The window ends: the expiry job expires it, devices drop it, and it no longer plays.
        await execute(db, "UPDATE licences SET play_window_ends_at = now() - interval '1 second' WHERE id = $1",
                      licence)
        assert (await http.get(started["stream"]["url"])).status_code == 403
        await execute(db, "UPDATE jobs SET run_at = now() WHERE kind = 'licences.expire_rental'")
        assert (await worker(db).run_once()).failed == 0
        assert await fetch(db, "SELECT status::text FROM jobs WHERE kind = 'licences.expire_rental'") == \
            [("DONE",), ("DONE",)]
        assert await fetchval(db, "SELECT status::text FROM licences WHERE id = $1", licence) == "EXPIRED"
        changes = _data(await me(http, SYNC), "librarySync")["changes"]
        # Added, its window started (other devices refresh it), then expired.
        assert [c["kind"] for c in changes] == ["LICENCE_ADDED", "METADATA_CHANGED", "LICENCE_EXPIRED"]
        over = _data(await me(http, START, {"l": _gid(licence), "d": device}), "startPlayback")
        assert [e["code"] for e in over["userErrors"]] == ["LICENCE_EXPIRED"]


async def test_a_rental_not_started_within_30_days_no_longer_starts(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "viewer")
        (licence,) = await rented(db, me.account_id)
        device = await _device(me, http, licence)
        await execute(db, "UPDATE licences SET rental_expires_at = now() - interval '1 second' WHERE id = $1", licence)
        before = await snapshot(db, WRITTEN)
        body = _data(await me(http, START, {"l": _gid(licence), "d": device}), "startPlayback")
        assert [e["code"] for e in body["userErrors"]] == ["LICENCE_EXPIRED"]
        assert await snapshot(db, WRITTEN) == before


async def test_an_ebook_is_not_played(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        licence = await bought_ebook(db, me.account_id)
        device = await _device(me, http, licence)
        body = _data(await me(http, START, {"l": _gid(licence), "d": device}), "startPlayback")
        assert [e["code"] for e in body["userErrors"]] == ["NOT_PLAYABLE"]
        report = _data(await me(http, REPORT, _report(licence, device)), "reportPlayback")
        assert [e["code"] for e in report["userErrors"]] == ["NOT_PLAYABLE"]


@pytest.mark.own_copy
async def test_a_rental_that_played_badly_is_refunded_once_and_the_customer_told(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me, licence, device = await _started_rental(db, http)
        line = await _line(db, licence)
        good = _data(await me(http, REPORT, _report(licence, device, watched=1200, rebuffering=30)), "reportPlayback")
        assert (good["refunded"], good["refund"], good["quality"]["problems"]) == (False, None, [])
        # 150 more seconds stalled: 180 of 1380 seconds played, more than 10%.
        bad_id = str(uuid.uuid4())
        bad = _data(await me(http, REPORT, _report(licence, device, watched=0, rebuffering=150, report_id=bad_id)),
                    "reportPlayback")
        assert bad["userErrors"] == []
        assert bad["quality"] == {"reportCount": 2, "watchedSeconds": 1200, "rebufferingSeconds": 180,
                                  "averageBitrateKbps": 4000, "errorCount": 0, "problems": ["REBUFFERING"]}
        paid = line["line_total_minor"] + line["tax_minor"]
        assert bad["refunded"] is True and bad["refund"]["kind"] == "PLAYBACK_QUALITY"
        assert bad["refund"]["amount"]["amount"] == f"{paid / 100:.2f}"
        assert bad["licence"]["playbackRefundedAt"] is not None
        assert await fetchval(db, "SELECT refunded_minor FROM order_lines WHERE id = $1", line["id"]) == paid
        assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE order_id = $1", line["order_id"]) == paid
        mail = await fetch(db, "SELECT payload FROM jobs WHERE kind = 'email.send'"
                               " AND payload->>'template' = 'rental_refunded'")
        assert len(mail) == 1
        # The same report sent again, and another bad one: counted once, refunded nothing more.
        again = _data(await me(http, REPORT, _report(licence, device, watched=0, rebuffering=150, report_id=bad_id)),
                      "reportPlayback")
        assert (again["refunded"], again["quality"]["reportCount"]) == (False, 2)
        # (600 more seconds watched well bring rebuffering under 10%: the totals decide.)
        worse = _data(await me(http, REPORT, _report(licence, device, errors=["E1", "E2", "E3"])), "reportPlayback")
        assert (worse["refunded"], worse["quality"]["problems"]) == (False, ["ERRORS"])
        assert await fetchval(db, "SELECT count(*) FROM order_refunds WHERE order_id = $1", line["order_id"]) == 1
        # It still plays for the rest of its window.
        assert await fetchval(db, "SELECT status::text FROM licences WHERE id = $1", licence) == "ACTIVE"


@pytest.mark.own_copy
async def test_a_bought_video_that_played_badly_is_not_refunded(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "viewer")
        (licence,) = await bought(db, me.account_id, "p.kind = 'VIDEO' AND p.format = 'STREAMING'"
                                                     " AND o.purchase_option = 'BUY'")
        device = await _device(me, http, licence)
        body = _data(await me(http, REPORT, _report(licence, device, errors=["E1", "E2", "E3", "E4"])),
                     "reportPlayback")
        assert (body["refunded"], body["quality"]["problems"], body["userErrors"]) == (False, ["ERRORS"], [])
        assert await fetchval(db, "SELECT count(*) FROM order_refunds") == 0


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"watchedSeconds": -1}, "INVALID", ["input", "watchedSeconds"]),
    ({"rebufferingSeconds": 86_401}, "INVALID", ["input", "rebufferingSeconds"]),
    ({"averageBitrateKbps": 1_000_001}, "INVALID", ["input", "averageBitrateKbps"]),
    ({"errors": ["E"] * 21}, "INVALID", ["input", "errors"]),
    ({"errors": [" "]}, "INVALID", ["input", "errors", "0"]),
])
async def test_a_malformed_report_is_refused_and_nothing_written(writable_database, change, code, field):
    db = writable_database
    async with make_client(db) as http:
        me, licence, device = await _started_rental(db, http)
        before = await snapshot(db, WRITTEN)
        variables = _report(licence, device, errors=["E1", "E2", "E3"])
        variables["input"].update(change)
        body = _data(await me(http, REPORT, variables), "reportPlayback")
        assert [(e["code"], e["field"]) for e in body["userErrors"]] == [(code, field)]
        assert await snapshot(db, WRITTEN) == before


async def test_reports_on_what_is_not_yours_or_not_playing_are_refused(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me, licence, device = await _started_rental(db, http)
        other = await account(http, db, "other")
        other_device = _data(await other(http, REGISTER), "registerDevice")["device"]["id"]
        (unstarted,) = await rented(db, me.account_id)
        used_id = str(uuid.uuid4())
        _data(await me(http, REPORT, _report(licence, device, report_id=used_id)), "reportPlayback")
        before = await snapshot(db, WRITTEN)
        cases = [
            (other, _report(licence, other_device), "NOT_FOUND"),
            (me, _report(licence, other_device), "DEVICE_NOT_REGISTERED"),
            (me, _report(unstarted, device), "PLAYBACK_NOT_STARTED"),
            (me, _report(unstarted, device, report_id=used_id), "PLAYBACK_NOT_STARTED"),
        ]
        for caller, variables, code in cases:
            body = _data(await caller(http, REPORT, variables), "reportPlayback")
            assert [e["code"] for e in body["userErrors"]] == [code], (variables, body)
        await execute(db, "UPDATE licences SET first_played_at = now(), play_window_ends_at = now() + interval"
                          " '1 hour' WHERE id = $1", unstarted)
        reused = _data(await me(http, REPORT, _report(unstarted, device, report_id=used_id)), "reportPlayback")
        assert [(e["code"], e["field"]) for e in reused["userErrors"]] == [("INVALID", ["input", "reportId"])]
        await execute(db, "UPDATE licences SET status = 'REVOKED', revoked_at = now() WHERE id = $1", licence)
        revoked = _data(await me(http, REPORT, _report(licence, device)), "reportPlayback")
        assert [e["code"] for e in revoked["userErrors"]] == ["LICENCE_REVOKED"]
        after = await snapshot(db, WRITTEN)
        assert after["playback_reports"] == before["playback_reports"]
        assert after["order_refunds"] == before["order_refunds"]


@pytest.mark.own_copy
async def test_bad_reports_racing_on_one_rental_refund_it_exactly_once(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me, licence, device = await _started_rental(db, http)
        line = await _line(db, licence)
    clients = [make_client(db) for _ in range(4)]
    try:
        async with chaos.gate(db.url, "SELECT 1 FROM orders WHERE id = $1 FOR UPDATE", line["order_id"]):
            calls = [asyncio.create_task(me(client, REPORT, _report(licence, device, errors=["E1", "E2", "E3"])))
                     for client in clients]
            # Every report waits on the order's row, on its own connection.
            await chaos.wait_for_backends(db.url, len(clients), query_like="SELECT id, number,%FROM orders%FOR UPDATE",
                                          state="active")
        results = [_data(body, "reportPlayback") for body in await asyncio.gather(*calls)]
    finally:
        for client in clients:
            await client.aclose()
    assert all(r["userErrors"] == [] for r in results)
    assert sorted(r["refunded"] for r in results) == [False] * 3 + [True]
    assert sorted(r["quality"]["reportCount"] for r in results) == [1, 2, 3, 4]
    paid = line["line_total_minor"] + line["tax_minor"]
    assert [tuple(r) for r in await fetch(db, "SELECT kind::text, amount_minor FROM order_refunds WHERE order_id = $1",
                                          line["order_id"])] == [("PLAYBACK_QUALITY", paid)]
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE payload->>'template' = 'rental_refunded'") == 1


@pytest.mark.own_copy
async def test_two_devices_starting_a_rental_at_once_start_one_window(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "viewer")
        (licence,) = await rented(db, me.account_id)
        devices = [await _device(me, http, licence) for _ in range(2)]
    clients = [make_client(db) for _ in devices]
    try:
        async with chaos.gate(db.url, "SELECT 1 FROM licences WHERE id = $1 FOR UPDATE", licence):
            calls = [asyncio.create_task(me(client, START, {"l": _gid(licence), "d": device}))
                     for client, device in zip(clients, devices, strict=True)]
            await chaos.wait_for_backends(db.url, 2, query_like="SELECT l.id, l.account_id%FOR UPDATE OF l",
                                          state="active")
        results = [_data(body, "startPlayback") for body in await asyncio.gather(*calls)]
    finally:
        for client in clients:
            await client.aclose()
    assert [r["userErrors"] for r in results] == [[], []]
    assert len({r["licence"]["playWindowEndsAt"] for r in results}) == 1
    assert await fetchval(db, "SELECT count(*) FROM library_changes WHERE licence_id = $1"
                              " AND kind = 'METADATA_CHANGED'", licence) == 1
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = 'licences.expire_rental'") == 2
