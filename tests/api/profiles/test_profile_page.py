"""A demo customer's profile page: their published reviews (hidden ones left out) and answers,
counts and follows, for a constant number of statements however many reviews it shows; and no
path leads from a profile to the customer's e-mail, orders, addresses or devices."""
import graphql

from api.core import ids
from api.schema import export_sdl
from tests.api.identity.helpers import call
from tests.conftest import count_statements, make_client
from tests.fixtures.db import execute, fetch, fetchval

PROFILE_PAGE = """query ProfilePage($handle: String!, $reviews: Int!) {
  profile(handle: $handle) {
    id handle displayName bio photoUrl websiteUrl createdAt followerCount followingCount viewerIsFollowing
    reviews(first: $reviews) { totalCount nodes { id stars title text createdAt product { id title format } } }
    answers(first: 3) { totalCount nodes { id text } }
    followers(first: 5) { totalCount nodes { id handle displayName } }
    following(first: 5) { totalCount nodes { id handle displayName } }
  }
}"""
_REVIEWER = """SELECT p.handle, p.account_id FROM profiles p JOIN reviews r ON r.account_id = p.account_id
  WHERE r.status = 'PUBLISHED' AND p.visibility = 'PUBLIC' AND p.reviews_visibility = 'PUBLIC'
  AND p.follows_visibility = 'PUBLIC'
  GROUP BY p.handle, p.account_id HAVING count(*) >= 12 ORDER BY p.account_id LIMIT 1"""
# Types that belong to the account, not its public face.
PRIVATE_TYPES = {"Customer", "Order", "OrderLine", "Shipment", "Address", "Device", "Session", "Cart", "Licence",
                 "Membership", "EbookLoan", "OrderRefund", "ReturnRequest", "Viewer"}


async def test_demo_customers_have_profiles_like_their_names_with_bios_and_follows(demo_gql, demo_database):
    body = await demo_gql(PROFILE_PAGE, {"handle": "hana-y-3", "reviews": 3})
    profile = body["data"]["profile"]
    assert profile["displayName"] == "Hana Y." and profile["bio"]
    assert profile["reviews"]["totalCount"] == await fetchval(
        demo_database, "SELECT count(*) FROM reviews r JOIN profiles p ON p.account_id = r.account_id"
                       " WHERE p.handle = 'hana-y-3' AND r.status = 'PUBLISHED'")
    wrong = await fetch(demo_database, """SELECT p.account_id FROM profiles p WHERE p.follower_count <>
        (SELECT count(*) FROM profile_follows f WHERE f.followed_id = p.account_id) OR p.following_count <>
        (SELECT count(*) FROM profile_follows f WHERE f.follower_id = p.account_id)""")
    assert wrong == []
    assert await fetchval(demo_database, "SELECT count(*) FROM profile_follows f JOIN profiles p"
                                         " ON p.account_id = f.followed_id WHERE p.visibility = 'PRIVATE'") == 0
    assert await fetchval(demo_database, "SELECT count(*) FROM profile_follows") > 100


async def test_a_profile_page_costs_the_same_statements_for_one_or_ten_reviews(demo_gql, demo_database):
    handle, _ = await (await demo_database.direct()).fetchrow(_REVIEWER)
    counts = []
    for reviews in (1, 5, 10):
        with count_statements() as counter:
            body = await demo_gql(PROFILE_PAGE, {"handle": handle, "reviews": reviews})
        assert len(body["data"]["profile"]["reviews"]["nodes"]) == reviews
        counts.append(counter.count)
    # The profile with its counts; reviews page and total; their products; answers page and
    # total; followers and following, each a page and a total.
    assert counts == [10, 10, 10], "\n".join(counter.statements)


async def test_hidden_reviews_and_answers_for_a_seller_stay_off_the_profile(writable_demo_database):
    db = writable_demo_database
    handle, account_id = await (await db.direct()).fetchrow(_REVIEWER)
    async with make_client(db) as http:
        before = (await call(http, PROFILE_PAGE, {"handle": handle, "reviews": 100}))["data"]["profile"]["reviews"]
        hidden = before["nodes"][0]["id"]
        await execute(db, "UPDATE reviews SET status = 'HIDDEN', hidden_at = now() WHERE id = $1", ids.parse(hidden)[1])
        after = (await call(http, PROFILE_PAGE, {"handle": handle, "reviews": 100}))["data"]["profile"]["reviews"]
        assert after["totalCount"] == before["totalCount"] - 1
        assert hidden not in {n["id"] for n in after["nodes"]}
        await execute(db, "UPDATE profiles SET reviews_visibility = 'PRIVATE' WHERE account_id = $1", account_id)
        private = (await call(http, PROFILE_PAGE, {"handle": handle, "reviews": 1}))["data"]["profile"]
        assert private["reviews"] is None and private["followers"] is not None


def _reachable(schema: graphql.GraphQLSchema, start: str) -> tuple[set[str], set[str]]:
    """(types, field names) reachable from `start` through any field."""
    seen, fields, todo = set(), set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        type_ = schema.type_map[name]
        if isinstance(type_, graphql.GraphQLObjectType | graphql.GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                fields.add(f"{name}.{field_name}")
                todo.append(graphql.get_named_type(field.type).name)
    return seen, fields


def test_no_path_leads_from_a_profile_to_the_customers_private_data():
    schema = graphql.build_schema(export_sdl())
    types, fields = _reachable(schema, "Profile")
    assert {"Review", "Answer", "Product"} <= types
    assert types & PRIVATE_TYPES == set()
    assert [f for f in fields if f.split(".")[1].lower() in {"email", "addresses", "orders", "devices"}] == []
