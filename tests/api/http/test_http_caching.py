"""HTTP caching of public reads: anonymous GET queries get `Cache-Control` from the fields'
hints, a strong ETag and 304s; everything else is `no-store`; the caller's budget leaves the
body of a cacheable answer for the `X-Cost-*` headers, so every caller gets the same bytes."""
from __future__ import annotations

from types import SimpleNamespace

import httpx
import pytest
from starlette.requests import Request

from api.http.caching import COST_HEADERS, entity_tag, finish, matches
from bench.pages import PRODUCT_PAGE
from tests.api.http.pq_helpers import new_client
from tests.docs.guides import README, examples
from tests.fixtures.budget import Clock, budgeted, post
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

README_PRODUCT_PAGE = next(document for document in examples(README) if "product(" in document)
# Origin: development allows local pages on other ports, whose CORS headers depend on it.
VARY = {"accept", "accept-encoding", "authorization", "x-api-client-key", "origin"}


def vary(response: httpx.Response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("vary", "").split(",") if v.strip()}


async def get(http: httpx.AsyncClient, query: str, variables: str | None = None, **headers) -> httpx.Response:
    """A GET asking for the body as it is (tests/api/http/test_compression.py covers the tags of
    compressed bodies)."""
    params = {"query": query, **({"variables": variables} if variables else {})}
    headers = {"Accept-Encoding": "identity", **{k.replace("_", "-"): v for k, v in headers.items()}}
    return await http.get("/graphql", params=params, headers=headers)


async def test_a_second_anonymous_get_of_the_readme_product_page_with_its_etag_is_answered_304(client):
    first = await get(client, README_PRODUCT_PAGE)
    again = await get(client, README_PRODUCT_PAGE, If_None_Match=first.headers["etag"])
    other = await get(client, README_PRODUCT_PAGE, If_None_Match='"not-this-one"')

    assert first.status_code == 200 and first.json()["data"]["product"]["offers"]["nodes"]
    assert first.headers["cache-control"] == "public, max-age=30"  # it selects offers
    assert first.headers["etag"] == entity_tag(first.content)
    assert vary(first) == VARY
    assert "extensions" not in first.json()  # the budget is in the headers
    assert first.headers["x-cost-requested"] == "34"
    assert all(header in first.headers for header in COST_HEADERS)

    assert again.status_code == 304 and again.content == b""
    for header in ("etag", "cache-control", "vary"):
        assert again.headers[header] == first.headers[header]
    assert "content-type" not in again.headers
    assert again.headers["x-cost-requested"] == "34"  # it ran: the caller paid for it

    assert other.status_code == 200 and other.content == first.content


async def test_if_none_match_compares_weakly_and_takes_lists_and_a_star(client):
    first = await get(client, README_PRODUCT_PAGE)
    tag = first.headers["etag"]
    for header in (f"W/{tag}", f'"a", {tag}', "*"):
        assert (await get(client, README_PRODUCT_PAGE, If_None_Match=header)).status_code == 304, header
    assert matches(f'"x",W/{tag}', tag) and not matches('"x"', tag) and not matches(None, tag)


@pytest.mark.parametrize("query, cache_control", [
    ("query Categories { categories { id name slug } }", "public, max-age=60"),
    ('query Search { search(query: "harry potter", first: 5) { totalCount nodes { id title images { url } }'
     " facets { formats { format count } } } }", "public, max-age=60"),
    ('query Search { search(query: "harry potter", first: 5) { nodes { id featuredOffer { price { amount } } } } }',
     "public, max-age=30"),
    ('query Page { product(isbn: "9780439554930") { ...Offers } }'
     " fragment Offers on Product { id offers(first: 2) { nodes { id } } }", "public, max-age=30"),
    ('query Range { product(isbn: "9780439554930") { id priceRange { offerCount } } }', "public, max-age=30"),
    ('query Seller { seller(slug: "tributary-retail") { id name } }', "public, max-age=60"),
    ('query Books { category(slug: "books") { id products(first: 3) { nodes { id format } } } }',
     "public, max-age=60"),
    ("query Me { viewer { roles } }", "private, no-store"),
    ('query Balance { seller(slug: "tributary-retail") { id balance { amount } } }', "private, no-store"),
    ('query Cart { cart(token: "no-such-token") { id } }', "no-store"),
    ("query Nothing { __typename }", "no-store"),
    ("query Schema { __schema { queryType { name } } }", "no-store"),
])
async def test_max_age_is_the_tightest_hint_of_the_fields_selected(client, query, cache_control):
    response = await get(client, query)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == cache_control
    assert ("etag" in response.headers) == cache_control.startswith("public")
    assert ("extensions" in response.json()) != cache_control.startswith("public")


async def test_a_node_query_takes_the_hint_of_the_types_it_spreads(client, gql):
    product = (await gql('{ product(isbn: "9780439554930") { id featuredOffer { id } } }'))["data"]["product"]
    cases = [("query N($id: ID!) { node(id: $id) { id ... on Product { title } } }", product["id"], "public, max-age=60"),
             ("query N($id: ID!) { node(id: $id) { ... on Offer { price { amount } } } }",
              product["featuredOffer"]["id"], "public, max-age=30"),
             ("query N($id: ID!) { node(id: $id) { id ... on Cart { lines { quantity } } } }", product["id"], "no-store")]
    for query, node_id, cache_control in cases:
        response = await get(client, query, f'{{"id": "{node_id}"}}')
        assert response.headers["cache-control"] == cache_control, query


async def test_errors_post_and_mutations_are_not_stored(client):
    errors = await get(client, 'query Bad { product(isbn: "9780439554930") { offers(first: 500) { totalCount } } }')
    invalid = await get(client, "query Invalid { product { nope } }")
    unparsable = await get(client, "query {")
    posted = await client.post("/graphql", json={"query": README_PRODUCT_PAGE})
    mutation = await get(client, 'mutation { signOutEverywhere { revokedSessions } }')
    refused_method = await client.put("/graphql", json={"query": "{ __typename }"})

    assert errors.json()["errors"] and errors.headers["cache-control"] == "no-store"
    assert invalid.headers["cache-control"] == unparsable.headers["cache-control"] == "no-store"
    assert posted.status_code == 200 and posted.headers["cache-control"] == "no-store"
    assert "etag" not in posted.headers and posted.json()["extensions"]["cost"]["requestedQueryCost"] == 34
    assert posted.headers["x-cost-requested"] == "34"
    assert mutation.status_code == 405 and mutation.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert mutation.headers["cache-control"] == "no-store"
    assert refused_method.status_code == 405 and refused_method.headers["cache-control"] == "no-store"


async def test_requests_with_credentials_are_private_and_never_304(writable_database):
    _, key = await new_client(writable_database, "storefront")
    async with budgeted(writable_database, Clock(), cost_budget=10**9) as client:
        http = client()
        ada = await account(http, writable_database, "ada")
        public = await get(http, README_PRODUCT_PAGE)
        signed_in = await get(http, README_PRODUCT_PAGE, Authorization=f"Bearer {ada.token}",
                              If_None_Match=public.headers["etag"])
        keyed = await get(http, README_PRODUCT_PAGE, X_Api_Client_Key=key,
                          If_None_Match=public.headers["etag"])
        bad_token = await get(http, README_PRODUCT_PAGE, Authorization="Bearer not-a-token")

    for response in (signed_in, keyed, bad_token):
        assert response.status_code == 200
        assert response.headers["cache-control"] == "private, no-store"
        assert "etag" not in response.headers and vary(response) == VARY
        assert response.json()["extensions"]["cost"]["requestedQueryCost"] == 34
    assert signed_in.json()["data"] == public.json()["data"]


async def test_two_callers_with_different_budgets_get_byte_identical_cacheable_bodies(database):
    async with budgeted(database, Clock()) as client:
        spender, fresh = client("203.0.113.1"), client("203.0.113.2")
        for _ in range(3):
            await post(spender, "{ products(first: 98) { nodes { id category { name } } } }")
        spent = await get(spender, PRODUCT_PAGE, '{"slug": "harry-potter-and-the-sorcerer-s-stone-hardcover", "offers": 5}')
        full = await get(fresh, PRODUCT_PAGE, '{"slug": "harry-potter-and-the-sorcerer-s-stone-hardcover", "offers": 5}')

    assert spent.status_code == full.status_code == 200
    assert spent.headers["cache-control"] == "public, max-age=30"
    assert spent.content == full.content and spent.headers["etag"] == full.headers["etag"]
    cost = int(full.headers["x-cost-requested"])
    assert full.headers["x-cost-available"] == str(1000 - cost)
    assert spent.headers["x-cost-available"] == str(1000 - 3 * 100 - cost)
    assert full.headers["x-cost-capacity"] == "1000" and full.headers["x-cost-restore-rate"] == "50"
    assert full.headers["x-cost-maximum"] == "5000"


def test_finish_names_each_header_once_and_keeps_only_validators_on_a_304():
    context = SimpleNamespace(cost_report={"requestedQueryCost": 7, "maximumCost": 100}, cache_hint=None)
    signed_in = Request({"type": "http", "method": "POST", "path": "/graphql", "query_string": b"",
                         "headers": [(b"authorization", b"Bearer x")]})
    status, headers, body = finish(signed_in, context, 200, [(b"content-type", b"application/json")], b'{"data":{}}')
    assert (status, body) == (200, b'{"data":{}}')
    assert sorted(key for key, _ in headers) == [b"cache-control", b"content-type", b"vary", b"x-cost-maximum",
                                                 b"x-cost-requested"]
    assert dict(headers)[b"vary"] == b"Accept, Accept-Encoding, Authorization, X-Api-Client-Key"
    assert dict(headers)[b"cache-control"] == b"private, no-store" and dict(headers)[b"x-cost-requested"] == b"7"

    public = SimpleNamespace(cost_report=None, cache_hint=SimpleNamespace(public=True, private=False, max_age=30))
    _, headers, _ = finish(Request({"type": "http", "headers": []}), public, 200,
                           [(b"content-type", b"application/json")], b"{}")
    tag = dict(headers)[b"etag"]
    assert dict(headers)[b"cache-control"] == b"public, max-age=30"
    holder = Request({"type": "http", "headers": [(b"if-none-match", b"W/" + tag)]})
    status, headers, body = finish(holder, public, 200, [(b"content-type", b"application/json")], b"{}")
    assert (status, body) == (304, b"")
    assert sorted(key for key, _ in headers) == [b"cache-control", b"etag", b"vary"]
