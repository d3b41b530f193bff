"""API conventions every client relies on: global IDs, pagination rules, typed errors,
limits, masking, and the HTTP surface."""
import base64
import logging

import pytest

from tests.conftest import make_client


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def _any_product(gql) -> dict:
    return (await gql("{ products(first: 1) { nodes { id title } } }"))["data"]["products"]["nodes"][0]


async def test_node_and_nodes_resolve_global_ids_of_every_type(gql):
    body = await gql("""{ products(first: 1) { nodes { id category { id } formats { id }
        featuredOffer { id seller { id } } work { id } } } }""")
    p = body["data"]["products"]["nodes"][0]
    ids = [p["id"], p["category"]["id"], p["featuredOffer"]["id"], p["featuredOffer"]["seller"]["id"]]
    result = await gql("query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": ids})
    assert [n["id"] for n in result["data"]["nodes"]] == ids
    assert [n["__typename"] for n in result["data"]["nodes"]] == ["Product", "Category", "Offer", "Seller"]
    one = await gql("query($id: ID!) { node(id: $id) { ... on Product { title } } }", {"id": p["id"]})
    assert one["data"]["node"]["title"]


async def test_unknown_id_of_a_known_type_is_null(gql):
    body = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": _b64("Product:999999999")})
    assert body["data"]["node"] is None


@pytest.mark.parametrize("bad", ["not-an-id", _b64("Product:abc"), _b64("Product:-4"), "", "x" * 500])
async def test_malformed_ids_are_clear_errors(gql, bad):
    body = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": bad}, expect_errors=True)
    assert body["errors"][0]["extensions"]["reason"] == "INVALID_ID"
    assert body["data"] == {"node": None}


async def test_id_of_the_wrong_type_is_a_clear_error(gql):
    seller_id = _b64("Seller:1")
    body = await gql("query($id: ID!) { product(id: $id) { id } }", {"id": seller_id}, expect_errors=True)
    error = body["errors"][0]
    assert error["extensions"]["reason"] == "INVALID_ID"
    assert "Seller, not of a Product" in error["message"]


@pytest.mark.parametrize("first", [0, -1, 101])
async def test_out_of_range_page_sizes_are_errors_not_clamped(gql, first):
    body = await gql("query($n: Int!) { products(first: $n) { nodes { id } } }", {"n": first}, expect_errors=True)
    error = body["errors"][0]
    assert error["extensions"]["reason"] == "INVALID_PAGE_SIZE"
    assert "between 1 and 100" in error["message"]


@pytest.mark.parametrize("cursor", ["garbage", _b64("o1:-5"), _b64("x:3"), "a" * 100])
async def test_bad_cursors_are_errors(gql, cursor):
    body = await gql("query($c: String!) { products(first: 2, after: $c) { nodes { id } } }", {"c": cursor}, expect_errors=True)
    assert body["errors"][0]["extensions"]["reason"] == "INVALID_CURSOR"


async def test_last_and_before_page_backwards(gql):
    page = (await gql("{ products(first: 10) { edges { cursor node { id } } } }"))["data"]["products"]["edges"]
    body = await gql("query($b: String!) { products(last: 3, before: $b) { nodes { id } pageInfo { hasPreviousPage } } }",
                     {"b": page[5]["cursor"]})
    assert [n["id"] for n in body["data"]["products"]["nodes"]] == [e["node"]["id"] for e in page[2:5]]
    assert body["data"]["products"]["pageInfo"]["hasPreviousPage"] is True


async def test_unknown_enum_value_is_a_validation_error(gql):
    body = await gql("{ products(first: 1, sortKey: CHEAPEST) { nodes { id } } }", expect_errors=True)
    assert "CHEAPEST" in body["errors"][0]["message"]
    assert "data" not in body or body["data"] is None


async def test_lookup_needs_exactly_one_key_and_limits_length(gql):
    none = await gql("{ product { id } }", expect_errors=True)
    assert none["errors"][0]["extensions"]["reason"] == "INVALID_LOOKUP"
    two = await gql('{ product(slug: "a", isbn: "9780439554930") { id } }', expect_errors=True)
    assert two["errors"][0]["extensions"]["reason"] == "INVALID_LOOKUP"
    long = await gql("query($s: String!) { product(slug: $s) { id } }", {"s": "a" * 5000}, expect_errors=True)
    assert long["errors"][0]["extensions"]["reason"] == "TOO_LONG"
    isbn = await gql('{ product(isbn: "12345") { id } }', expect_errors=True)
    assert isbn["errors"][0]["extensions"]["reason"] == "INVALID_ISBN"


async def test_cost_is_reported_and_enforced(gql):
    body = await gql("{ products(first: 10) { nodes { id category { name } } } }")
    cost = body["extensions"]["cost"]
    assert (cost["requestedQueryCost"], cost["maximumCost"]) == (2 + 10 * 1, 5000)
    assert set(cost["throttleStatus"]) == {"maximumAvailable", "currentlyAvailable", "restoreRate"}
    heavy = await gql("{ products(first: 100) { nodes { offers(first: 100) { nodes { seller { name } } } } } }", expect_errors=True)
    assert heavy["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert heavy.get("data") is None


async def test_depth_and_alias_limits(gql):
    deep = "{ categories { " + "children { " * 12 + "name" + " }" * 13 + " }"
    body = await gql(deep, expect_errors=True)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    aliases = "{ " + " ".join(f"a{i}: categories {{ name }}" for i in range(40)) + " }"
    body = await gql(aliases, expect_errors=True)
    assert "aliases" in body["errors"][0]["message"].lower()


async def test_token_limit(gql):
    body = await gql("{ categories { " + "name " * 3000 + "} }", expect_errors=True)
    assert "token" in body["errors"][0]["message"].lower()


async def test_mutations_are_refused_over_get(client):
    response = await client.get("/graphql", params={"query": "mutation { x }"})
    assert response.status_code in (400, 405)  # 405 once the schema has mutations
    assert "data" not in response.text or response.json().get("data") is None


async def test_queries_work_over_get(client):
    response = await client.get("/graphql", params={"query": "{ categories { name } }"})
    assert response.status_code == 200 and response.json()["data"]["categories"]


async def test_oversized_body_is_refused(client):
    response = await client.post("/graphql", content=b'{"query": "' + b" " * 200_000 + b'{ categories { name } }"}',
                                 headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


async def test_unexpected_errors_are_masked_with_an_id_that_is_logged(database, caplog, monkeypatch):
    from domain.catalogue import service

    async def broken(*args, **kwargs):
        raise RuntimeError("relation secret_table does not exist")

    monkeypatch.setattr(service, "root_categories", broken)
    async with make_client(database, env="production", secret_key="x" * 32) as http:
        with caplog.at_level(logging.ERROR, logger="tributary.errors"):
            response = await http.post("/graphql", json={"query": "{ categories { name } }"})
    error = response.json()["errors"][0]
    assert error["message"] == "Unexpected error."
    assert "secret_table" not in response.text
    assert any(error["extensions"]["errorId"] in r.getMessage() for r in caplog.records)


async def test_introspection_and_graphiql_only_in_development(database, client):
    dev = await client.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})
    assert dev.json()["data"]["__schema"]["queryType"]["name"] == "Query"
    async with make_client(database, env="production", secret_key="x" * 32) as prod:
        body = (await prod.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})).json()
        assert body["errors"] and not body.get("data")
        typo = (await prod.post("/graphql", json={"query": "{ categorie { name } }"})).json()
        assert "Did you mean" not in typo["errors"][0]["message"]
        ide = await prod.get("/graphql", headers={"accept": "text/html"})
        assert ide.status_code != 200 or "graphiql" not in ide.text.lower()
    ide = await client.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" in ide.text.lower()


async def test_health_readiness_metrics_and_request_id(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}
    response = await client.post("/graphql", json={"query": "{ categories { name } }"}, headers={"x-request-id": "abc123"})
    assert response.headers["x-request-id"] == "abc123"
    metrics = (await client.get("/metrics")).text
    assert 'tributary_http_requests_total{method="POST",path="/graphql",status="200"}' in metrics


async def test_batched_requests_are_refused(client):
    response = await client.post("/graphql", json=[{"query": "{ categories { name } }"}] * 2)
    assert response.status_code == 400


async def test_nodes_takes_at_most_100_ids(gql):
    ids = [_b64(f"Product:{i}") for i in range(1, 102)]
    body = await gql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}, expect_errors=True)
    assert body["errors"][0]["extensions"]["reason"] == "TOO_MANY_IDS"


async def test_a_statement_over_the_timeout_is_cancelled_with_a_clear_error(database, monkeypatch):
    from domain.catalogue import service
    from domain.shared.db import Database

    async def slow(reader):
        await reader.fetch("SELECT pg_sleep(2)")

    monkeypatch.setattr(service, "root_categories", slow)
    db = Database(database.url, pool_size=1, statement_timeout_ms=200)
    try:
        async with make_client(db) as http:
            body = (await http.post("/graphql", json={"query": "{ categories { name } }"})).json()
    finally:
        await db.close()
    assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"


@pytest.mark.parametrize("query", [
    'query($s: String!) { seller(slug: $s) { id } }',
    'query($s: String!) { search(query: $s) { totalCount } }',
    'query($s: String!) { searchSuggestions(prefix: $s) { text } }',
])
async def test_nul_characters_are_refused_before_any_field_sees_them(client, query):
    response = await client.post("/graphql", json={"query": query, "variables": {"s": "harry\u0000potter"}})
    assert response.status_code == 400
    assert response.json() == {"errors": [{
        "message": "Text in the request contains NUL (\\u0000), which no field accepts.",
        "extensions": {"code": "BAD_USER_INPUT", "reason": "INVALID_CHARACTER"}}]}
