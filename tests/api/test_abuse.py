"""Abuse resistance of the HTTP surface in production mode: no introspection, no suggestions,
masked internal errors with readable validation errors, body size and content-type limits,
no batching, no mutations over GET, no GraphiQL."""
from __future__ import annotations

import json
import logging

import pytest

from tests.conftest import make_client

pytestmark = pytest.mark.one_copy_per_file

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


async def test_a_failure_outside_any_resolver_is_masked_too_in_production(prod, caplog, monkeypatch):
    from api.limits import cost

    def broken(*args, **kwargs):
        raise RuntimeError('duplicate key value violates unique constraint "accounts_pkey"')

    monkeypatch.setattr(cost, "_cached_cost", broken)
    with caplog.at_level(logging.ERROR, logger="tributary.errors"):
        response = await prod.post("/graphql", json={"query": "{ products(first: 3) { nodes { id } } }"})
    assert response.status_code == 200
    body = response.json()
    [error] = body["errors"]
    assert (body["data"], error["message"], error["extensions"]["code"]) == (None, "Unexpected error.",
                                                                             "INTERNAL_SERVER_ERROR")
    assert "accounts_pkey" not in response.text
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
    assert response.json() == {"errors": [{
        "message": "Send one operation per request: batches are not supported.",
        "extensions": {"code": "BAD_REQUEST", "reason": "BATCHING_NOT_SUPPORTED"}}]}


async def test_graphiql_is_not_served_in_production(prod, client):
    page = await prod.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert "graphiql" not in page.text.lower()
    assert "graphiql" in (await client.get("/graphql", headers={"accept": "text/html"})).text.lower()


@pytest.mark.parametrize("headers", [
    {"content-type": "application/graphql"},
    {"content-type": "application/graphql-response+json"},
    # A form's content type with a preflight-forcing header is not a forgery (tests/api/http/test_csrf.py),
    # but still not JSON.
    {"content-type": "text/plain", "apollo-require-preflight": "true"},
    {"content-type": "multipart/form-data; boundary=x", "x-apollo-operation-name": "Q"},
])
async def test_bodies_that_are_not_json_are_refused_with_415(prod, headers):
    response = await prod.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
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
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert response.json() == {"errors": [{
            "message": "Mutations are not allowed when using GET: send them with POST.",
            "extensions": {"code": "METHOD_NOT_ALLOWED", "reason": "OPERATION_NOT_ALLOWED_OVER_GET"}}]}


def test_production_refuses_to_start_without_a_signing_key(database):
    import pytest

    from api.app import create_app
    from domain.shared.config import Settings

    with pytest.raises(RuntimeError, match="TRIBUTARY_SECRET_KEY"):
        create_app(Settings(env="production"), database=database)


# Malformed requests, in production as in development: a 4xx with a GraphQL error in JSON,
# never a 500 or a stack trace, and nothing run.

@pytest.fixture(scope="module", params=["development", "production"])
async def either(request, database):
    async with make_client(database, env=request.param, secret_key=SECRET) as http:
        yield http


def _deep(levels: int) -> bytes:
    return b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * levels + b"]" * levels + b"}}"


NOT_UTF8 = ("The request body is not UTF-8 (at byte 24).", {"code": "BAD_REQUEST", "reason": "INVALID_ENCODING"})
TOO_DEEP = ("The request's JSON nests deeper than 32 levels.", {"code": "BAD_USER_INPUT", "reason": "JSON_TOO_DEEP"})
OUT_OF_RANGE = ("A number in the request is out of range: numbers lie between -2^53 and 2^53.",
                {"code": "BAD_USER_INPUT", "reason": "NUMBER_OUT_OF_RANGE"})
SURROGATE = ("Text in the request contains a lone UTF-16 surrogate (\\ud800-\\udfff), which is not a Unicode character.",
             {"code": "BAD_USER_INPUT", "reason": "INVALID_CHARACTER"})
NUL = ("Text in the request contains NUL (\\u0000), which no field accepts.",
       {"code": "BAD_USER_INPUT", "reason": "INVALID_CHARACTER"})
NOT_AN_OBJECT = ("The request must be a JSON object with a `query`.", {"code": "BAD_REQUEST", "reason": "INVALID_REQUEST"})
PAGE = b'{"query": "query($n: Int) { products(first: $n) { nodes { id } } }", "variables": {"n": %s}}'


@pytest.mark.parametrize("body, message, extensions", [
    (b'{"query": "{ __typename \xff }"}', *NOT_UTF8),
    (b'{"query": "{ __typename \xed\xa0\x80 }"}', *NOT_UTF8),  # a surrogate encoded as if it were a character
    (_deep(40_000), *TOO_DEEP),  # 80 KB, under the body limit; past the JSON decoder's own limit
    (_deep(32), *TOO_DEEP),
    (PAGE % b"1208925819614629174706176", *OUT_OF_RANGE),
    (PAGE % b"-9007199254740993", *OUT_OF_RANGE),
    (PAGE % b"1e300", *OUT_OF_RANGE),
    (b'{"query": "query($s: String) { product(slug: $s) { id } }", "variables": {"s": "ha\\ud800"}}', *SURROGATE),
    (b'{"query": "query($s: String) { product(slug: $s) { id } }", "variables": {"s": "\\udc00ha"}}', *SURROGATE),
    (b'{"query": "{ product(slug: \\"ha\\ud800\\") { id } }"}', *SURROGATE),
    (b'{"query": "query($s: String) { product(slug: $s) { id } }", "variables": {"s": "ha\\u0000"}}', *NUL),
    (b'{"query": "{ __typename }", "extensions": {"a\\u0000": 1}}', *NUL),
    (b'[]', "Send one operation per request: batches are not supported.",
     {"code": "BAD_REQUEST", "reason": "BATCHING_NOT_SUPPORTED"}),
    (b'"x"', *NOT_AN_OBJECT),
    (b"1", *NOT_AN_OBJECT),
    (b"null", *NOT_AN_OBJECT),
    (b"true", *NOT_AN_OBJECT),
    (b'{"query": 1}', "`query` must be a string (or null).", {"code": "BAD_REQUEST", "reason": "INVALID_REQUEST"}),
    (b'{"query": ["{ __typename }"]}', "`query` must be a string (or null).",
     {"code": "BAD_REQUEST", "reason": "INVALID_REQUEST"}),
    (b'{"query": "{ __typename }", "variables": []}', "`variables` must be an object (or null).",
     {"code": "BAD_REQUEST", "reason": "INVALID_REQUEST"}),
    (b'{"query": "{ __typename }", "variables": "{}"}', "`variables` must be an object (or null).",
     {"code": "BAD_REQUEST", "reason": "INVALID_REQUEST"}),
    (b'{"query": "{ __typename }", "operationName": 3}', "`operationName` must be a string (or null).",
     {"code": "BAD_REQUEST", "reason": "INVALID_REQUEST"}),
    (b'{"query": "{ __typename }", "extensions": [1]}', "`extensions` must be an object (or null).",
     {"code": "BAD_REQUEST", "reason": "INVALID_REQUEST"}),
    (b'{"query": "{ __typename }", "operationName": "Other"}', 'Unknown operation named "Other".',
     {"code": "BAD_REQUEST", "reason": "UNKNOWN_OPERATION"}),
    (b'{"query": "fragment F on Query { __typename }"}', "The document has no operation to run.",
     {"code": "BAD_REQUEST", "reason": "UNKNOWN_OPERATION"}),
    (b"{}", "No GraphQL query found in the request", {"code": "BAD_REQUEST", "reason": "MISSING_QUERY"}),
])
async def test_a_malformed_body_gets_400_with_a_graphql_error(either, body, message, extensions):
    response = await either.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"errors": [{"message": message, "extensions": extensions}]}


@pytest.mark.parametrize("body", [b"", b"{", b'{"query": "{ __typename }",}', b"NaN",
                                  b'{"query": "{ __typename }", "variables": {"a": NaN}}',
                                  b'{"query": "{ __typename }", "variables": {"a": Infinity}}',
                                  b'{"query": "{ __typename }", "variables": {"a": 1e400}}', b"\x00", b"\xff\xfe{}"])
async def test_a_body_that_is_not_json_gets_400_saying_where(either, body):
    response = await either.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] in ({"code": "BAD_REQUEST", "reason": "INVALID_JSON"},
                                   {"code": "BAD_REQUEST", "reason": "INVALID_ENCODING"})
    assert error["message"].startswith(("The request is not valid JSON: ", "The request body is not UTF-8"))


async def test_a_large_variables_object_under_the_body_limit_is_read_and_ignored(either):
    variables = {f"u{i}": [i, "x"] for i in range(5000)}
    body = json.dumps({"query": "{ __typename }", "variables": variables}, separators=(",", ":")).encode()
    assert 80_000 < len(body) < 100_000
    response = await either.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}


@pytest.mark.parametrize("params, message, extensions", [
    ({"query": "{ __typename }", "variables": "{bad"}, None, {"code": "BAD_REQUEST", "reason": "INVALID_JSON"}),
    ({"query": "{ __typename }", "variables": "[]"}, "`variables` must be an object (or null).",
     {"code": "BAD_REQUEST", "reason": "INVALID_REQUEST"}),
    ({"query": "{ __typename }", "variables": '{"s": "\\ud800"}'}, *SURROGATE),
    ({"query": "{ __typename }", "extensions": "1"}, "`extensions` must be an object (or null).",
     {"code": "BAD_REQUEST", "reason": "INVALID_REQUEST"}),
    ({"query": '{ product(slug: "\x00") { id } }'}, *NUL),
    ({"query": "query($n: Int) { __typename }", "variables": '{"n": 1208925819614629174706176}'}, *OUT_OF_RANGE),
])
async def test_get_with_bad_parameters_gets_400_with_a_graphql_error(either, params, message, extensions):
    response = await either.get("/graphql", params=params)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == extensions
    if message is not None:
        assert error["message"] == message


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_other_methods_get_405_with_a_graphql_error(either, method):
    response = await either.request(method, "/graphql", content=b'{"query": "{ __typename }"}')
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST, OPTIONS"
    assert response.json() == {"errors": [{"message": "GraphQL only supports GET and POST requests.",
                                           "extensions": {"code": "METHOD_NOT_ALLOWED"}}]}


@pytest.mark.parametrize("length, status, code", [("ten", 400, "BAD_REQUEST"), ("-1", 400, "BAD_REQUEST"),
                                                  ("1e3", 400, "BAD_REQUEST"), ("9" * 5000, 413, "REQUEST_TOO_LARGE")])
async def test_a_content_length_that_is_not_a_small_number_is_refused(either, length, status, code):
    response = await either.post("/graphql", content=b'{"query": "{ __typename }"}',
                                 headers={"content-type": "application/json", "content-length": length})
    assert response.status_code == status
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == [code]


# Every string argument a hostile client tried: refused before any field, use case or log sees it.
STRING_ARGUMENTS = [
    ("query($s: String!) { product(slug: $s) { id } }", "{{ product(slug: {s}) {{ id }} }}", None),
    ("query($s: String!) { searchSuggestions(prefix: $s) { text } }",
     "{{ searchSuggestions(prefix: {s}) {{ text }} }}", None),
    ("mutation($s: String!) { signIn(input: {email: $s, password: \"correct horse battery\", clientKind: WEB,"
     " deviceName: \"x\"}) { userErrors { code } } }",
     "mutation {{ signIn(input: {{email: {s}, password: \"correct horse battery\", clientKind: WEB,"
     " deviceName: \"x\"}}) {{ userErrors {{ code }} }} }}", None),
    ("mutation($s: String!) { registerCustomer(input: {email: \"ada@example.com\", password: \"correct horse"
     " battery\", displayName: $s}) { accepted } }",
     "mutation {{ registerCustomer(input: {{email: \"ada@example.com\", password: \"correct horse battery\","
     " displayName: {s}}}) {{ accepted }} }}", None),
    ("mutation($s: String!) { registerCustomer(input: {email: \"ada@example.com\", password: $s,"
     " displayName: \"Ada\"}) { accepted } }",
     "mutation {{ registerCustomer(input: {{email: \"ada@example.com\", password: {s},"
     " displayName: \"Ada\"}}) {{ accepted }} }}", None),
]


async def test_strings_that_are_not_text_never_get_past_the_request(writable_database, caplog):
    from tests.fixtures.db import fetchval

    accounts = await fetchval(writable_database, "SELECT count(*) FROM accounts")
    with caplog.at_level(logging.INFO):
        for env in ("development", "production"):
            async with make_client(writable_database, env=env, secret_key=SECRET) as http:
                for by_variable, in_document, _ in STRING_ARGUMENTS:
                    for bad, json_body_error in ((r"ha\ud800 horse battery", SURROGATE), (r"ha\u0000 horse battery", NUL)):
                        body = ('{"query": %s, "variables": {"s": "%s"}}' % (json.dumps(by_variable), bad)).encode()
                        variable = await http.post("/graphql", content=body,
                                                   headers={"content-type": "application/json"})
                        literal = await http.post("/graphql", json={"query": in_document.format(s=f'"{bad}"')})

                        assert variable.status_code == 400
                        assert variable.json() == {"errors": [{"message": json_body_error[0],
                                                               "extensions": json_body_error[1]}]}
                        assert literal.status_code == 200
                        [error] = literal.json()["errors"]
                        assert literal.json()["data"] is None
                        if "ud800" in bad:
                            assert error["message"] == "Syntax Error: Invalid Unicode escape sequence: '\\ud800'."
                            assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}
                        else:
                            assert error["message"] == NUL[0]
                            assert error["extensions"] == NUL[1]

    assert await fetchval(writable_database, "SELECT count(*) FROM accounts") == accounts
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "ada@example.com" not in caplog.text and "horse battery" not in caplog.text


@pytest.mark.parametrize("document, variables, message, code", [
    ("query($p: Decimal) { products(first: 1, filter: {minPrice: $p}) { totalCount } }", {"p": "1e999990"},
     "Variable '$p' has invalid value: Decimal cannot represent '1e999990': it must be less than 10^15 in size.",
     "BAD_USER_INPUT"),
    ("query($p: Decimal) { products(first: 1, filter: {minPrice: $p}) { totalCount } }", {"p": "-1E+15"},
     "Variable '$p' has invalid value: Decimal cannot represent '-1E+15': it must be less than 10^15 in size.",
     "BAD_USER_INPUT"),
    ('{ products(first: 1, filter: {maxPrice: "1e999990"}) { totalCount } }', None,
     "Decimal cannot represent '1e999990': it must be less than 10^15 in size.", "GRAPHQL_VALIDATION_FAILED"),
])
async def test_a_decimal_of_10_to_the_15_or_more_is_refused_before_any_field_reads_it(either, document, variables,
                                                                                     message, code):
    # Turning 1e999990 into an integer of minor units, as a price filter does, takes the CPU for 30 s.
    response = await either.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [(message, {"code": code})]


@pytest.mark.parametrize("document, literal", [
    ("{ node(id: %s) { id } }", "1208925819614629174706176"),
    ("{ node(id: %s) { id } }", "-9007199254740993"),
    ("{ node(id: %s) { id } }", "9" * 5000),
    ("{ products(first: 1, filter: {minPrice: %s}) { totalCount } }", "1e400"),
])
async def test_a_number_literal_past_2_to_the_53_is_refused_whatever_the_argument_type(either, document, literal):
    response = await either.post("/graphql", json={"query": document % literal})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"] for e in body["errors"]] == [{"code": "BAD_USER_INPUT", "reason": "NUMBER_OUT_OF_RANGE"}]
    assert body["errors"][0]["message"].endswith("is out of range: numbers lie between -2^53 and 2^53.")


def test_websocket_messages_are_decoded_with_the_same_rules(database):
    from api.app import GraphQLApp
    from api.schema import build_schema
    from domain.shared.config import Settings

    settings = Settings(env="production", secret_key=SECRET)
    view = GraphQLApp(build_schema(settings), settings, {"database": database, "payments": None})
    assert view.decode_json('{"type": "ping"}') == {"type": "ping"}
    for message in ('{"type": "subscribe", "payload": {"variables": {"s": "\\ud800"}}}',
                    '{"type": "subscribe", "payload": {"variables": {"s": "\\u0000"}}}',
                    "[" * 40 + "]" * 40, '{"n": 1208925819614629174706176}'):
        with pytest.raises(json.JSONDecodeError):
            view.decode_json(message)
