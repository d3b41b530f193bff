"""The loan sweep ends each due loan exactly once, even when two sweeps run at the same time on
their own connections: every borrower's licence expires once and every lender's licence is
reinstated once (one change each in the change logs)."""
import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from domain.licences import service as licences
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import fetch
from tests.fixtures.lending import accepted, lendable_ebooks, lent
from tests.fixtures.licences import new_account
from tests.fixtures.subscriptions import install_clock

pytestmark = pytest.mark.one_copy_per_file


async def _sweep(db, at: datetime):
    async with UnitOfWork(db) as uow:
        stats = await licences.end_due_loans(uow.session, at, limit=3)
        await uow.commit()
    return stats


async def test_two_sweeps_at_once_end_each_due_loan_once(writable_database, monkeypatch):
    db = writable_database
    now = install_clock(monkeypatch, datetime.now(UTC))
    lender = await new_account(db, "lender")
    borrower = await new_account(db, "borrower")
    borrower_email = (await fetch(db, "SELECT email FROM accounts WHERE id = $1", borrower))[0]["email"]
    books = await lendable_ebooks(db, lender, 6)
    loans = [await lent(db, lender, book, borrower_email) for book in books]
    for loan in loans[:3]:  # three accepted, three left waiting
        await accepted(db, borrower, loan.id)

    later = now.advance(days=15)
    first, second = await asyncio.gather(_sweep(db, later), _sweep(db, later))
    rest = await _sweep(db, later)

    assert first.not_accepted + second.not_accepted + rest.not_accepted == 3
    assert first.returned + second.returned + rest.returned == 3
    assert (await _sweep(db, later + timedelta(days=30))).returned == 0
    statuses = await fetch(db, "SELECT status::text AS status, count(*) FROM ebook_loans GROUP BY 1 ORDER BY 1")
    assert [tuple(r) for r in statuses] == [("NOT_ACCEPTED", 3), ("RETURNED", 3)]
    logged = await fetch(db, "SELECT account_id, kind::text AS kind, count(*), count(DISTINCT licence_id) AS licences"
                             " FROM library_changes WHERE kind IN ('LICENCE_EXPIRED', 'LICENCE_REINSTATED')"
                             " GROUP BY 1, 2 ORDER BY 1")
    assert [tuple(r) for r in logged] == [(lender, "LICENCE_REINSTATED", 6, 6), (borrower, "LICENCE_EXPIRED", 3, 3)]
