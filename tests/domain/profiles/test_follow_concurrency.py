"""Follows on separate connections at once: counts stay equal to a recount, a follow racing a
block between the same two customers never leaves a follow beside the block, two customers
following and blocking each other at once never deadlock, and customers racing for one handle
leave it to one of them, the others refused with HANDLE_TAKEN."""
import asyncio

import pytest

from domain.profiles import follows, writes
from domain.profiles.entities import ProfileChanges
from domain.shared.errors import DomainError
from domain.shared.principal import Principal
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import connection, fetch

FOLLOWERS = 12
_ADD = ("INSERT INTO accounts (email, display_name, password_hash)"
        " SELECT 'c' || n || '-' || $2 || '@follows.example', 'C ' || n, 'x' FROM generate_series(1, $1) AS n"
        " RETURNING id")


async def _act(db, account_id: int, use_case, target: int) -> str:
    try:
        async with UnitOfWork(db) as uow:
            await use_case(uow.session, Principal(account_id=account_id), target)
            await uow.commit()
    except DomainError as error:
        return str(error.code)
    return "ok"


async def _recount(db) -> list:
    return [tuple(r) for r in await fetch(db, """
        SELECT p.account_id FROM profiles p WHERE p.follower_count <> (SELECT count(*) FROM profile_follows f
          WHERE f.followed_id = p.account_id) OR p.following_count <> (SELECT count(*) FROM profile_follows f
          WHERE f.follower_id = p.account_id)""")]


async def test_concurrent_follows_and_unfollows_keep_the_counts_exact(writable_database):
    db = writable_database
    async with connection(db) as conn:
        target, *followers = [r["id"] for r in await conn.fetch(_ADD, FOLLOWERS + 1, "counts")]
    # Every follower follows twice and unfollows once at the same time, then follows again.
    rounds = [follows.follow_profile, follows.follow_profile, follows.unfollow_profile]
    await asyncio.gather(*(_act(db, f, use_case, target) for f in followers for use_case in rounds))
    await asyncio.gather(*(_act(db, f, follows.follow_profile, target) for f in followers))
    async with connection(db) as conn:
        kept = await conn.fetchval("SELECT follower_count FROM profiles WHERE account_id = $1", target)
    assert kept == FOLLOWERS
    assert await _recount(db) == []


@pytest.mark.parametrize("attempt", range(3))
async def test_a_follow_racing_a_block_never_stays_beside_it(writable_database, attempt):
    db = writable_database
    async with connection(db) as conn:
        pairs = [r["id"] for r in await conn.fetch(_ADD, 16, f"race{attempt}")]
    a_side, b_side = pairs[:8], pairs[8:]
    tasks = []
    for a, b in zip(a_side, b_side):
        tasks += [_act(db, a, follows.follow_profile, b), _act(db, b, follows.block_profile, a),
                  _act(db, b, follows.follow_profile, a)]
    outcomes = await asyncio.gather(*tasks)
    assert set(outcomes) <= {"ok", "BLOCKED"}
    left = await fetch(db, "SELECT f.follower_id FROM profile_follows f JOIN profile_blocks b"
                           " ON (b.blocker_id, b.blocked_id) IN ((f.follower_id, f.followed_id),"
                           " (f.followed_id, f.follower_id)) WHERE f.follower_id = ANY($1)", pairs)
    assert left == []
    blocks = await fetch(db, "SELECT blocker_id, blocked_id FROM profile_blocks WHERE blocker_id = ANY($1)", b_side)
    assert sorted(tuple(r) for r in blocks) == sorted(zip(b_side, a_side))
    assert await _recount(db) == []


async def test_customers_racing_for_one_handle_leave_one_owner_and_typed_refusals(writable_database):
    db = writable_database
    async with connection(db) as conn:
        racers = [r["id"] for r in await conn.fetch(_ADD, 8, "handle")]

    async def claim(account_id: int) -> str:
        return await _act(db, account_id, lambda s, p, _: writes.update_profile(
            s, p, ProfileChanges(handle="The-One")), None)

    outcomes = await asyncio.gather(*(claim(a) for a in racers))
    assert sorted(outcomes) == ["HANDLE_TAKEN"] * 7 + ["ok"]
    owners = await fetch(db, "SELECT account_id FROM profiles WHERE handle = 'the-one'")
    assert [r[0] for r in owners] == [racers[outcomes.index("ok")]]
