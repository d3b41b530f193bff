"""Whatever is typed into the search box, `search(query:)` answers with a typed error or an empty
result, never a server error, and with a bounded number of statements."""
import json

import pytest

from tests.conftest import count_statements

_SEARCH = """query($q: String!) { search(query: $q, first: 5) { totalCount correctedQuery
  nodes { id } results { product { id } otherFormats { id } } } }"""

EMPTY_OR_FOUND = [
    "!!!",  # punctuation only
    "?? -- .. ,, ;; ::",
    "\U0001F600\U0001F4DA\U0001F525",  # emoji only
    "\u200b\u200d\ufeff",  # zero-width characters
    "'; DROP TABLE products; --",
    "\" OR 1=1 --",
    "harry' || pg_sleep(10) || '",
    ".*",
    "\\",
    "\\\\\\",
    "(a+)+$",
    "^(?:x|x)*$ [[:alpha:]]",
    "%",
    "_",
    "%_%_%",
    "a & b | !c <-> d:*",  # tsquery syntax
    "'quoted' \"double\"",
    "x" * 200,  # one long word
    " ".join(["zzqx"] * 12),  # twelve unknown words
    " ".join(["mockngbirdd"] * 12),  # twelve words with typos
]


@pytest.mark.parametrize("query", EMPTY_OR_FOUND)
async def test_odd_queries_answer_without_error_in_a_bounded_number_of_statements(gql, query):
    with count_statements() as counter:
        body = await gql(_SEARCH, {"q": query})
    result = body["data"]["search"]
    assert result["totalCount"] >= 0 and len(result["nodes"]) <= 5
    assert [r["product"]["id"] for r in result["results"]] == [n["id"] for n in result["nodes"]]
    # spelling (at most 4), page ids, products, facets, buy boxes, other formats
    assert counter.count <= 10, counter.count


@pytest.mark.parametrize("query", ["!!!", "\U0001F600", "%", "\\", "\u200b"])
async def test_a_query_without_a_word_matches_nothing(gql, query):
    result = (await gql(_SEARCH, {"q": query}))["data"]["search"]
    assert result["totalCount"] == 0 and result["nodes"] == [] and result["correctedQuery"] is None


@pytest.mark.parametrize("query", ["x" * 10_000, "harry " * 2000, "\U0001F600" * 201, "a " * 13])
async def test_too_long_a_query_is_a_typed_error(gql, query):
    body = await gql(_SEARCH, {"q": query}, expect_errors=True)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["reason"] == "QUERY_TOO_LONG"


async def _raw(client, escaped: str):
    """The search with the query given as a JSON string's escapes, sent as they are (a lone
    surrogate cannot be encoded as UTF-8 by the client itself)."""
    body = '{"query": %s, "variables": {"q": "%s"}}' % (json.dumps(_SEARCH), escaped)
    return await client.post("/graphql", content=body.encode(), headers={"content-type": "application/json"})


@pytest.mark.parametrize("escaped", ["\\u0000", "harry\\u0000potter"])
async def test_nul_is_a_typed_error(client, escaped):
    response = await _raw(client, escaped)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["reason"] == "INVALID_CHARACTER"


@pytest.mark.parametrize("escaped", ["\\ud800", "harry \\udfff potter", "\\ud83d"])
async def test_lone_surrogates_are_a_typed_error(client, escaped):
    response = await _raw(client, escaped)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
