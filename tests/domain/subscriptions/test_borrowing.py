"""Prime Reading in the domain: a member borrows titles of the membership library as MEMBERSHIP
licences (at most the limit at once, even when borrows race on separate connections); refusals
write nothing; the titles expire in the transaction that ends the membership (a lapse after
the grace period, a cancelled membership reaching its end) and come back when the customer
joins again within 7 days of that end."""
import asyncio
from datetime import timedelta

import pytest

from domain.shared.config import Settings
from domain.shared.errors import DomainError
from domain.shared.principal import Principal
from domain.subscriptions import service as subscriptions
from tests.fixtures.customer_service import new_customer, snapshot
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.subscriptions import SETTINGS, committed, join, member, membership, renew

pytestmark = pytest.mark.one_copy_per_file

SMALL = Settings(prime_borrow_limit=3)
LIBRARY_TABLES = ("licences", "library_changes", "library_sync_states", "memberships", "membership_events")


async def included(db, count: int, offset: int = 0) -> list[int]:
    rows = await fetch(db, "SELECT id FROM products WHERE membership_included AND format = 'KINDLE' AND archived_at"
                           " IS NULL ORDER BY id OFFSET $1 LIMIT $2", offset, count)
    assert len(rows) == count
    return [r["id"] for r in rows]


def borrow(db, customer, product_id, settings=SETTINGS):
    return committed(db, lambda s: subscriptions.borrow_title(s, customer, settings, product_id))


async def refusal(db, customer, product_id, settings=SETTINGS) -> str:
    with pytest.raises(DomainError) as refused:
        await borrow(db, customer, product_id, settings)
    return refused.value.code


def give_back(db, customer, licence_id):
    return committed(db, lambda s: subscriptions.return_borrowed_title(s, customer, licence_id))


async def titles(db, account_id: int) -> list[tuple[int, str]]:
    """(product, status) of the account's MEMBERSHIP licences, oldest first."""
    return [(r["product_id"], r["status"]) for r in await fetch(
        db, "SELECT product_id, status::text AS status FROM licences WHERE account_id = $1 AND kind = 'MEMBERSHIP'"
            " ORDER BY id", account_id)]


async def log(db, account_id: int) -> list[tuple[int, str]]:
    return [(r["licence_id"], r["kind"]) for r in await fetch(
        db, "SELECT licence_id, kind::text AS kind FROM library_changes WHERE account_id = $1 ORDER BY seq", account_id)]


async def lapse(db, provider, membership_id: int) -> None:
    """Moves through the renewal that the member's card declines and the three retries of the
    grace period, running the sweep at each, until the membership lapses."""
    due = (await membership(db, membership_id))["current_period_end"]
    for day in (0, 1, 3, 7):
        await renew(db, provider, now=due + timedelta(days=day))
    assert (await membership(db, membership_id))["status"] == "LAPSED"


async def test_a_member_borrows_an_included_title_as_a_membership_licence_in_the_library_log(
        writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider)
    [product] = await included(db, 1)

    licence = await borrow(db, customer, product)

    assert (licence.kind, licence.status, licence.product_id, licence.device_limit) == (
        "MEMBERSHIP", "ACTIVE", product, SETTINGS.licence_device_limit)
    assert await log(db, customer.account_id) == [(licence.id, "LICENCE_ADDED")]
    # A borrowed title is a benefit used: a cancel within 3 days of the charge refunds nothing.
    assert (await membership(db, membership_id))["benefit_used_at"] == now.at
    cancelled = await committed(db, lambda s: subscriptions.cancel_prime(s, customer, provider, SETTINGS))
    assert (await membership(db, cancelled))["status"] == "CANCELLED"


async def test_refusals_are_typed_and_write_nothing(writable_database, provider, now):
    db = writable_database
    stranger = await new_customer(db, "stranger")
    customer, _ = await member(db, provider)
    [book, bought] = await included(db, 2)
    not_included = await fetchval(db, "SELECT id FROM products WHERE NOT membership_included AND format = 'KINDLE'"
                                      " ORDER BY id LIMIT 1")
    await borrow(db, customer, book)
    await fetchval(db, "INSERT INTO licences (account_id, product_id, kind) VALUES ($1, $2, 'PURCHASE') RETURNING id",
                   customer.account_id, bought)
    before = await snapshot(db, LIBRARY_TABLES)

    assert await refusal(db, stranger, book) == "NOT_A_MEMBER"
    assert await refusal(db, customer, not_included) == "NOT_INCLUDED"
    assert await refusal(db, customer, book) == "ALREADY_IN_LIBRARY"
    assert await refusal(db, customer, bought) == "ALREADY_IN_LIBRARY"
    assert await refusal(db, customer, 10**12) == "NOT_FOUND"
    with pytest.raises(DomainError) as refused:
        await give_back(db, stranger, (await fetchval(db, "SELECT max(id) FROM licences")))
    assert refused.value.code == "NOT_FOUND"

    assert await snapshot(db, LIBRARY_TABLES) == before


async def test_the_limit_counts_titles_borrowed_now_and_returning_one_frees_its_slot(writable_database, provider, now):
    db = writable_database
    customer, _ = await member(db, provider)
    products = await included(db, 4)
    licences = [await borrow(db, customer, p, SMALL) for p in products[:3]]

    assert await refusal(db, customer, products[3], SMALL) == "BORROW_LIMIT_REACHED"
    returned = await give_back(db, customer, licences[0].id)
    assert (returned.status, returned.active_device_count) == ("REVOKED", 0)
    with pytest.raises(DomainError) as again:
        await give_back(db, customer, licences[0].id)
    assert again.value.code == "NOT_BORROWED"

    fourth = await borrow(db, customer, products[3], SMALL)
    assert fourth.status == "ACTIVE"
    assert await titles(db, customer.account_id) == [(products[0], "REVOKED"), (products[1], "ACTIVE"),
                                                     (products[2], "ACTIVE"), (products[3], "ACTIVE")]
    assert (await log(db, customer.account_id))[3:] == [(licences[0].id, "LICENCE_REVOKED"),
                                                        (fourth.id, "LICENCE_ADDED")]


async def test_borrows_racing_on_separate_connections_never_pass_the_limit(writable_database, provider, now):
    db = writable_database
    customer, _ = await member(db, provider)
    products = await included(db, 9)
    for product in products[:1]:
        await borrow(db, customer, product, SMALL)

    results = await asyncio.gather(*(borrow(db, customer, p, SMALL) for p in products[1:]), return_exceptions=True)

    lent = [r for r in results if not isinstance(r, BaseException)]
    refused = [r.code for r in results if isinstance(r, DomainError)]
    assert (len(lent), refused) == (2, ["BORROW_LIMIT_REACHED"] * 6)
    assert await fetchval(db, "SELECT count(*) FROM licences WHERE account_id = $1 AND kind = 'MEMBERSHIP'"
                              " AND status = 'ACTIVE'", customer.account_id) == 3
    assert [r["seq"] for r in await fetch(db, "SELECT seq FROM library_changes WHERE account_id = $1 ORDER BY seq",
                                          customer.account_id)] == [1, 2, 3]


async def test_a_lapse_expires_the_borrowed_titles_and_a_rejoin_within_7_days_brings_them_back(
        writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider, token="tok_visa_declines_after_1")
    products = await included(db, 3)
    kept = [await borrow(db, customer, p) for p in products[:2]]
    returned = await borrow(db, customer, products[2])
    await give_back(db, customer, returned.id)

    await lapse(db, provider, membership_id)

    ended_at = (await membership(db, membership_id))["ends_at"]
    assert await titles(db, customer.account_id) == [(products[0], "EXPIRED"), (products[1], "EXPIRED"),
                                                     (products[2], "REVOKED")]
    assert (await log(db, customer.account_id))[-2:] == [(kept[0].id, "LICENCE_EXPIRED"),
                                                         (kept[1].id, "LICENCE_EXPIRED")]
    assert await refusal(db, customer, products[2]) == "NOT_A_MEMBER"

    now.set(ended_at + timedelta(days=6, hours=23))
    await join(db, provider, customer.account_id, trial=False)

    assert await titles(db, customer.account_id) == [(products[0], "ACTIVE"), (products[1], "ACTIVE"),
                                                     (products[2], "REVOKED")]
    assert (await log(db, customer.account_id))[-2:] == [(kept[0].id, "LICENCE_ADDED"),
                                                         (kept[1].id, "LICENCE_ADDED")]


async def test_a_rejoin_more_than_7_days_after_the_end_brings_nothing_back(writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider, token="tok_visa_declines_after_1")
    [product] = await included(db, 1)
    await borrow(db, customer, product)
    await lapse(db, provider, membership_id)
    changes = await log(db, customer.account_id)

    now.set((await membership(db, membership_id))["ends_at"] + timedelta(days=7, minutes=1))
    await join(db, provider, customer.account_id, trial=False)

    assert await titles(db, customer.account_id) == [(product, "EXPIRED")]
    assert await log(db, customer.account_id) == changes
    again = await borrow(db, customer, product)
    assert await titles(db, customer.account_id) == [(product, "EXPIRED"), (product, "ACTIVE")]
    assert again.status == "ACTIVE"


async def test_a_cancelled_membership_reaching_its_end_expires_its_titles_in_the_sweep(
        writable_database, provider, now):
    db = writable_database
    customer, membership_id = await member(db, provider)
    [product] = await included(db, 1)
    await borrow(db, customer, product)
    await committed(db, lambda s: subscriptions.cancel_prime(s, Principal(account_id=customer.account_id),
                                                             provider, SETTINGS))
    ends_at = (await membership(db, membership_id))["ends_at"]

    await renew(db, provider, now=ends_at - timedelta(minutes=1))
    assert await titles(db, customer.account_id) == [(product, "ACTIVE")]
    stats = await renew(db, provider, now=ends_at)

    assert stats.ended == 1
    assert await titles(db, customer.account_id) == [(product, "EXPIRED")]
