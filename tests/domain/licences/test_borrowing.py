"""The library's side of the membership library: it lends only included e-books and streaming
videos, keeps the limit when borrows of one account race on separate connections (whoever
calls it), and expires and restores an account's borrowed titles with its change log."""
import asyncio
from datetime import timedelta

import pytest

from domain.licences import service as licences
from domain.shared import clock
from domain.shared.errors import DomainError
from tests.fixtures.customer_service import committed, new_customer
from tests.fixtures.db import fetch

pytestmark = pytest.mark.one_copy_per_file


async def _included(db, count: int) -> list[int]:
    rows = await fetch(db, "SELECT id FROM products WHERE membership_included ORDER BY id LIMIT $1", count)
    return [r["id"] for r in rows]


def _lend(db, account_id, product_id, limit=2):
    return committed(db, lambda s: licences.borrow_membership_title(s, account_id, product_id, limit=limit,
                                                                    device_limit=4))


async def test_racing_borrows_of_one_account_never_pass_the_limit(writable_database):
    db = writable_database
    customer = await new_customer(db)
    products = await _included(db, 6)

    results = await asyncio.gather(*(_lend(db, customer.account_id, p) for p in products), return_exceptions=True)

    assert sorted(r.code if isinstance(r, DomainError) else r.status for r in results) == (
        ["ACTIVE"] * 2 + ["BORROW_LIMIT_REACHED"] * 4)
    assert [r.device_limit for r in results if not isinstance(r, BaseException)] == [4, 4]


async def test_only_included_titles_are_lent(writable_database):
    db = writable_database
    customer = await new_customer(db)
    physical = (await fetch(db, "SELECT id FROM products WHERE kind = 'PHYSICAL' ORDER BY id LIMIT 1"))[0]["id"]
    with pytest.raises(DomainError) as refused:
        await _lend(db, customer.account_id, physical)
    assert refused.value.code == "NOT_INCLUDED"


async def test_expiring_and_restoring_log_each_title_and_restore_only_recent_expiries(writable_database):
    db = writable_database
    customer = await new_customer(db)
    first, second = await _included(db, 2)
    old = await _lend(db, customer.account_id, first)
    recent = await _lend(db, customer.account_id, second)
    now = clock.now()
    await committed(db, lambda s: licences.expire_membership_titles(s, customer.account_id, now - timedelta(days=9)))
    # The second title as if it had expired with a later membership, 2 days ago.
    await fetch(db, "UPDATE licences SET updated_at = $2 WHERE id = $1", recent.id, now - timedelta(days=2))

    restored = await committed(db, lambda s: licences.restore_membership_titles(
        s, customer.account_id, now - timedelta(days=7)))

    assert restored == [recent.id]
    rows = await fetch(db, "SELECT id, status::text AS status FROM licences WHERE account_id = $1 ORDER BY id",
                       customer.account_id)
    assert [(r["id"], r["status"]) for r in rows] == [(old.id, "EXPIRED"), (recent.id, "ACTIVE")]
    log = await fetch(db, "SELECT licence_id, kind::text AS kind FROM library_changes WHERE account_id = $1"
                          " ORDER BY seq", customer.account_id)
    assert [(r["licence_id"], r["kind"]) for r in log] == [
        (old.id, "LICENCE_ADDED"), (recent.id, "LICENCE_ADDED"), (old.id, "LICENCE_EXPIRED"),
        (recent.id, "LICENCE_EXPIRED"), (recent.id, "LICENCE_ADDED")]
