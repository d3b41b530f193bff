"""A profile's public lists and a list's owner: the lists block of a profile page costs the same
statements for one list or five, and the owner's profile privacy and blocks decide who sees a
public list, on the profile and on the list's own page."""
from api.core import ids
from tests.api.identity.helpers import call
from tests.conftest import count_statements, make_client
from tests.fixtures.db import execute, fetch
from tests.fixtures.identity import account

PAGE = """query($handle: String!, $lists: Int!) { profile(handle: $handle) { id handle
  lists(first: $lists) { id name visibility owner { handle }
    entries(first: 4) { totalCount nodes { work { title } product { id title } } } } } }"""
LIST = "query($id: ID!) { list(id: $id) { id name owner { handle displayName } } }"
# A demo customer with two public lists, whose profile and lists section are public.
_OWNER = """SELECT p.handle, p.account_id, min(l.id) AS list_id FROM profiles p JOIN lists l ON l.account_id = p.account_id
  WHERE l.visibility = 'PUBLIC' AND p.visibility = 'PUBLIC' AND p.lists_visibility = 'PUBLIC'
  GROUP BY p.handle, p.account_id HAVING count(*) >= 2 ORDER BY p.account_id LIMIT 1"""


async def test_a_profile_shows_its_public_lists_for_the_same_statements_whatever_their_number(
        demo_gql, demo_client, demo_database):
    handle, _, _ = (await fetch(demo_database, _OWNER))[0]
    counts = []
    for lists in (1, 2, 5):
        with count_statements() as counter:
            body = await demo_gql(PAGE, {"handle": handle, "lists": lists})
        shown = body["data"]["profile"]["lists"]
        assert len(shown) == min(lists, 2) and all(lst["visibility"] == "PUBLIC" for lst in shown)
        assert all(lst["owner"]["handle"] == handle and 1 <= len(lst["entries"]["nodes"]) <= 4 for lst in shown)
        counts.append(counter.count)
    assert counts[0] == counts[1] == counts[2], counts
    refused = await call(demo_client, PAGE, {"handle": handle, "lists": 21})
    assert refused["data"] is None and refused["errors"][0]["extensions"]["reason"] == "INVALID_PAGE_SIZE"


async def test_the_owners_privacy_and_blocks_hide_their_public_lists(writable_demo_database):
    db = writable_demo_database
    handle, owner_id, list_id = (await fetch(db, _OWNER))[0]
    list_gid = ids.encode("List", list_id)
    async with make_client(db) as http:
        stranger = await account(http, db, "stranger")
        seen = (await call(http, LIST, {"id": list_gid}))["data"]["list"]
        assert seen["owner"]["handle"] == handle

        await execute(db, "UPDATE profiles SET lists_visibility = 'PRIVATE' WHERE account_id = $1", owner_id)
        assert (await call(http, PAGE, {"handle": handle, "lists": 5}))["data"]["profile"]["lists"] is None
        assert (await call(http, LIST, {"id": list_gid}))["data"]["list"] is None
        assert (await call(http, LIST, {"id": list_gid}, token=stranger.token))["data"]["list"] is None

        await execute(db, "UPDATE profiles SET lists_visibility = 'PUBLIC' WHERE account_id = $1", owner_id)
        await execute(db, "INSERT INTO profile_blocks (blocker_id, blocked_id) VALUES ($1, $2)",
                      owner_id, stranger.account_id)
        assert (await call(http, LIST, {"id": list_gid}, token=stranger.token))["data"]["list"] is None
        assert (await call(http, LIST, {"id": list_gid}))["data"]["list"]["id"] == list_gid
