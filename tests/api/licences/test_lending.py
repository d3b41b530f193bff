"""E-book lending over HTTP, with two customers: lending suspends the lender's licence (their
devices learn it at the next sync), the invited customer accepts and reads a LOAN licence for 14
days, and the hourly sweep ends loans exactly once with the clock moved: a loan not accepted in 7
days and a loan at its end both give the book back. Every refusal is a typed `userError` that
writes nothing, and two lends of one licence at once make one loan."""
import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from api.core import ids
from domain.licences import service as licences
from domain.shared.unit_of_work import UnitOfWork
from tests.conftest import count_statements, make_client
from tests.fixtures.customer_service import committed, snapshot
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.identity import account
from tests.fixtures.jobs import worker
from tests.fixtures.lending import NOT_LENDABLE, invitation_token, lendable_ebook, lendable_ebooks
from tests.fixtures.licences import granted, rented
from tests.fixtures.subscriptions import install_clock

pytestmark = pytest.mark.one_copy_per_file

LOAN = "id status title lenderName borrowerEmail lentByYou lentAt acceptBy acceptedAt endsAt endedAt"
LEND = """mutation($l: ID!, $e: String!) { lendEbook(input: {licenceId: $l, email: $e}) {
  loan { %s } userErrors { code field message } } }""" % LOAN
ACCEPT = """mutation($input: EbookLoanAnswerInput!) { acceptEbookLoan(input: $input) {
  loan { %s } userErrors { code field } } }""" % LOAN
DECLINE = """mutation($input: EbookLoanAnswerInput!) { declineEbookLoan(input: $input) {
  loan { %s } userErrors { code field } } }""" % LOAN
RETURN = """mutation($id: ID!) { returnEbookLoan(input: {loanId: $id}) { loan { %s } userErrors { code field } } }""" % LOAN
SYNC = """query($since: String) { librarySync(since: $since) { nextToken
  changes { kind licence { id kind status loan { status endsAt } } } } }"""
LOANS = "{ viewer { customer { ebookLoans(first: 10) { totalCount edges { node { id status lentByYou } } } } } }"
REGISTER = """mutation { registerDevice(input: {kind: EREADER, name: "Reader"}) { device { id } } }"""
ACTIVATE = """mutation($l: ID!, $d: ID!) { activateLicence(input: {licenceId: $l, deviceId: $d}) { userErrors { code } } }"""
WRITTEN = ("ebook_loans", "licences", "library_changes", "library_sync_states", "jobs", "licence_activations")


def _gid(licence_id: int) -> str:
    return ids.encode("Licence", licence_id)


def _data(body: dict, name: str) -> dict:
    assert "errors" not in body, body
    return body["data"][name]


async def _sync(caller, http, since: str | None) -> tuple[list[tuple], str]:
    page = _data(await caller(http, SYNC, {"since": since}), "librarySync")
    return [(c["kind"], c["licence"]["kind"], c["licence"]["status"]) for c in page["changes"]], page["nextToken"]


async def _sweep(db, at: datetime):
    async with UnitOfWork(db) as uow:
        stats = await licences.end_due_loans(uow.session, at)
        await uow.commit()
    return stats.not_accepted, stats.returned


@pytest.mark.own_copy
async def test_a_lent_ebook_is_suspended_then_borrowed_for_14_days_and_comes_back_at_the_end(
        writable_database, monkeypatch):
    db = writable_database
    now = install_clock(monkeypatch, datetime.now(UTC).replace(microsecond=0))
    async with make_client(db) as http:
        lender = await account(http, db, "lender")
        borrower = await account(http, db, "borrower")
        licence = await lendable_ebook(db, lender.account_id)
        device = _data(await lender(http, REGISTER), "registerDevice")["device"]["id"]
        assert _data(await lender(http, ACTIVATE, {"l": _gid(licence), "d": device}), "activateLicence")["userErrors"] == []
        _, lender_token = await _sync(lender, http, None)

        lend = _data(await lender(http, LEND, {"l": _gid(licence), "e": borrower.email.upper()}), "lendEbook")

        assert lend["userErrors"] == []
        loan = lend["loan"]
        assert (loan["status"], loan["lentByYou"], loan["acceptedAt"], loan["endsAt"]) == ("PENDING", True, None, None)
        assert loan["borrowerEmail"] == borrower.email[0].upper() + "***@example.com"
        assert datetime.fromisoformat(loan["acceptBy"]) - datetime.fromisoformat(loan["lentAt"]) == timedelta(days=7)
        changes, lender_token = await _sync(lender, http, lender_token)
        assert changes == [("LICENCE_SUSPENDED", "PURCHASE", "SUSPENDED")]
        refused = _data(await lender(http, ACTIVATE, {"l": _gid(licence), "d": device}), "activateLicence")
        assert refused["userErrors"] == [{"code": "LICENCE_SUSPENDED"}]
        (mail,) = await fetch(db, "SELECT payload FROM jobs WHERE kind = 'email.send'"
                                  " AND payload->>'template' = 'ebook_loan_offered'")
        token = await invitation_token(db, ids.decode_as(loan["id"], "EbookLoan"))
        payload = json.loads(mail["payload"])
        assert payload["to"].lower() == borrower.email and token in payload["secrets"]["url"]

        accept = _data(await borrower(http, ACCEPT, {"input": {"token": token}}), "acceptEbookLoan")

        assert accept["userErrors"] == []
        assert (accept["loan"]["status"], accept["loan"]["lentByYou"]) == ("ACTIVE", False)
        assert datetime.fromisoformat(accept["loan"]["endsAt"]) == now() + timedelta(days=14)
        changes, borrower_token = await _sync(borrower, http, None)
        assert changes == [("LICENCE_ADDED", "LOAN", "ACTIVE")]
        for caller, lent_by_me in ((lender, True), (borrower, False)):
            listed = _data(await caller(http, LOANS), "viewer")["customer"]["ebookLoans"]
            assert listed["totalCount"] == 1
            assert listed["edges"][0]["node"] == {"id": loan["id"], "status": "ACTIVE", "lentByYou": lent_by_me}

        # Day 13: nothing is due yet. Day 14: the sweep, run by the worker, ends the loan once.
        assert await _sweep(db, now.advance(days=13)) == (0, 0)
        now.advance(days=1)
        async with UnitOfWork(db) as uow:
            await licences.schedule_loan_sweep(uow.session, at=datetime.now(UTC))
            await uow.commit()
        assert (await worker(db).run_once()).failed == 0
        sweeps = await fetch(db, "SELECT status::text AS status FROM jobs WHERE kind = $1 ORDER BY id",
                             licences.LOAN_SWEEP_JOB)
        assert [r["status"] for r in sweeps] == ["DONE", "PENDING"]  # the next hour's run is queued
        assert await _sweep(db, now.advance(days=1)) == (0, 0)

        changes, _ = await _sync(borrower, http, borrower_token)
        assert changes == [("LICENCE_EXPIRED", "LOAN", "EXPIRED")]
        changes, _ = await _sync(lender, http, lender_token)
        assert changes == [("LICENCE_REINSTATED", "PURCHASE", "ACTIVE")]
        assert _data(await lender(http, ACTIVATE, {"l": _gid(licence), "d": device}), "activateLicence")["userErrors"] == []
        row = (await fetch(db, "SELECT status::text, ended_at FROM ebook_loans"))[0]
        assert (row["status"], row["ended_at"]) == ("RETURNED", now() - timedelta(days=1))
        again = _data(await lender(http, LEND, {"l": _gid(licence), "e": "someone@example.com"}), "lendEbook")
        assert again["userErrors"][0]["code"] == "ALREADY_LENT"


@pytest.mark.own_copy
async def test_a_loan_not_accepted_within_7_days_goes_back_to_the_lender(writable_database, monkeypatch):
    db = writable_database
    now = install_clock(monkeypatch, datetime.now(UTC).replace(microsecond=0))
    async with make_client(db) as http:
        lender = await account(http, db, "lender")
        invited = await account(http, db, "invited")
        licence = await lendable_ebook(db, lender.account_id)
        loan = _data(await lender(http, LEND, {"l": _gid(licence), "e": invited.email}), "lendEbook")["loan"]
        _, lender_token = await _sync(lender, http, None)

        assert await _sweep(db, now.advance(days=6, hours=23)) == (0, 0)
        assert await _sweep(db, now.advance(hours=1)) == (1, 0)
        assert await _sweep(db, now()) == (0, 0)

        late = _data(await invited(http, ACCEPT, {"input": {"loanId": loan["id"]}}), "acceptEbookLoan")
        assert late["userErrors"] == [{"code": "LOAN_NOT_PENDING", "field": ["input", "loanId"]}]
        changes, _ = await _sync(lender, http, lender_token)
        assert changes == [("LICENCE_REINSTATED", "PURCHASE", "ACTIVE")]
        assert await fetchval(db, "SELECT status::text FROM ebook_loans") == "NOT_ACCEPTED"
        assert await fetchval(db, "SELECT count(*) FROM licences WHERE kind = 'LOAN'") == 0


async def test_a_declined_loan_comes_back_at_once_and_a_borrower_may_return_early(writable_database):
    db = writable_database
    async with make_client(db) as http:
        lender = await account(http, db, "lender")
        friend = await account(http, db, "friend")
        first, second = await lendable_ebooks(db, lender.account_id, 2)
        declined = _data(await lender(http, LEND, {"l": _gid(first), "e": friend.email}), "lendEbook")["loan"]
        body = _data(await friend(http, DECLINE, {"input": {"loanId": declined["id"]}}), "declineEbookLoan")
        assert (body["userErrors"], body["loan"]["status"]) == ([], "DECLINED")
        assert await fetchval(db, "SELECT status::text FROM licences WHERE id = $1", first) == "ACTIVE"

        loan = _data(await lender(http, LEND, {"l": _gid(second), "e": friend.email}), "lendEbook")["loan"]
        assert _data(await friend(http, ACCEPT, {"input": {"loanId": loan["id"]}}), "acceptEbookLoan")["userErrors"] == []
        refused = _data(await lender(http, RETURN, {"id": loan["id"]}), "returnEbookLoan")
        assert refused["userErrors"] == [{"code": "NOT_FOUND", "field": ["input", "loanId"]}]

        body = _data(await friend(http, RETURN, {"id": loan["id"]}), "returnEbookLoan")

        assert (body["userErrors"], body["loan"]["status"]) == ([], "RETURNED")
        rows = await fetch(db, "SELECT kind::text, status::text FROM licences WHERE account_id = ANY($1::bigint[])"
                               " ORDER BY id", [lender.account_id, friend.account_id])
        assert [tuple(r) for r in rows] == [("PURCHASE", "ACTIVE"), ("PURCHASE", "ACTIVE"), ("LOAN", "EXPIRED")]
        again = _data(await friend(http, RETURN, {"id": loan["id"]}), "returnEbookLoan")
        assert again["userErrors"] == [{"code": "LOAN_NOT_ACTIVE", "field": ["input", "loanId"]}]


async def test_every_refusal_is_a_typed_user_error_that_writes_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "lender")
        other = await account(http, db, "other")
        mine, second = await lendable_ebooks(db, me.account_id, 2)
        others = await lendable_ebook(db, other.account_id)
        (rental,) = await rented(db, me.account_id)
        not_lendable = await lendable_ebook(db, me.account_id, NOT_LENDABLE)
        third_lendable = await fetchval(db, "SELECT id FROM products WHERE lendable ORDER BY id OFFSET 2 LIMIT 1")
        (membership,) = await granted(db, me.account_id, [third_lendable], kind="MEMBERSHIP")
        lent = _data(await me(http, LEND, {"l": _gid(mine), "e": "friend@example.com"}), "lendEbook")["loan"]
        cases = [
            (LEND, {"l": _gid(others), "e": "friend@example.com"}, "lendEbook", "NOT_FOUND", ["input", "licenceId"]),
            (LEND, {"l": _gid(mine), "e": "friend2@example.com"}, "lendEbook", "ALREADY_LENT", ["input", "licenceId"]),
            (LEND, {"l": _gid(rental), "e": "friend@example.com"}, "lendEbook", "NOT_LENDABLE", ["input", "licenceId"]),
            (LEND, {"l": _gid(membership), "e": "friend@example.com"}, "lendEbook", "NOT_LENDABLE",
             ["input", "licenceId"]),
            (LEND, {"l": _gid(not_lendable), "e": "friend@example.com"}, "lendEbook", "NOT_LENDABLE",
             ["input", "licenceId"]),
            (LEND, {"l": _gid(not_lendable), "e": "not an address"}, "lendEbook", "EMAIL_INVALID", ["input", "email"]),
            (ACCEPT, {"input": {"loanId": lent["id"]}}, "acceptEbookLoan", "NOT_FOUND", ["input", "loanId"]),
            (ACCEPT, {"input": {"token": "forged"}}, "acceptEbookLoan", "NOT_FOUND", ["input", "token"]),
            (ACCEPT, {"input": {}}, "acceptEbookLoan", "INVALID", ["input"]),
            (DECLINE, {"input": {"loanId": lent["id"]}}, "declineEbookLoan", "NOT_FOUND", ["input", "loanId"]),
        ]
        cases.append((LEND, {"l": _gid(second), "e": f" {me.email.upper()} "}, "lendEbook", "CANNOT_LEND_TO_YOURSELF",
                      ["input", "email"]))
        before = await snapshot(db, WRITTEN)
        for document, variables, name, code, field in cases:
            caller = other if name != "lendEbook" else me
            errors = _data(await caller(http, document, variables), name)["userErrors"]
            assert [(e["code"], e["field"]) for e in errors] == [(code, field)], (variables, errors)
        assert await snapshot(db, WRITTEN) == before


async def test_lending_a_returned_ebook_is_refused(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "lender")
        returned = await lendable_ebook(db, me.account_id)
        await committed(db, lambda s: licences.revoke_licence(s, returned, "returned"))
        before = await snapshot(db, WRITTEN)
        body = _data(await me(http, LEND, {"l": _gid(returned), "e": "friend@example.com"}), "lendEbook")
        assert [e["code"] for e in body["userErrors"]] == ["LICENCE_REVOKED"]
        assert await snapshot(db, WRITTEN) == before


@pytest.mark.own_copy
async def test_two_lends_of_one_licence_at_once_make_one_loan(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "lender")
        licence = await lendable_ebook(db, me.account_id)

        bodies = await asyncio.gather(*(me(http, LEND, {"l": _gid(licence), "e": f"friend{n}@example.com"})
                                        for n in range(2)))

        codes = sorted(e["code"] for body in bodies for e in _data(body, "lendEbook")["userErrors"])
        assert codes == ["ALREADY_LENT"]
        assert await fetchval(db, "SELECT count(*) FROM ebook_loans") == 1
        assert await fetchval(db, "SELECT count(*) FROM library_changes WHERE kind = 'LICENCE_SUSPENDED'") == 1
        assert await fetchval(db, "SELECT count(*) FROM jobs WHERE payload->>'template' = 'ebook_loan_offered'") == 1


async def test_a_page_of_loans_costs_the_same_statements_for_one_loan_or_five(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "lender")
        licences_ = await lendable_ebooks(db, me.account_id, 5)
        counts = []
        for lent in (1, 5):
            for licence in licences_[(1 if counts else 0):lent]:
                assert _data(await me(http, LEND, {"l": _gid(licence), "e": "friend@example.com"}),
                             "lendEbook")["userErrors"] == []
            with count_statements() as counter:
                listed = _data(await me(http, LOANS), "viewer")["customer"]["ebookLoans"]
            assert listed["totalCount"] == lent
            counts.append(counter.count)
        assert counts[0] == counts[1]


async def test_the_demo_data_marks_two_kindle_ebooks_in_five_lendable_and_products_say_so(database, gql):
    rows = await fetch(database, "SELECT id, format::text AS format, lendable FROM products ORDER BY id")
    kindle = [r for r in rows if r["format"] == "KINDLE"]
    assert kindle and all(r["lendable"] == (r["id"] % 5 in (1, 3)) for r in kindle)
    assert not any(r["lendable"] for r in rows if r["format"] != "KINDLE")
    lendable = next(r["id"] for r in kindle if r["lendable"])
    other = next(r["id"] for r in kindle if not r["lendable"])

    body = await gql("query($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { lendable } } }",
                     {"ids": [ids.encode("Product", lendable), ids.encode("Product", other)]})

    assert body["data"]["nodes"] == [{"lendable": True}, {"lendable": False}]


async def test_a_lent_ebook_cannot_be_returned_for_a_refund_while_lent(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "lender")
        licence = await lendable_ebook(db, me.account_id)
        assert _data(await me(http, LEND, {"l": _gid(licence), "e": "friend@example.com"}),
                     "lendEbook")["userErrors"] == []
        before = await snapshot(db, (*WRITTEN, "order_refunds", "order_lines"))

        body = await me(http, """mutation($l: ID!) { returnEbook(input: {licenceId: $l, reason: "Changed my mind"}) {
          userErrors { code field } } }""", {"l": _gid(licence)})

        assert _data(body, "returnEbook")["userErrors"] == [{"code": "NOT_RETURNABLE", "field": ["input", "licenceId"]}]
        assert await snapshot(db, (*WRITTEN, "order_refunds", "order_lines")) == before
