"""Library sync: pages of the account's change log after an opaque, signed token; no change is
missed or repeated while purchases commit between and during the pages."""
import asyncio
import base64

import pytest
from sqlalchemy import text

from domain.licences import changes
from domain.licences import service as licences
from domain.shared.db import Database
from domain.shared.errors import DomainError
from domain.shared.principal import ANONYMOUS, Principal
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import fetch, suite_database
from tests.fixtures.licences import bought, ebook_product_ids, granted, new_account

pytestmark = pytest.mark.one_copy_per_file

KEY = "k" * 40


async def _sync(db: Database, principal: Principal, since: str | None, first: int | None = None):
    reader = await db.reader()
    try:
        return await licences.library_sync(reader, principal, KEY, since, first)
    finally:
        await reader.close()


async def _drain(db: Database, principal: Principal, since: str | None, first: int) -> tuple[list, str]:
    """Every change after `since`, page by page, and the token after the last."""
    seen = []
    while True:
        page = await _sync(db, principal, since, first)
        seen += [(c.seq, c.licence.id, c.kind) for c in page.changes]
        since = page.next_token
        if not page.has_more:
            return seen, since


async def _log(db: Database, account_id: int) -> list[tuple]:
    return [tuple(r) for r in await fetch(db, "SELECT seq, licence_id, kind::text FROM library_changes"
                                              " WHERE account_id = $1 ORDER BY seq", account_id)]


async def test_pages_from_the_beginning_cover_the_log_in_order(writable_database):
    db = writable_database
    me = Principal(account_id=await new_account(db))
    ids = await granted(db, me.account_id, await ebook_product_ids(db, 7))
    first = await _sync(db, me, None, 3)
    assert [c.seq for c in first.changes] == [1, 2, 3] and first.has_more
    assert [c.licence.id for c in first.changes] == ids[:3]
    assert {(c.kind, c.licence.status, c.licence.account_id) for c in first.changes} == {
        ("LICENCE_ADDED", "ACTIVE", me.account_id)}
    seen, token = await _drain(db, me, None, 3)
    assert seen == await _log(db, me.account_id)
    empty = await _sync(db, me, token)
    assert (empty.changes, empty.has_more, empty.next_token) == ([], False, token)


async def test_a_revoked_licence_comes_as_a_revocation_with_its_status(writable_database):
    db = writable_database
    me = Principal(account_id=await new_account(db))
    [licence_id] = await granted(db, me.account_id, await ebook_product_ids(db, 1))
    token = (await _sync(db, me, None)).next_token
    async with UnitOfWork(db) as uow:
        await licences.revoke_licence(uow.session, licence_id, "Refunded")
        await uow.commit()
    [change] = (await _sync(db, me, token)).changes
    assert (change.kind, change.licence.id, change.licence.status) == ("LICENCE_REVOKED", licence_id, "REVOKED")
    assert change.licence.revoked_at is not None


async def test_purchases_between_pages_are_neither_missed_nor_repeated(writable_database):
    db = writable_database
    me = Principal(account_id=await new_account(db))
    await bought(db, me.account_id, count=3)
    seen, token = await _drain(db, me, None, 2)
    await bought(db, me.account_id, count=2)
    page = await _sync(db, me, token, 1)
    await granted(db, me.account_id, await ebook_product_ids(db, 2))
    more, _ = await _drain(db, me, page.next_token, 2)
    union = seen + [(c.seq, c.licence.id, c.kind) for c in page.changes] + more
    assert union == await _log(db, me.account_id)
    assert [seq for seq, *_ in union] == list(range(1, 8))


async def test_a_change_numbered_but_not_committed_is_not_skipped(writable_database):
    """A transaction that numbered a change holds the number until it commits; the next one
    waits for it, so a sync in between sees neither, then both."""
    db = writable_database
    me = Principal(account_id=await new_account(db))
    ids = await granted(db, me.account_id, await ebook_product_ids(db, 3))
    token = (await _sync(db, me, None)).next_token
    async with UnitOfWork(db) as slow:
        await changes.record(slow.session, me.account_id, [(ids[0], "METADATA_CHANGED")])
        blocked = asyncio.ensure_future(_record_and_commit(db, me.account_id, ids[1]))
        await asyncio.sleep(0.3)
        assert not blocked.done()
        assert (await _sync(db, me, token)).changes == []
        await slow.commit()
    await blocked
    page = await _sync(db, me, token)
    assert [(c.seq, c.licence.id) for c in page.changes] == [(4, ids[0]), (5, ids[1])]


async def _record_and_commit(db: Database, account_id: int, licence_id: int) -> None:
    async with UnitOfWork(db) as uow:
        await changes.record(uow.session, account_id, [(licence_id, "METADATA_CHANGED")])
        await uow.commit()


async def test_syncing_while_purchases_commit_concurrently_sees_the_whole_log_once(writable_database):
    db = writable_database
    me = Principal(account_id=await new_account(db))
    products = await ebook_product_ids(db, 40)
    writers = suite_database(db.url, pool_size=8)
    done = asyncio.Event()

    async def purchase(batch: list[int]) -> None:
        async with UnitOfWork(writers) as uow:
            rows = (await uow.session.execute(text(
                "INSERT INTO licences (account_id, product_id, kind) SELECT :a, unnest(CAST(:p AS bigint[])),"
                " 'PURCHASE' RETURNING id"), {"a": me.account_id, "p": batch})).scalars().all()
            await asyncio.sleep(0.01)  # hold the numbers a while, as a slow checkout would
            await changes.record(uow.session, me.account_id, [(i, "LICENCE_ADDED") for i in sorted(rows)])
            await asyncio.sleep(0.01)
            await uow.commit()

    async def purchases() -> None:
        try:
            await asyncio.gather(*(purchase(products[i:i + 2]) for i in range(0, len(products), 2)))
        finally:
            done.set()

    async def sync() -> list:
        seen, token = [], None
        while not done.is_set():
            page = await _sync(db, me, token, 3)
            seen += [(c.seq, c.licence.id, c.kind) for c in page.changes]
            token = page.next_token
            await asyncio.sleep(0)
        rest, _ = await _drain(db, me, token, 3)
        return seen + rest

    try:
        _, seen = await asyncio.gather(purchases(), sync())
    finally:
        await writers.close()
    assert seen == await _log(db, me.account_id)
    assert [seq for seq, *_ in seen] == list(range(1, 41))


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


async def test_a_token_of_another_account_a_forged_or_a_malformed_one_is_refused(writable_database):
    db = writable_database
    me = Principal(account_id=await new_account(db))
    other = Principal(account_id=await new_account(db))
    await granted(db, me.account_id, await ebook_product_ids(db, 2))
    mine = (await _sync(db, me, None, 1)).next_token
    theirs = (await _sync(db, other, None)).next_token
    raw = base64.urlsafe_b64decode(mine + "=" * (-len(mine) % 4)).decode()
    version, account, seq, mac = raw.split(".")
    forged = [_b64(f"{version}.{account}.0.{mac}"), _b64(f"{version}.{other.account_id}.{seq}.{mac}"),
              _b64(f"{version}.{account}.{seq}.{'0' * len(mac)}"), licences.sync_token("x" * 40, me.account_id, 1)]
    malformed = ["", "garbage", "!!!", _b64("ls1.1.2"), _b64(f"{version}.{account}.+1.{mac}"), "a" * 500]
    for token in [theirs, *forged, *malformed]:
        with pytest.raises(DomainError) as refused:
            await _sync(db, me, token)
        assert (refused.value.code, refused.value.field) == ("SYNC_TOKEN_INVALID", ["since"]), token
    assert [c.seq for c in (await _sync(db, me, mine)).changes] == [2]


@pytest.mark.parametrize("first", [0, -1, 101])
async def test_a_page_holds_1_to_100_changes(database, first):
    with pytest.raises(DomainError) as refused:
        await _sync(database, Principal(account_id=1), None, first)
    assert refused.value.code == "INVALID_PAGE_SIZE"


async def test_sync_requires_sign_in(database):
    with pytest.raises(DomainError) as refused:
        await _sync(database, ANONYMOUS, None)
    assert refused.value.code == "UNAUTHENTICATED"
