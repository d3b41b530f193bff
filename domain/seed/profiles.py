"""The demo customers' public profiles: a handle like their name (`ada-b-3` for reader 3, "Ada
B."), a short bio drawn from their own ratings, a few private profiles and sections, and follows
between them (never of a private profile, as the rules allow), with their counts.

Set-based, in the seed's transaction: four statements whatever the number of customers. The
profiles themselves exist already: the accounts' insert made them (see domain/profiles/tables.py)."""
from __future__ import annotations

import random
from collections.abc import Sequence

import asyncpg

from domain.seed.customers import DemoCustomer
from domain.seed.records import SEED
from domain.shared.slugs import slugify

_HABITS = ("Always one more chapter.", "Reads on the train, every day.", "Book club organiser.",
           "Night-owl reader.", "Libraries first, then bookshops.", "Rereads favourites every winter.",
           "Audiobooks on walks, paper at home.", "Collects first editions.", "Reads everything, twice.",
           "Slow reader, long memory.")
# Every 25th profile is private; every 11th shows no follows, every 17th no reviews.
_PRIVATE, _FOLLOWS_PRIVATE, _REVIEWS_PRIVATE = 25, 11, 17
_MOST_FOLLOWED = 6


def demo_handle(customer: DemoCustomer) -> str:
    """`ada-b-3` for reader 3, "Ada B.": unique (the number is) and stable across seeds."""
    return f"{slugify(customer.display_name, 20) or 'reader'}-{customer.number}"


def demo_bio(customer: DemoCustomer) -> str:
    rng = random.Random(f"{SEED}:bio:{customer.number}")
    rated = len(customer.ratings)
    five = sum(1 for _, stars in customer.ratings if stars == 5)
    return f"{rng.choice(_HABITS)} {rated} books rated here, {five} of them five stars."


def _visibility(number: int, every: int) -> str:
    return "PRIVATE" if number % every == 0 else "PUBLIC"


def demo_follows(customers: Sequence[DemoCustomer], account_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(follower, followed) pairs: each customer follows up to `_MOST_FOLLOWED` public profiles."""
    public = [i for c, i in zip(customers, account_ids) if c.number % _PRIVATE]
    pairs: set[tuple[int, int]] = set()
    for customer, account_id in zip(customers, account_ids):
        rng = random.Random(f"{SEED}:follows:{customer.number}")
        for followed in rng.sample(public, min(len(public), rng.randint(0, _MOST_FOLLOWED))):
            if followed != account_id:
                pairs.add((account_id, followed))
    return sorted(pairs)


async def insert_demo_profiles(conn: asyncpg.Connection, customers: Sequence[DemoCustomer],
                               account_ids: Sequence[int]) -> int:
    """Gives the demo customers their profiles and follows; returns the number of follows."""
    ids = list(account_ids)
    # The handles the insert made are freed first: "ada-b" given to one Ada B. is another's to take.
    await conn.execute("UPDATE profiles SET handle = 'seed-' || account_id WHERE account_id = ANY($1::bigint[])", ids)
    await conn.execute(
        "UPDATE profiles p SET handle = d.handle, bio = d.bio, visibility = d.visibility::profile_visibility,"
        " follows_visibility = d.follows::profile_visibility, reviews_visibility = d.reviews::profile_visibility"
        " FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])"
        "  AS d(id, handle, bio, visibility, follows, reviews) WHERE p.account_id = d.id",
        ids, [demo_handle(c) for c in customers], [demo_bio(c) for c in customers],
        [_visibility(c.number, _PRIVATE) for c in customers],
        [_visibility(c.number, _FOLLOWS_PRIVATE) for c in customers],
        [_visibility(c.number, _REVIEWS_PRIVATE) for c in customers])
    pairs = demo_follows(customers, account_ids)
    if pairs:
        followers, followed = zip(*pairs)
        await conn.execute("INSERT INTO profile_follows (follower_id, followed_id, created_at)"
                           " SELECT f, t, a.created_at + interval '30 days' FROM unnest($1::bigint[], $2::bigint[])"
                           " AS x(f, t) JOIN accounts a ON a.id = x.f", list(followers), list(followed))
    await conn.execute(
        "UPDATE profiles p SET follower_count = (SELECT count(*) FROM profile_follows f WHERE f.followed_id = p.account_id),"
        " following_count = (SELECT count(*) FROM profile_follows f WHERE f.follower_id = p.account_id)"
        " WHERE p.account_id = ANY($1::bigint[])", ids)
    return len(pairs)
