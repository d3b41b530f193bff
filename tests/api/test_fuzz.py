"""Generated queries over the whole schema never produce an internal error: every failure a
client can provoke is a typed, readable GraphQL error."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries

from domain.shared.config import Settings
from tests.conftest import make_client
from tests.fixtures.sdl import sdl


# Derandomized so the suite is repeatable; run it with more examples and
# derandomize=False to explore further.
@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(query=st.deferred(lambda: queries(sdl())))  # made when it runs, not at collection
async def test_generated_queries_never_fail_internally(client, query):
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    for error in response.json().get("errors", []):
        assert error.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR", (query, error)


# What the schema-driven generator never sends: bytes that are not UTF-8 or not JSON, lone
# surrogates, NUL, integers past every integer type, JSON nested thousands deep, bodies that are
# not one operation, wrong content types and bad GET parameters. Each must get a 4xx (or, for a
# document GraphQL itself refuses, 200) with a coded GraphQL error in JSON: never a 500, never
# "Unexpected error.".

SECRET = "a-production-secret-of-at-least-32-characters"
STRING_FIELDS = [
    "product(slug: {v}) {{ id title }}",
    "searchSuggestions(prefix: {v}) {{ text }}",
    "search(query: {v}) {{ totalCount }}",
    "seller(slug: {v}) {{ id }}",
]
NUMBER_FIELDS = [
    ("Int", "products(first: {v}) {{ nodes {{ id }} }}"),
    ("ID!", "node(id: {v}) {{ id }}"),
    ("Decimal", "products(first: 1, filter: {{minPrice: {v}}}) {{ totalCount }}"),
    ("Int!", 'searchSuggestions(prefix: "ha", first: {v}) {{ text }}'),
]
# Text as it is written inside a JSON or GraphQL string: escapes stay escapes (\ud800 is six
# characters), so a lone surrogate reaches the server as the attacker spelled it.
HOSTILE_TEXT = st.lists(st.one_of(
    st.sampled_from(["\\ud800", "\\udfff", "\\udc00\\ud800", "\\u0000", "\\u{D800}", "\\ud83d\\ude00",
                     "\\\\", '\\"', "\u00e9"]),
    st.text(max_size=5)), max_size=6).map("".join)
HUGE = st.one_of(st.integers(-(2**80), 2**80), st.sampled_from([2**53 + 1, -(2**53) - 1, 2**63, 2**64, 10**400]))
SPELLED_NUMBER = st.one_of(HUGE.map(str), st.sampled_from(["1e400", "-1e400", "1e308", "0.5", "NaN", "-0", "1e999990"]))


@st.composite
def hostile_bodies(draw) -> bytes:
    kind = draw(st.sampled_from(["string variable", "string literal", "number variable", "number literal",
                                 "deep", "shape", "bytes"]))
    if kind == "string variable":
        document = "query($s: String!) { %s }" % draw(st.sampled_from(STRING_FIELDS)).format(v="$s")
        body = '{"query": %s, "variables": {"s": "%s"}}' % (json.dumps(document), draw(HOSTILE_TEXT))
    elif kind == "string literal":
        document = "{ %s }" % draw(st.sampled_from(STRING_FIELDS)).format(v='"%s"' % draw(HOSTILE_TEXT))
        # Quoted for JSON (the escapes reach GraphQL's lexer) or not (they reach the JSON decoder).
        body = '{"query": %s}' % (json.dumps(document) if draw(st.booleans()) else '"%s"' % document.replace('"', '\\"'))
    elif kind == "number variable":
        type_name, field = draw(st.sampled_from(NUMBER_FIELDS))
        document = "query($v: %s) { %s }" % (type_name, field.format(v="$v"))
        body = '{"query": %s, "variables": {"v": %s}}' % (json.dumps(document), draw(SPELLED_NUMBER))
    elif kind == "number literal":
        _, field = draw(st.sampled_from(NUMBER_FIELDS))
        body = json.dumps({"query": "{ %s }" % field.format(v=draw(SPELLED_NUMBER))})
    elif kind == "deep":
        levels = draw(st.integers(1, 45_000))
        opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        body = '{"query": "{ __typename }", "variables": {"v": %s1%s}}' % (opening * levels, closing * levels)
    elif kind == "shape":
        return draw(st.sampled_from([b"[]", b'[{"query": "{ __typename }"}]', b'"x"', b"1", b"null", b"true", b"{}",
                                     b'{"query": 1}', b'{"query": null}', b'{"query": ""}', b'{"query": {}}',
                                     b'{"query": "{ __typename }", "variables": 1}',
                                     b'{"query": "{ __typename }", "variables": "{}"}',
                                     b'{"query": "{ __typename }", "operationName": []}',
                                     b'{"query": "{ __typename }", "extensions": "x"}',
                                     b'{"query": "{ __typename }", "operationName": "Nope"}']))
    else:
        return draw(st.binary(max_size=300))
    return body.encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module", params=["development", "production"])
async def either(request, database):
    async with make_client(database, env=request.param, secret_key=SECRET) as http:
        yield http


# The limit the test apps run with (the default): bodies over it are refused before anything else.
MAX_BODY_BYTES = Settings.model_fields["max_body_bytes"].default


def _assert_refused_cleanly(response, context) -> None:
    assert response.status_code < 500, context
    assert response.headers["content-type"].startswith("application/json"), context
    body = response.json()
    if response.status_code != 200:
        assert 400 <= response.status_code < 500 and body.get("data") is None, context
        assert body["errors"], context
    for error in body.get("errors", []):
        assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", (context, error)
        assert error["message"] != "Unexpected error.", (context, error)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=hostile_bodies(), content_type=st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON"]))
async def test_hostile_bodies_get_a_coded_graphql_error_never_a_500(either, body, content_type):
    response = await either.post("/graphql", content=body, headers={"content-type": content_type})
    _assert_refused_cleanly(response, body[:300])


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=hostile_bodies(), content_type=st.one_of(
    st.sampled_from(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                     "application/graphql", "application/jsonx", "json", ""]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40)))
async def test_bodies_under_other_content_types_get_415_or_400_when_a_form_could_send_them(either, body, content_type):
    response = await either.post("/graphql", content=body, headers={"content-type": content_type})
    essence = content_type.partition(";")[0].strip().lower()
    if len(body) > MAX_BODY_BYTES:
        # The size is refused first, whatever the body claims to be (a deep body reaches 225 KB).
        assert response.status_code == 413, content_type
        assert response.json()["errors"][0]["extensions"] == {"code": "REQUEST_TOO_LARGE"}
        return
    if essence == "application/json":
        _assert_refused_cleanly(response, (content_type, body[:300]))
        return
    if essence in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        assert response.status_code == 400, content_type
        assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST", "reason": "CSRF"}
        return
    assert response.status_code == 415, content_type
    assert response.json()["errors"][0]["extensions"] == {"code": "UNSUPPORTED_MEDIA_TYPE"}


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(params=st.dictionaries(
    st.sampled_from(["query", "variables", "operationName", "extensions"]),
    st.one_of(HOSTILE_TEXT, st.sampled_from(["{ __typename }", "{", "[]", '{"n": 1e400}', '{"s": "\\ud800"}',
                                              '{"n": 1208925819614629174706176}', "mutation { signOut { userErrors { code } } }",
                                              "[" * 3000 + "]" * 3000])),
    max_size=4))
async def test_get_with_hostile_parameters_gets_a_coded_graphql_error_never_a_500(either, params):
    response = await either.get("/graphql", params=params, headers={"accept": "application/json"})
    _assert_refused_cleanly(response, params)
