"""Abuse resistance of the HTTP surface in production mode: no introspection, no suggestions,
masked internal errors with readable validation errors, body size and content-type limits,
no batching, no mutations over GET, no GraphiQL."""
from __future__ import annotations

import logging

import pytest

from tests.conftest import make_client

SECRET = "a-production-secret-of-at-least-32-characters"


@pytest.fixture(scope="module")
async def prod(database):
    async with make_client(database, env="production", secret_key=SECRET) as http:
        yield http


async def _post(http, query: str, variables: dict | None = None) -> dict:
    response = await http.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("query, field", [
    ("{ __schema { queryType { name } } }", "__schema"),
    ('{ __type(name: "Product") { fields { name } } }', "__type"),
])
async def test_introspection_is_refused_in_production(prod, query, field):
    body = await _post(prod, query)
    assert body["data"] is None
    assert body["errors"][0]["message"] == (
        f"GraphQL introspection has been disabled, but the requested query contained the field '{field}'.")


async def test_typename_still_answers_in_production(prod):
    assert (await _post(prod, "{ __typename }"))["data"] == {"__typename": "Query"}


@pytest.mark.parametrize("query, message", [
    ("{ categorie { name } }", "Cannot query field 'categorie' on type 'Query'."),
    ("{ products(frist: 3) { nodes { id } } }", "Unknown argument 'frist' on field 'Query.products'."),
    ('{ node(id: "x") { ... on Prodct { id } } }', "Unknown type 'Prodct'."),
    ("{ products(first: 1, sortKey: PRICEE) { nodes { id } } }", "Value 'PRICEE' does not exist in 'ProductSortKey' enum."),
    ("{ products(first: 1, filter: {minPrise: 1}) { nodes { id } } }",
     "Expected value of type 'ProductFilterInput' not to include unknown field 'minPrise'. Found: { minPrise: 1 }."),
])
async def test_validation_errors_name_the_mistake_without_suggestions_in_production(prod, client, query, message):
    body = await _post(prod, query)
    assert [e["message"] for e in body["errors"]] == [message]
    assert body.get("data") is None
    development = await _post(client, query)
    assert "Did you mean" in development["errors"][0]["message"]


async def test_bad_variables_are_readable_not_masked_in_production(prod):
    body = await _post(prod, "query($n: Int!) { products(first: $n) { nodes { id } } }", {"n": "ten"})
    assert [e["message"] for e in body["errors"]] == [
        "Variable '$n' has invalid value: Int cannot represent non-integer value: 'ten'"]
    out_of_range = await _post(prod, "{ products(first: 500) { nodes { id } } }")
    assert out_of_range["errors"][0]["extensions"]["reason"] == "INVALID_PAGE_SIZE"


async def test_unexpected_errors_are_masked_in_production(prod, caplog, monkeypatch):
    from domain.catalogue import service

    async def broken(*args, **kwargs):
        raise RuntimeError('duplicate key value violates unique constraint "accounts_pkey"')

    monkeypatch.setattr(service, "root_categories", broken)
    with caplog.at_level(logging.ERROR, logger="tributary.errors"):
        body = await _post(prod, "{ categories { name } }")
    [error] = body["errors"]
    assert error["message"] == "Unexpected error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert len(error["extensions"]["errorId"]) == 32
    assert "accounts_pkey" not in str(body) and "Traceback" not in str(body)
    assert any(error["extensions"]["errorId"] in r.getMessage() and r.exc_info for r in caplog.records)


async def test_a_body_over_the_limit_is_refused_with_413_in_production(prod):
    padding = b" " * 100_001
    declared = await prod.post("/graphql", content=b'{"query": "{ __typename }"' + padding + b"}",
                               headers={"content-type": "application/json"})

    async def chunks():
        for _ in range(30):
            yield b" " * 4096  # no content-length: counted as it arrives

    streamed = await prod.post("/graphql", content=chunks(), headers={"content-type": "application/json"})

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json() == {"errors": [{"message": "The request body is over 100000 bytes.",
                                               "extensions": {"code": "REQUEST_TOO_LARGE"}}]}


async def test_batches_are_refused_in_production(prod):
    response = await prod.post("/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    assert response.status_code == 400
    assert response.text == "Batching is not enabled"


async def test_graphiql_is_not_served_in_production(prod, client):
    page = await prod.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "graphiql" not in page.text.lower()
    assert "graphiql" in (await client.get("/graphql", headers={"accept": "text/html"})).text.lower()


@pytest.mark.parametrize("content_type", [
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/graphql",
    "application/graphql-response+json",
    None,
])
async def test_bodies_a_form_could_send_are_refused_with_415(prod, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = await prod.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
    if content_type is None:
        assert "content-type" not in response.request.headers
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"errors": [{"message": "Send the request as `Content-Type: application/json`.",
                                           "extensions": {"code": "UNSUPPORTED_MEDIA_TYPE"}}]}


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "Application/JSON; charset=UTF-8"])
async def test_json_bodies_are_accepted_in_any_case(prod, content_type):
    response = await prod.post("/graphql", content=b'{"query": "{ __typename }"}',
                               headers={"content-type": content_type})
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}


async def test_get_carries_queries_but_never_mutations(prod):
    query = await prod.get("/graphql", params={"query": "{ categories { name } }"})
    assert query.status_code == 200 and query.json()["data"]["categories"]

    mutation = await prod.get("/graphql", params={"query": "mutation { signOut { userErrors { code } } }"})
    chosen = await prod.get("/graphql", params={
        "query": "query A { __typename } mutation B { signOut { userErrors { code } } }", "operationName": "B"})
    for response in (mutation, chosen):
        assert response.status_code == 400
        assert response.text == "mutations are not allowed when using GET"


def test_production_refuses_to_start_without_a_signing_key(database):
    import pytest

    from api.app import create_app
    from domain.shared.config import Settings

    with pytest.raises(RuntimeError, match="TRIBUTARY_SECRET_KEY"):
        create_app(Settings(env="production"), database=database)
