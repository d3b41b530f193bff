"""Prime Reading over HTTP: products say whether Prime includes them; a member borrows one (a
MEMBERSHIP licence that syncs, goes on devices and downloads like a bought one), returns it, and
meets the limit; refusals are typed userErrors that write nothing; and a lapsed member's
borrowed e-books leave the library at the next sync (the membership lapsing through the renewal
sweep: a declined card, then the clock past the grace period), a rejoin within 7 days bringing
them back."""
from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from api.core import ids
from domain.licences import content
from domain.payments.test_provider import TestPaymentProvider
from tests.conftest import make_client
from tests.fixtures.customer_service import snapshot
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.identity import account
from tests.fixtures.subscriptions import renew

pytestmark = pytest.mark.one_copy_per_file

LICENCE = "id kind status title deviceLimit activeDeviceCount product { id includedWithPrime }"
BORROW = """mutation($id: ID!) { borrowTitle(input: {productId: $id}) { licence { %s }
  userErrors { code field message } } }""" % LICENCE
RETURN = """mutation($id: ID!) { returnBorrowedTitle(input: {licenceId: $id}) { licence { %s }
  userErrors { code field message } } }""" % LICENCE
JOIN = """mutation($token: String!) { joinPrime(input: {plan: PRIME_MONTHLY, paymentToken: $token, trial: false}) {
  membership { status currentPeriodEnd } userErrors { code } } }"""
SYNC = """query($since: String) { librarySync(since: $since) { nextToken hasMore
  changes { kind licence { id kind status title } } } }"""
BORROWED = "{ library(kind: MEMBERSHIP) { totalCount nodes { id status } } }"
REGISTER = """mutation { registerDevice(input: {kind: EREADER, name: "Kindle"}) { device { id } userErrors { code } } }"""
ACTIVATE = """mutation($l: ID!, $d: ID!) { activateLicence(input: {licenceId: $l, deviceId: $d}) {
  licence { activeDeviceCount } userErrors { code } } }"""
DOWNLOAD = """mutation($l: ID!, $d: ID!) { requestDownload(input: {licenceId: $l, deviceId: $d}) {
  download { url } userErrors { code } } }"""
PRODUCT = "query($id: ID!) { node(id: $id) { ... on Product { includedWithPrime } } }"
TABLES = ("licences", "library_changes", "library_sync_states", "memberships", "membership_events")


async def _included_ebooks(db, count: int) -> list[str]:
    """Global ids of e-books of the membership library that have content to download."""
    rows = await fetch(db, "SELECT p.id FROM products p JOIN digital_contents d ON d.product_id = p.id"
                           " WHERE p.membership_included AND p.format = 'KINDLE' AND p.archived_at IS NULL"
                           " ORDER BY p.id LIMIT $1", count)
    assert len(rows) == count
    return [ids.encode("Product", r["id"]) for r in rows]


async def _member(http, db, name: str, token: str = "tok_visa"):
    me = await account(http, db, name, kind="EREADER")
    joined = (await me(http, JOIN, {"token": token}))["data"]["joinPrime"]
    assert joined["userErrors"] == [], joined
    return me, joined["membership"]


async def _borrow(me, http, product: str) -> dict:
    return (await me(http, BORROW, {"id": product}))["data"]["borrowTitle"]


async def test_products_say_whether_prime_includes_them(gql, database):
    included, excluded = (await fetch(database, "SELECT (SELECT min(id) FROM products WHERE membership_included),"
                                                " (SELECT min(id) FROM products WHERE NOT membership_included)"))[0]
    for product, expected in ((included, True), (excluded, False)):
        body = await gql(PRODUCT, {"id": ids.encode("Product", product)})
        assert body["data"]["node"] == {"includedWithPrime": expected}


async def test_the_demo_data_includes_every_fourth_ebook_and_every_other_streaming_video(database):
    counts = {(r["format"], r["included"]): r["n"] for r in await fetch(
        database, "SELECT format::text AS format, membership_included AS included, count(*) AS n FROM products"
                  " GROUP BY 1, 2")}
    kindle = counts[("KINDLE", True)] + counts.get(("KINDLE", False), 0)
    streaming = counts[("STREAMING", True)] + counts.get(("STREAMING", False), 0)
    assert counts[("KINDLE", True)] == min(300, (kindle + 3) // 4)
    assert counts[("STREAMING", True)] == min(300, (streaming + 1) // 2)
    assert [key for key in counts if key[1] and key[0] not in ("KINDLE", "STREAMING")] == []


async def test_a_member_borrows_syncs_and_returns_a_title(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me, _ = await _member(http, db, "reader")
        [book] = await _included_ebooks(db, 1)

        borrowed = await _borrow(me, http, book)

        assert borrowed["userErrors"] == []
        licence = borrowed["licence"]
        assert (licence["kind"], licence["status"], licence["deviceLimit"], licence["product"]) == (
            "MEMBERSHIP", "ACTIVE", 6, {"id": book, "includedWithPrime": True})
        synced = (await me(http, SYNC))["data"]["librarySync"]
        assert [(c["kind"], c["licence"]["id"]) for c in synced["changes"]] == [("LICENCE_ADDED", licence["id"])]
        assert (await me(http, BORROWED))["data"]["library"] == {
            "totalCount": 1, "nodes": [{"id": licence["id"], "status": "ACTIVE"}]}

        returned = (await me(http, RETURN, {"id": licence["id"]}))["data"]["returnBorrowedTitle"]
        assert (returned["userErrors"], returned["licence"]["status"]) == ([], "REVOKED")
        later = (await me(http, SYNC, {"since": synced["nextToken"]}))["data"]["librarySync"]
        assert [(c["kind"], c["licence"]["status"]) for c in later["changes"]] == [("LICENCE_REVOKED", "REVOKED")]
        again = (await me(http, RETURN, {"id": licence["id"]}))["data"]["returnBorrowedTitle"]
        assert again["userErrors"] == [{"code": "NOT_BORROWED", "field": ["input", "licenceId"],
                                        "message": again["userErrors"][0]["message"]}]


async def test_refusals_are_typed_user_errors_that_write_nothing(writable_database):
    db = writable_database
    async with make_client(db, prime_borrow_limit=2) as http:
        stranger = await account(http, db, "stranger")
        me, _ = await _member(http, db, "reader")
        books = await _included_ebooks(db, 3)
        not_included = ids.encode("Product", await fetchval(
            db, "SELECT min(id) FROM products WHERE NOT membership_included AND format = 'KINDLE'"))
        for book in books[:2]:
            assert (await _borrow(me, http, book))["userErrors"] == []
        before = await snapshot(db, TABLES)

        def codes(payload):
            return [(e["code"], e["field"]) for e in payload["userErrors"]], payload["licence"]

        assert codes(await _borrow(stranger, http, books[2])) == ([("NOT_A_MEMBER", None)], None)
        assert codes(await _borrow(me, http, not_included)) == ([("NOT_INCLUDED", ["input", "productId"])], None)
        assert codes(await _borrow(me, http, books[0])) == ([("ALREADY_IN_LIBRARY", ["input", "productId"])], None)
        limited = await _borrow(me, http, books[2])
        assert codes(limited) == ([("BORROW_LIMIT_REACHED", ["input", "productId"])], None)
        assert "return one first" in limited["userErrors"][0]["message"]
        assert codes(await _borrow(me, http, ids.encode("Licence", 1))) == ([("INVALID_ID", ["input", "productId"])],
                                                                            None)
        anonymous = (await http.post("/graphql", json={"query": BORROW, "variables": {"id": books[2]}})).json()
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

        assert await snapshot(db, TABLES) == before


async def test_a_lapsed_members_borrowed_ebooks_leave_the_library_at_the_next_sync(writable_database, tmp_path):
    db = writable_database
    async with make_client(db, content_dir=tmp_path) as http, TestPaymentProvider(db.url) as provider:
        conn = await asyncpg.connect(db.url)
        try:
            await content.ensure_demo_files(conn, content.FileSystemContentStore(tmp_path))
        finally:
            await conn.close()
        me, membership = await _member(http, db, "lapsing", token="tok_visa_declines_after_1")
        device = (await me(http, REGISTER))["data"]["registerDevice"]["device"]["id"]
        borrowed = [(await _borrow(me, http, book))["licence"]["id"] for book in await _included_ebooks(db, 2)]
        assert (await me(http, ACTIVATE, {"l": borrowed[0], "d": device}))["data"]["activateLicence"][
            "licence"] == {"activeDeviceCount": 1}
        download = (await me(http, DOWNLOAD, {"l": borrowed[0], "d": device}))["data"]["requestDownload"]
        assert download["userErrors"] == [] and (await http.get(download["download"]["url"])).status_code == 200
        synced = (await me(http, SYNC))["data"]["librarySync"]
        assert [c["kind"] for c in synced["changes"]] == ["LICENCE_ADDED", "LICENCE_ADDED"]

        # The renewal is declined, and so are its retries on days 1, 3 and 7 of the grace period.
        due = (await fetch(db, "SELECT current_period_end FROM memberships WHERE account_id = $1",
                           me.account_id))[0][0]
        for day in (0, 1, 3):
            await renew(db, provider, now=due + timedelta(days=day))
            assert (await me(http, SYNC, {"since": synced["nextToken"]}))["data"]["librarySync"]["changes"] == []
        await renew(db, provider, now=due + timedelta(days=7))

        lapsed = (await me(http, SYNC, {"since": synced["nextToken"]}))["data"]["librarySync"]
        assert [(c["kind"], c["licence"]["id"], c["licence"]["status"]) for c in lapsed["changes"]] == [
            ("LICENCE_EXPIRED", licence, "EXPIRED") for licence in borrowed]
        assert (await me(http, DOWNLOAD, {"l": borrowed[0], "d": device}))["data"]["requestDownload"] == {
            "download": None, "userErrors": [{"code": "LICENCE_EXPIRED"}]}
        assert (await http.get(download["download"]["url"])).status_code == 403
        assert (await me(http, ACTIVATE, {"l": borrowed[1], "d": device}))["data"]["activateLicence"][
            "userErrors"] == [{"code": "LICENCE_EXPIRED"}]
        assert (await me(http, BORROWED))["data"]["library"]["nodes"] == [
            {"id": licence, "status": "EXPIRED"} for licence in reversed(borrowed)]

        # Joining again within 7 days of the lapse brings them back at the next sync.
        rejoined = (await me(http, JOIN, {"token": "tok_visa"}))["data"]["joinPrime"]
        assert rejoined["userErrors"] == []
        back = (await me(http, SYNC, {"since": lapsed["nextToken"]}))["data"]["librarySync"]
        assert [(c["kind"], c["licence"]["id"], c["licence"]["status"]) for c in back["changes"]] == [
            ("LICENCE_ADDED", licence, "ACTIVE") for licence in borrowed]
