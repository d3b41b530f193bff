"""Returning an e-book over HTTP: in time and barely read, it is refunded whole (payment,
seller's sale, order line, e-mail) and its licence revoked, which the next library sync shows;
every refusal writes nothing; a second return and two racing returns refund exactly once."""
import asyncio

import pytest

from api.core import ids
from tests.conftest import make_client
from tests.fixtures import chaos
from tests.fixtures.customer_service import TABLES, snapshot
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.identity import account
from tests.fixtures.licences import bought_ebook, ebook_product_ids, granted

pytestmark = pytest.mark.one_copy_per_file

RETURN = """mutation($licence: ID!, $reason: String!) { returnEbook(input: {licenceId: $licence, reason: $reason}) {
  licence { id status revokedAt activeDeviceCount }
  refund { id kind amount { amount currencyCode } reason }
  userErrors { code message field ... on OrderingError { percentRead } } } }"""
SYNC = """query($since: String) { librarySync(since: $since) { nextToken changes { kind licence { id status } } } }"""
ACTIVATE = """mutation($l: ID!, $d: ID!) { activateLicence(input: {licenceId: $l, deviceId: $d}) { userErrors { code } } }"""
REGISTER = """mutation { registerDevice(input: {kind: EREADER, name: "Reader"}) { device { id } } }"""
LOCATIONS = 1000
WRITTEN = (*TABLES, "licences", "licence_activations", "library_changes", "library_sync_states", "reading_states")


def _gid(licence_id: int) -> str:
    return ids.encode("Licence", licence_id)


async def _with_content(db, licence_id: int) -> None:
    await execute(db, "INSERT INTO digital_contents (product_id, content_key, media_type, file_size, location_count)"
                      " SELECT product_id, 'books/x.azw3', 'application/vnd.amazon.ebook', 1000, $2 FROM licences"
                      " WHERE id = $1 ON CONFLICT (product_id) DO UPDATE SET location_count = excluded.location_count",
                  licence_id, LOCATIONS)


async def _read_to(db, licence_id: int, furthest: int) -> None:
    await execute(db, "INSERT INTO reading_states (licence_id, last_position, last_position_at, furthest_position)"
                      " VALUES ($1, $2, now(), $2)", licence_id, furthest)


async def _line(db, licence_id: int):
    return (await fetch(db, "SELECT l.id, l.order_id, l.seller_id, l.line_total_minor, l.tax_minor,"
                            " l.refunded_minor FROM order_lines l JOIN licences c ON c.order_line_id = l.id"
                            " WHERE c.id = $1", licence_id))[0]


def _payload(body: dict) -> dict:
    assert "errors" not in body, body
    return body["data"]["returnEbook"]


async def test_an_ebook_returned_in_time_is_refunded_whole_and_leaves_every_device(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        licence_id = await bought_ebook(db, me.account_id)
        await _with_content(db, licence_id)
        await _read_to(db, licence_id, LOCATIONS // 10)  # exactly 10%: still returnable
        device = (await me(http, REGISTER))["data"]["registerDevice"]["device"]["id"]
        assert (await me(http, ACTIVATE, {"l": _gid(licence_id), "d": device}))["data"]["activateLicence"][
            "userErrors"] == []
        token = (await me(http, SYNC))["data"]["librarySync"]["nextToken"]
        line = await _line(db, licence_id)
        paid = line["line_total_minor"] + line["tax_minor"]
        assert paid > 0
        payment_id = await fetchval(db, "SELECT id FROM payments WHERE order_id = $1", line["order_id"])
        balance_before = await fetchval(db, "SELECT coalesce(sum(amount_minor), 0) FROM seller_ledger_entries"
                                            " WHERE seller_id = $1", line["seller_id"])

        returned = _payload(await me(http, RETURN, {"licence": _gid(licence_id), "reason": "Bought by mistake"}))

        assert returned["userErrors"] == []
        assert returned["licence"]["status"] == "REVOKED" and returned["licence"]["revokedAt"]
        assert returned["licence"]["activeDeviceCount"] == 0
        refund = returned["refund"]
        assert refund["kind"] == "RETURN" and "Bought by mistake" in refund["reason"]
        assert refund["amount"]["currencyCode"] == "USD"
        refunds = await fetch(db, "SELECT kind::text, amount_minor FROM order_refunds WHERE order_id = $1",
                              line["order_id"])
        assert [tuple(r) for r in refunds] == [("RETURN", paid)]
        assert await fetchval(db, "SELECT refunded_minor FROM order_lines WHERE id = $1", line["id"]) == paid
        assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE id = $1", payment_id) == paid
        reversal = await fetchval(db, "SELECT sum(amount_minor) FROM seller_ledger_entries WHERE kind = 'REFUND'"
                                      " AND reference LIKE $1", f"order-refund:%:line:{line['id']}")
        assert reversal == -line["line_total_minor"]  # the whole sale comes back; the tax was never the seller's
        balance_after = await fetchval(db, "SELECT coalesce(sum(amount_minor), 0) FROM seller_ledger_entries"
                                           " WHERE seller_id = $1", line["seller_id"])
        assert balance_after < balance_before
        assert await fetchval(db, "SELECT count(*) FROM order_events WHERE order_id = $1 AND kind = 'REFUNDED'",
                              line["order_id"]) == 1
        assert await fetchval(db, "SELECT count(*) FROM jobs WHERE payload->>'template' = 'refund_issued'"
                                  " AND payload->'context'->>'orderNumber' = (SELECT number FROM orders WHERE id = $1)",
                              line["order_id"]) == 1
        assert await fetchval(db, "SELECT count(*) FROM licence_activations WHERE licence_id = $1"
                                  " AND deactivated_at IS NULL", licence_id) == 0
        changes = (await me(http, SYNC, {"since": token}))["data"]["librarySync"]["changes"]
        assert changes == [{"kind": "LICENCE_REVOKED", "licence": {"id": _gid(licence_id), "status": "REVOKED"}}]

        before = await snapshot(db, WRITTEN)
        again = _payload(await me(http, RETURN, {"licence": _gid(licence_id), "reason": "Bought by mistake"}))
        assert [e["code"] for e in again["userErrors"]] == ["LICENCE_REVOKED"]
        assert (again["licence"], again["refund"]) == (None, None)
        assert await snapshot(db, WRITTEN) == before


async def test_every_refusal_writes_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        other = await account(http, db, "other")
        admin = await account(http, db, "admin", admin=True)
        mine = await bought_ebook(db, me.account_id)
        await _with_content(db, mine)
        too_old = await bought_ebook(db, me.account_id)
        await execute(db, "UPDATE licences SET created_at = now() - interval '7 days 1 minute' WHERE id = $1", too_old)
        read = await bought_ebook(db, me.account_id)
        await _with_content(db, read)
        await _read_to(db, read, LOCATIONS // 10 + 1)
        product = (await ebook_product_ids(db, 1))[0]
        membership = (await granted(db, me.account_id, [product], kind="MEMBERSHIP"))[0]
        rental = (await granted(db, me.account_id, [product], kind="RENTAL"))[0]
        gift = (await granted(db, me.account_id, [product]))[0]  # a PURCHASE licence that came from no order
        revoked = await bought_ebook(db, me.account_id)
        await execute(db, "UPDATE licences SET status = 'REVOKED', revoked_at = now() WHERE id = $1", revoked)

        cases = [
            (other, mine, "Mistake", "NOT_FOUND"),
            (admin, mine, "Mistake", "NOT_FOUND"),
            (me, mine, "  ", "REASON_REQUIRED"),
            (me, mine, "x" * 501, "REASON_REQUIRED"),
            (me, too_old, "Mistake", "RETURN_WINDOW_CLOSED"),
            (me, read, "Mistake", "READ_TOO_MUCH"),
            (me, membership, "Mistake", "NOT_RETURNABLE"),
            (me, rental, "Mistake", "NOT_RETURNABLE"),
            (me, gift, "Mistake", "NOT_RETURNABLE"),
            (me, revoked, "Mistake", "LICENCE_REVOKED"),
            (me, 10**12, "Mistake", "NOT_FOUND"),
        ]
        for caller, licence_id, reason, code in cases:
            before = await snapshot(db, WRITTEN)
            payload = _payload(await caller(http, RETURN, {"licence": _gid(licence_id), "reason": reason}))
            assert [e["code"] for e in payload["userErrors"]] == [code], (licence_id, payload)
            assert (payload["licence"], payload["refund"]) == (None, None)
            assert await snapshot(db, WRITTEN) == before, code
            if code == "READ_TOO_MUCH":
                assert payload["userErrors"][0]["percentRead"] == 10.1
        anonymous = (await http.post("/graphql", json={"query": RETURN, "variables": {
            "licence": _gid(mine), "reason": "Mistake"}})).json()
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_return_window_follows_the_setting(writable_database):
    db = writable_database
    async with make_client(db, ebook_return_days=3) as http:
        me = await account(http, db, "reader")
        late, in_time = await bought_ebook(db, me.account_id), await bought_ebook(db, me.account_id)
        await execute(db, "UPDATE licences SET created_at = now() - interval '4 days' WHERE id = $1", late)
        await execute(db, "UPDATE licences SET created_at = now() - interval '2 days' WHERE id = $1", in_time)
        refused = _payload(await me(http, RETURN, {"licence": _gid(late), "reason": "Mistake"}))
        assert [e["code"] for e in refused["userErrors"]] == ["RETURN_WINDOW_CLOSED"]
        assert "3 days" in refused["userErrors"][0]["message"]
        accepted = _payload(await me(http, RETURN, {"licence": _gid(in_time), "reason": "Mistake"}))
        assert accepted["userErrors"] == [] and accepted["licence"]["status"] == "REVOKED"


async def test_two_returns_at_once_refund_exactly_once(writable_database):
    db = writable_database
    async with make_client(db) as first, make_client(db) as second:
        me = await account(first, db, "reader")
        licence_id = await bought_ebook(db, me.account_id)
        line = await _line(db, licence_id)
        variables = {"licence": _gid(licence_id), "reason": "Mistake"}
        # Both calls wait on the order's row until the gate opens, so they really overlap.
        async with chaos.gate(db.url, "SELECT 1 FROM orders WHERE id = $1 FOR UPDATE", line["order_id"]):
            calls = [asyncio.create_task(me(http, RETURN, variables)) for http in (first, second)]
            # The second waits behind the first in the row's lock queue, not on the gate itself.
            await chaos.wait_for_backends(db.url, 2, query_like="SELECT id, number,%FROM orders%FOR UPDATE",
                                          state="active")
        results = [_payload(body) for body in await asyncio.gather(*calls)]
    codes = sorted(tuple(e["code"] for e in r["userErrors"]) for r in results)
    assert codes == [(), ("LICENCE_REVOKED",)]
    paid = line["line_total_minor"] + line["tax_minor"]
    assert [tuple(r) for r in await fetch(db, "SELECT kind::text, amount_minor FROM order_refunds"
                                              " WHERE order_id = $1", line["order_id"])] == [("RETURN", paid)]
    assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE order_id = $1", line["order_id"]) == paid
    assert await fetchval(db, "SELECT count(*) FROM library_changes WHERE licence_id = $1"
                              " AND kind = 'LICENCE_REVOKED'", licence_id) == 1
    assert await fetchval(db, "SELECT count(*) FROM seller_ledger_entries WHERE kind = 'REFUND'"
                              " AND reference LIKE $1", f"order-refund:%:line:{line['id']}") == 1

