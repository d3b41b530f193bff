"""Customers follow brands and choose whether brands' messages reach them; nobody else learns who
follows (a brand's owner and administrators see the count only)."""
from api.core import ids
from tests.conftest import make_client
from tests.fixtures.brand_campaigns import (
    FOLLOW,
    OPT_IN,
    OPT_OUT,
    OWNER_VIEW,
    UNFOLLOW,
    owned_brand,
)
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.identity import account

VIEWER = """{ viewer { brandMessages { optedOutOfAll followingCount }
  followedBrands(first: 10) { totalCount nodes { messagesOptedOut brand { id } } } } }"""


async def _follows(db, account_id):
    return [tuple(r) for r in await fetch(db, "SELECT brand_id, opted_out_at IS NOT NULL FROM brand_follows"
                                              " WHERE account_id = $1 ORDER BY brand_id", account_id)]


async def test_following_twice_keeps_one_follow_and_unfollowing_twice_is_harmless(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        fan = await account(http, db, "fan")
        first = (await fan(http, FOLLOW, {"id": brand.gid}))["data"]["followBrand"]
        again = (await fan(http, FOLLOW, {"id": brand.gid}))["data"]["followBrand"]
        assert first["userErrors"] == again["userErrors"] == []
        assert first["follow"] == again["follow"]
        assert await _follows(db, fan.account_id) == [(brand.id, False)]

        seen = (await fan(http, VIEWER))["data"]["viewer"]
        assert seen["followedBrands"]["totalCount"] == 1
        assert seen["followedBrands"]["nodes"] == [{"messagesOptedOut": False, "brand": {"id": brand.gid}}]
        assert seen["brandMessages"] == {"optedOutOfAll": False, "followingCount": 1}

        gone = (await fan(http, UNFOLLOW, {"id": brand.gid}))["data"]["unfollowBrand"]
        twice = (await fan(http, UNFOLLOW, {"id": brand.gid}))["data"]["unfollowBrand"]
        assert (gone, twice) == ({"wasFollowing": True, "userErrors": []}, {"wasFollowing": False, "userErrors": []})
        assert await _follows(db, fan.account_id) == []


async def test_an_archived_or_unknown_brand_cannot_be_followed_and_anonymous_callers_must_sign_in(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        await execute(db, "UPDATE brands SET archived_at = now() WHERE id = $1", brand.id)
        fan = await account(http, db, "fan")
        archived = (await fan(http, FOLLOW, {"id": brand.gid}))["data"]["followBrand"]
        unknown = (await fan(http, FOLLOW, {"id": ids.encode("Brand", 987654)}))["data"]["followBrand"]
        not_a_brand = (await fan(http, FOLLOW, {"id": ids.encode("Product", 1)}))["data"]["followBrand"]
        anonymous = await http.post("/graphql", json={"query": FOLLOW, "variables": {"id": brand.gid}})
    assert archived == unknown == {"follow": None, "userErrors": [{"code": "NOT_FOUND", "field": ["input", "brandId"]}]}
    assert not_a_brand["userErrors"][0]["code"] == "INVALID_ID"
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await fetchval(db, "SELECT count(*) FROM brand_follows WHERE account_id = $1", fan.account_id) == 0


async def test_messages_turn_off_and_on_per_brand_and_for_all_brands(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        other = await owned_brand(http, db, skip=1)
        fan = await account(http, db, "fan")
        for b in (brand, other):
            await fan(http, FOLLOW, {"id": b.gid})

        off = (await fan(http, OPT_OUT, {"id": brand.gid}))["data"]["optOutOfBrandMessages"]
        assert off == {"preferences": {"optedOutOfAll": False, "followingCount": 2}, "follow": {"messagesOptedOut": True},
                       "userErrors": []}
        assert await _follows(db, fan.account_id) == sorted([(brand.id, True), (other.id, False)])

        all_off = (await fan(http, OPT_OUT, {"id": None}))["data"]["optOutOfBrandMessages"]
        assert all_off["preferences"] == {"optedOutOfAll": True, "followingCount": 2} and all_off["follow"] is None
        all_on = (await fan(http, OPT_IN, {"id": None}))["data"]["optInToBrandMessages"]
        assert all_on["preferences"]["optedOutOfAll"] is False
        # Brands turned off one by one stay off.
        assert await _follows(db, fan.account_id) == sorted([(brand.id, True), (other.id, False)])
        on = (await fan(http, OPT_IN, {"id": brand.gid}))["data"]["optInToBrandMessages"]
        assert on["follow"] == {"messagesOptedOut": False}

        await fan(http, UNFOLLOW, {"id": other.gid})
        not_followed = (await fan(http, OPT_OUT, {"id": other.gid}))["data"]["optOutOfBrandMessages"]
        assert not_followed["userErrors"] == [{"code": "NOT_FOUND", "field": ["input", "brandId"]}]
        assert await _follows(db, fan.account_id) == [(brand.id, False)]


async def test_only_the_brands_owner_and_administrators_see_the_follower_count_and_nobody_sees_who(writable_database):
    db = writable_database
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        fans = [await account(http, db, "fan") for _ in range(3)]
        for fan in fans:
            await fan(http, FOLLOW, {"id": brand.gid})
        other_owner = (await owned_brand(http, db, skip=1)).owner
        staff = await account(http, db, "staff", seller_id=2)
        admin = await account(http, db, "admin", admin=True)
        seen = {}
        for name, caller in (("owner", brand.owner), ("admin", admin), ("other_owner", other_owner),
                             ("staff", staff), ("fan", fans[0])):
            body = await caller(http, OWNER_VIEW, {"id": brand.gid})
            assert "errors" not in body, body
            seen[name] = body["data"]["node"]
        anonymous = (await http.post("/graphql", json={"query": OWNER_VIEW, "variables": {"id": brand.gid}})).json()
    assert seen["owner"]["followerCount"] == seen["admin"]["followerCount"] == 3
    assert seen["owner"]["campaigns"] == {"totalCount": 0, "nodes": []}
    for name in ("other_owner", "staff", "fan"):
        assert seen[name] == {"followerCount": None, "campaigns": None}, name
    assert anonymous["data"]["node"] == {"followerCount": None, "campaigns": None}


async def test_viewer_follows_is_the_callers_own(writable_database):
    db = writable_database
    query = "query($id: ID!) { node(id: $id) { ... on Brand { viewerFollows } } }"
    async with make_client(db) as http:
        brand = await owned_brand(http, db)
        fan, other = await account(http, db, "fan"), await account(http, db, "other")
        await fan(http, FOLLOW, {"id": brand.gid})
        mine = (await fan(http, query, {"id": brand.gid}))["data"]["node"]
        theirs = (await other(http, query, {"id": brand.gid}))["data"]["node"]
        owners = (await brand.owner(http, query, {"id": brand.gid}))["data"]["node"]
    assert (mine, theirs, owners) == ({"viewerFollows": True}, {"viewerFollows": False}, {"viewerFollows": False})
