"""The GraphQL-over-HTTP rules (https://graphql.github.io/graphql-over-http/draft/): the media type
the client accepts, 4xx without `data` for operations refused before execution when it accepts
`application/graphql-response+json`, the old 200 for `application/json`, 406, JSON errors with
`extensions.code` for every refusal, and graphql-http's own server audit on a real port."""
import json
import re

import pytest

from api.http.media_types import GRAPHQL_RESPONSE, JSON, negotiate
from tests.conftest import make_client
from tests.fixtures.live import live_server, run_node

GRAPHQL = {"accept": GRAPHQL_RESPONSE}
PARSE_FAILURE = {"query": "{"}
VALIDATION_FAILURE = {"query": "{ noSuchField }"}
COERCION_FAILURE = {"query": "query Page($n: Int!) { products(first: $n) { nodes { id } } }", "variables": {"n": "ten"}}
PAGE_TOO_LARGE = {"query": "{ products(first: 500) { nodes { id } } }"}
REFUSED = {"parse": (PARSE_FAILURE, "GRAPHQL_PARSE_FAILED"),
           "validation": (VALIDATION_FAILURE, "GRAPHQL_VALIDATION_FAILED"),
           "variables": (COERCION_FAILURE, "BAD_USER_INPUT"),
           "page size": (PAGE_TOO_LARGE, "BAD_USER_INPUT")}


async def test_the_graphql_http_server_audit_passes_without_warnings_or_notices(database):
    async with live_server(database) as url:
        out = await run_node("audit.mjs", f"{url}/graphql")
    summary = re.search(r"audit: (\d+) ok, (\d+) notices, (\d+) warnings, (\d+) errors", out)
    assert summary, out
    ok, notices, warnings, errors = map(int, summary.groups())
    assert (notices, warnings, errors) == (0, 0, 0), out
    assert ok == out.count("\nok ") + out.startswith("ok ") and ok >= 60, out


@pytest.mark.parametrize("accept, chosen", [
    (None, JSON),
    ("", JSON),
    ("*/*", JSON),
    ("application/*", JSON),
    ("application/json", JSON),
    ("Application/JSON; charset=utf-8", JSON),
    (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
    (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),  # Apollo Client 4, graphql-http
    (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
    (f"application/json, {GRAPHQL_RESPONSE};q=0.5", JSON),
    (f"{GRAPHQL_RESPONSE};q=0.5, */*", JSON),
    (f"{GRAPHQL_RESPONSE};q=0.5, text/html", GRAPHQL_RESPONSE),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),  # a browser's address bar
    ("application/json;q=0, */*", GRAPHQL_RESPONSE),
    ("text/html", None),
    ("application/xml, text/plain", None),
    ("application/json;q=0", None),
    ("application/json;q=zero", None),
])
def test_the_response_type_is_the_one_the_accept_header_prefers(accept, chosen):
    assert negotiate(accept) == chosen


async def test_an_executed_operation_is_200_in_the_type_asked_for(client):
    for headers, media_type in ((GRAPHQL, GRAPHQL_RESPONSE), ({"accept": "application/json"}, JSON), ({}, JSON)):
        response = await client.post("/graphql", json={"query": "query Name { __typename }"}, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"] == media_type
        assert response.json()["data"] == {"__typename": "Query"}
        assert "Accept" in response.headers["vary"]


async def test_a_field_error_during_execution_is_still_200_with_its_data(client):
    response = await client.post("/graphql", json={"query": '{ node(id: "garbage") { id } }'}, headers=GRAPHQL)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"node": None}
    assert body["errors"][0]["path"] == ["node"] and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("request_body, code", REFUSED.values(), ids=REFUSED.keys())
async def test_an_operation_refused_before_execution_is_400_without_data_for_graphql_response_json(
        client, request_body, code):
    response = await client.post("/graphql", json=request_body, headers=GRAPHQL)
    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    body = response.json()
    assert "data" not in body
    assert body["errors"] and all(error["extensions"]["code"] == code for error in body["errors"])


@pytest.mark.parametrize("request_body, code", REFUSED.values(), ids=REFUSED.keys())
async def test_an_operation_refused_before_execution_stays_200_with_null_data_for_application_json(
        client, request_body, code):
    for headers in ({"accept": "application/json"}, {"accept": "*/*"}, {}):
        response = await client.post("/graphql", json=request_body, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"] == JSON
        body = response.json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code


async def test_get_follows_the_same_rules(client):
    ok = await client.get("/graphql", params={"query": "{ __typename }"}, headers=GRAPHQL)
    refused = await client.get("/graphql", params=VALIDATION_FAILURE, headers=GRAPHQL)
    old = await client.get("/graphql", params=VALIDATION_FAILURE)
    assert (ok.status_code, ok.headers["content-type"], ok.json()["data"]) == (200, GRAPHQL_RESPONSE,
                                                                                {"__typename": "Query"})
    assert (refused.status_code, "data" in refused.json()) == (400, False)
    assert (old.status_code, old.json()["data"]) == (200, None)


@pytest.mark.parametrize("method, kwargs", [
    ("POST", {"json": {"query": "{ __typename }"}}),
    ("GET", {"params": {"query": "{ __typename }"}}),
])
async def test_an_accept_header_that_allows_neither_json_type_is_406(client, method, kwargs):
    response = await client.request(method, "/graphql", headers={"accept": "text/html"}, **kwargs)
    assert response.status_code == 406
    assert response.headers["content-type"] == JSON
    assert response.json() == {"errors": [{
        "message": f"Responses are {GRAPHQL_RESPONSE} or {JSON}; the Accept header allows neither.",
        "extensions": {"code": "NOT_ACCEPTABLE"}}]}


async def test_graphiql_still_opens_for_a_browser_asking_for_html(client):
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_request_errors_are_4xx_in_the_type_asked_for(client):
    not_json = await client.post("/graphql", content=b"{", headers={**GRAPHQL, "content-type": "application/json"})
    batch = await client.post("/graphql", json=[{"query": "{ __typename }"}], headers=GRAPHQL)
    unsupported = await client.post("/graphql", content=b"{}", headers={**GRAPHQL, "content-type": "application/xml"})
    too_large = await client.post("/graphql", content=b"x" * 200_000,
                                  headers={**GRAPHQL, "content-type": "application/json"})
    mutation = await client.get("/graphql", params={"query": "mutation { signOut { userErrors { code } } }"},
                                headers=GRAPHQL)
    codes = {"INVALID_JSON": not_json, "BATCHING_NOT_SUPPORTED": batch, "UNSUPPORTED_MEDIA_TYPE": unsupported,
             "REQUEST_TOO_LARGE": too_large, "METHOD_NOT_ALLOWED": mutation}
    assert {response.status_code for response in codes.values()} == {400, 405, 413, 415}
    for code, response in codes.items():
        assert response.headers["content-type"] == GRAPHQL_RESPONSE
        [error] = response.json()["errors"]
        assert code in (error["extensions"]["code"], error["extensions"].get("reason"))


@pytest.mark.parametrize("method, path, status, code", [
    ("GET", "/nothing-here", 404, "NOT_FOUND"),
    ("POST", "/healthz", 405, "METHOD_NOT_ALLOWED"),
    ("DELETE", "/graphql", 405, "METHOD_NOT_ALLOWED"),
])
async def test_every_other_refusal_is_a_json_graphql_error(client, method, path, status, code):
    response = await client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == JSON
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code and error["message"]


async def test_a_failure_outside_graphql_is_a_json_500_with_an_error_id(database, monkeypatch, caplog):
    from api.app import GraphQLApp

    async def broken(self, request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(GraphQLApp, "answer", broken)
    async with make_client(database) as http:
        response = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": "http://localhost:3000"})
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert error["message"] == "Unexpected error." and error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in response.text
    assert response.headers["x-request-id"]
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert any(error["extensions"]["errorId"] in record.getMessage() for record in caplog.records)


async def test_apollo_client_reads_400_answers_as_graphql_errors(database):
    # Apollo Client 4 asks for application/graphql-response+json first, so every refused
    # operation reaches it as a 4xx; it must still see the GraphQL errors and their codes.
    operations = [{"query": "query Name { __typename }"}, {"query": "query Bad { noSuchField }"},
                  {**COERCION_FAILURE}, {"query": "query Big { products(first: 500) { nodes { id } } }"}]
    async with live_server(database) as url:
        out = await run_node("apollo_errors.mjs", f"{url}/graphql", json.dumps(operations))
    results = [json.loads(line) for line in out.splitlines()]
    assert results == [
        {"data": {"__typename": "Query"}, "error": None, "codes": []},
        {"data": None, "error": "CombinedGraphQLErrors", "codes": ["GRAPHQL_VALIDATION_FAILED"]},
        {"data": None, "error": "CombinedGraphQLErrors", "codes": ["BAD_USER_INPUT"]},
        {"data": None, "error": "CombinedGraphQLErrors", "codes": ["BAD_USER_INPUT"]},
    ]


async def test_a_failure_before_execution_is_a_500_without_data_for_graphql_response_json(client, monkeypatch):
    from api.limits import cost

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(cost, "_cached_cost", broken)
    response = await client.post("/graphql", json={"query": "{ products(first: 3) { nodes { id } } }"},
                                 headers=GRAPHQL)
    assert response.status_code == 500
    body = response.json()
    assert "data" not in body and "secret" not in response.text
    assert [error["extensions"]["code"] for error in body["errors"]] == ["INTERNAL_SERVER_ERROR"]


async def test_a_document_with_several_operations_needs_an_operation_name(client):
    document = "query First { __typename } query Second { __typename }"
    unnamed = await client.post("/graphql", json={"query": document}, headers=GRAPHQL)
    named = await client.post("/graphql", json={"query": document, "operationName": "Second"}, headers=GRAPHQL)

    assert unnamed.status_code == 400 and "data" not in unnamed.json()
    [error] = unnamed.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST", "reason": "OPERATION_NAME_REQUIRED"}
    assert named.status_code == 200 and named.json()["data"] == {"__typename": "Query"}
