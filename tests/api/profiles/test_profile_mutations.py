"""Editing a profile, following and blocking over HTTP: the happy paths, each bad input as a
typed userError that writes nothing, and what a block and a private profile hide."""
from api.core import ids
from tests.api.identity.helpers import call
from tests.conftest import make_client
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.identity import account

PROFILE = """query($handle: String, $id: ID) { profile(handle: $handle, id: $id) { id handle displayName bio photoUrl
  websiteUrl followerCount followingCount isViewer viewerIsFollowing viewerHasBlocked
  privacy { profile reviews lists answers follows } } }"""
MINE = "{ viewer { profile { id handle displayName followingCount privacy { profile follows } } } }"
UPDATE = """mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  profile { id handle displayName bio photoUrl websiteUrl privacy { profile reviews lists answers follows } }
  userErrors { code field message } } }"""
RELATION = """mutation {name}($id: ID!) {{ {name}(input: {{profileId: $id}}) {{
  profile {{ id followerCount viewerIsFollowing viewerHasBlocked }} viewerProfile {{ id followingCount }}
  userErrors {{ code field message }} }} }}"""
FOLLOW, UNFOLLOW, BLOCK, UNBLOCK = (RELATION.format(name=n) for n in
                                    ("followProfile", "unfollowProfile", "blockProfile", "unblockProfile"))
FOLLOWS = """query($handle: String!) { profile(handle: $handle) { followers(first: 10) { totalCount nodes { handle } }
  following(first: 10) { totalCount nodes { handle } } } }"""
TABLES = ("profiles", "profile_follows", "profile_blocks")


async def _rows(db) -> dict:
    return {t: [tuple(r) for r in await fetch(db, f"SELECT * FROM {t} ORDER BY 1, 2")] for t in TABLES} | {
        "names": [tuple(r) for r in await fetch(db, "SELECT id, display_name FROM accounts ORDER BY id")]}


def _gid(caller) -> str:
    return ids.encode("Profile", caller.account_id)


async def test_a_customer_edits_their_profile_and_others_see_it_by_handle(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, other = await account(http, db, "ada"), await account(http, db, "reader")
        mine = (await call(http, MINE, token=ada.token))["data"]["viewer"]["profile"]
        # Every account has a profile from sign-up, its handle made from the name.
        assert mine["handle"].startswith("ada") and mine["privacy"] == {"profile": "PUBLIC",
                                                                                  "follows": "PUBLIC"}
        body = await call(http, UPDATE, {"input": {
            "handle": "Ada_Reads", "displayName": "Ada  L.", "bio": "Engines & novels. <3",
            "photoUrl": "HTTPS://img.example.com/ada.jpg", "websiteUrl": "http://ada.example.org/",
            "privacy": {"answers": "PRIVATE"}}}, token=ada.token)
        assert body["data"]["updateProfile"]["userErrors"] == []
        assert body["data"]["updateProfile"]["profile"] == {
            "id": _gid(ada), "handle": "ada_reads", "displayName": "Ada L.", "bio": "Engines & novels. <3",
            "photoUrl": "https://img.example.com/ada.jpg", "websiteUrl": "http://ada.example.org/",
            "privacy": {"profile": "PUBLIC", "reviews": "PUBLIC", "lists": "PUBLIC", "answers": "PRIVATE",
                        "follows": "PUBLIC"}}
        seen = (await call(http, PROFILE, {"handle": "ADA_reads"}, token=other.token))["data"]["profile"]
        assert (seen["id"], seen["displayName"], seen["isViewer"], seen["privacy"]) == (_gid(ada), "Ada L.", False,
                                                                                       None)
        anonymous = (await call(http, PROFILE, {"id": _gid(ada)}))["data"]["profile"]
        assert anonymous["handle"] == "ada_reads" and anonymous["viewerIsFollowing"] is False
        removed = await call(http, UPDATE, {"input": {"bio": None, "photoUrl": None}}, token=ada.token)
        profile = removed["data"]["updateProfile"]["profile"]
        assert (profile["bio"], profile["photoUrl"], profile["websiteUrl"]) == (None, None, "http://ada.example.org/")
        # The display name is the account's: what reviews and answers show.
        assert await fetchval(db, "SELECT display_name FROM accounts WHERE id = $1", ada.account_id) == "Ada L."


async def test_bad_input_is_a_typed_error_and_writes_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, bob = await account(http, db, "ada"), await account(http, db, "bob")
        await call(http, UPDATE, {"input": {"handle": "bob-the-reader"}}, token=bob.token)
        await execute(db, "UPDATE profiles SET visibility = 'PRIVATE' WHERE account_id = $1", bob.account_id)
        before = await _rows(db)
        cases = [
            (UPDATE, {"input": {"handle": "ab"}}, "HANDLE_INVALID", ["input", "handle"]),
            (UPDATE, {"input": {"handle": "-ada-"}}, "HANDLE_INVALID", ["input", "handle"]),
            (UPDATE, {"input": {"handle": "ada reads"}}, "HANDLE_INVALID", ["input", "handle"]),
            (UPDATE, {"input": {"handle": "x" * 31}}, "HANDLE_INVALID", ["input", "handle"]),
            (UPDATE, {"input": {"handle": "Bob-The-Reader"}}, "HANDLE_TAKEN", ["input", "handle"]),
            (UPDATE, {"input": {"handle": "support"}}, "HANDLE_TAKEN", ["input", "handle"]),
            (UPDATE, {"input": {"displayName": " "}}, "DISPLAY_NAME_INVALID", ["input", "displayName"]),
            (UPDATE, {"input": {"bio": "x" * 301}}, "TOO_LONG", ["input", "bio"]),
            (UPDATE, {"input": {"bio": "<script>alert(1)</script>"}}, "HTML_NOT_ALLOWED", ["input", "bio"]),
            (UPDATE, {"input": {"bio": "   "}}, "INVALID", ["input", "bio"]),
            (UPDATE, {"input": {"photoUrl": "http://img.example.com/a.jpg"}}, "IMAGE_URL_INVALID",
             ["input", "photoUrl"]),
            (UPDATE, {"input": {"photoUrl": "javascript:alert(1)"}}, "IMAGE_URL_INVALID", ["input", "photoUrl"]),
            (UPDATE, {"input": {"websiteUrl": "ftp://ada.example.org"}}, "WEBSITE_URL_INVALID",
             ["input", "websiteUrl"]),
            (UPDATE, {"input": {"websiteUrl": "https://user:pw@ada.example.org"}}, "WEBSITE_URL_INVALID",
             ["input", "websiteUrl"]),
            # A valid change beside an invalid one is not written either.
            (UPDATE, {"input": {"handle": "ada-new", "bio": "<b>x</b>"}}, "HTML_NOT_ALLOWED", ["input", "bio"]),
            (FOLLOW, {"id": _gid(ada)}, "CANNOT_FOLLOW_YOURSELF", ["input", "profileId"]),
            (FOLLOW, {"id": _gid(bob)}, "PROFILE_PRIVATE", ["input", "profileId"]),
            (FOLLOW, {"id": ids.encode("Profile", 10**12)}, "NOT_FOUND", ["input", "profileId"]),
            (FOLLOW, {"id": ids.encode("Customer", bob.account_id)}, "INVALID_ID", ["input", "profileId"]),
            (BLOCK, {"id": _gid(ada)}, "CANNOT_BLOCK_YOURSELF", ["input", "profileId"]),
            (UNBLOCK, {"id": ids.encode("Profile", 10**12)}, "NOT_FOUND", ["input", "profileId"]),
        ]
        for document, variables, code, field in cases:
            body = await call(http, document, variables, token=ada.token)
            assert "errors" not in body, body
            errors = next(iter(body["data"].values()))["userErrors"]
            assert [(e["code"], e["field"]) for e in errors] == [(code, field)], (variables, errors)
        anonymous = await call(http, FOLLOW, {"id": _gid(bob)})
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert await _rows(db) == before


async def test_follows_are_idempotent_counted_and_listed(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, bob, cy = [await account(http, db, n) for n in ("ada", "bob", "cy")]
        for caller in (bob, cy, bob):
            body = await call(http, FOLLOW, {"id": _gid(ada)}, token=caller.token)
            assert body["data"]["followProfile"]["userErrors"] == []
        payload = body["data"]["followProfile"]
        assert payload["profile"] == {"id": _gid(ada), "followerCount": 2, "viewerIsFollowing": True,
                                      "viewerHasBlocked": False}
        assert payload["viewerProfile"] == {"id": _gid(bob), "followingCount": 1}
        ada_handle = await fetchval(db, "SELECT handle FROM profiles WHERE account_id = $1", ada.account_id)
        listed = (await call(http, FOLLOWS, {"handle": ada_handle}))["data"]["profile"]
        assert listed["followers"]["totalCount"] == 2 and len(listed["followers"]["nodes"]) == 2
        assert listed["following"] == {"totalCount": 0, "nodes": []}
        for _ in range(2):
            body = await call(http, UNFOLLOW, {"id": _gid(ada)}, token=bob.token)
            assert body["data"]["unfollowProfile"]["profile"]["followerCount"] == 1
        # FOLLOWS private: the lists are null to others, the counts still shown.
        await call(http, UPDATE, {"input": {"privacy": {"follows": "PRIVATE"}}}, token=ada.token)
        hidden = (await call(http, FOLLOWS, {"handle": ada_handle}, token=bob.token))["data"]["profile"]
        assert hidden == {"followers": None, "following": None}
        own = (await call(http, FOLLOWS, {"handle": ada_handle}, token=ada.token))["data"]["profile"]
        assert own["followers"]["totalCount"] == 1
    assert await fetchval(db, "SELECT follower_count FROM profiles WHERE account_id = $1", ada.account_id) == 1


async def test_a_block_hides_the_blocker_and_removes_follows_both_ways(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, bob = await account(http, db, "ada"), await account(http, db, "bob")
        await call(http, FOLLOW, {"id": _gid(ada)}, token=bob.token)
        await call(http, FOLLOW, {"id": _gid(bob)}, token=ada.token)
        blocked = await call(http, BLOCK, {"id": _gid(bob)}, token=ada.token)
        assert blocked["data"]["blockProfile"]["profile"] == {"id": _gid(bob), "followerCount": 0,
                                                              "viewerIsFollowing": False, "viewerHasBlocked": True}
        assert blocked["data"]["blockProfile"]["viewerProfile"] == {"id": _gid(ada), "followingCount": 0}
        # Bob no longer finds Ada, by id, handle or node; anyone else still does.
        assert (await call(http, PROFILE, {"id": _gid(ada)}, token=bob.token))["data"]["profile"] is None
        node = await call(http, "query($id: ID!) { node(id: $id) { id } }", {"id": _gid(ada)}, token=bob.token)
        assert node["data"]["node"] is None
        assert (await call(http, PROFILE, {"id": _gid(ada)}))["data"]["profile"]["id"] == _gid(ada)
        refused = await call(http, FOLLOW, {"id": _gid(ada)}, token=bob.token)
        assert refused["data"]["followProfile"]["userErrors"][0]["code"] == "BLOCKED"
        mine = await call(http, FOLLOW, {"id": _gid(bob)}, token=ada.token)
        assert mine["data"]["followProfile"]["userErrors"][0]["code"] == "BLOCKED"
        blocks = await call(http, "{ viewer { profile { blockedProfiles { totalCount nodes { id } } } } }",
                            token=ada.token)
        assert blocks["data"]["viewer"]["profile"]["blockedProfiles"] == {"totalCount": 1, "nodes": [{"id": _gid(bob)}]}
        unblocked = await call(http, UNBLOCK, {"id": _gid(bob)}, token=ada.token)
        assert unblocked["data"]["unblockProfile"]["profile"]["viewerHasBlocked"] is False
        assert (await call(http, PROFILE, {"id": _gid(ada)}, token=bob.token))["data"]["profile"] is not None
    counts = await fetch(db, "SELECT follower_count, following_count FROM profiles WHERE account_id = ANY($1)"
                             " ORDER BY account_id", [ada.account_id, bob.account_id])
    assert [tuple(c) for c in counts] == [(0, 0), (0, 0)]
    assert await fetchval(db, "SELECT count(*) FROM profile_follows WHERE $1 IN (follower_id, followed_id)",
                          ada.account_id) == 0


async def test_a_private_profile_is_null_to_others_as_an_unknown_one(writable_database):
    db = writable_database
    async with make_client(db) as http:
        ada, bob = await account(http, db, "ada"), await account(http, db, "bob")
        await call(http, FOLLOW, {"id": _gid(ada)}, token=bob.token)
        body = await call(http, UPDATE, {"input": {"handle": "ada-private", "privacy": {"profile": "PRIVATE"}}},
                          token=ada.token)
        assert body["data"]["updateProfile"]["profile"]["privacy"]["profile"] == "PRIVATE"
        for token in (None, bob.token):
            assert (await call(http, PROFILE, {"handle": "ada-private"}, token=token))["data"]["profile"] is None
            assert (await call(http, PROFILE, {"handle": "nobody-here"}, token=token))["data"]["profile"] is None
        assert (await call(http, PROFILE, {"handle": "ada-private"}, token=ada.token))["data"]["profile"]["isViewer"]
        # Bob's following list leaves the private profile out; its count still counts it.
        bob_handle = await fetchval(db, "SELECT handle FROM profiles WHERE account_id = $1", bob.account_id)
        following = (await call(http, FOLLOWS, {"handle": bob_handle}))["data"]["profile"]["following"]
        assert following == {"totalCount": 0, "nodes": []}
        unfollowed = await call(http, UNFOLLOW, {"id": _gid(ada)}, token=bob.token)
        assert unfollowed["data"]["unfollowProfile"]["userErrors"] == []
        assert unfollowed["data"]["unfollowProfile"]["profile"] is None


async def test_profile_takes_exactly_one_of_id_and_handle(gql):
    for variables in ({}, {"handle": "a-b-c", "id": ids.encode("Profile", 1)}):
        body = await gql(PROFILE, variables, expect_errors=True)
        assert body["errors"][0]["extensions"]["reason"] == "INVALID_LOOKUP"
    wrong = await gql(PROFILE, {"id": ids.encode("Product", 1)}, expect_errors=True)
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert (await gql(PROFILE, {"handle": "x" * 40}))["data"]["profile"] is None
    too_long = await gql(PROFILE, {"handle": "x" * 201}, expect_errors=True)
    assert too_long["errors"][0]["extensions"]["reason"] == "TOO_LONG"
