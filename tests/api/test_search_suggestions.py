"""searchSuggestions over HTTP: typed suggestions with their objects in a bounded number of
statements, and bad input answered with an empty list or a typed error, never a server error."""
import json

import pytest

from tests.conftest import count_statements

SUGGEST = """
query Suggest($prefix: String!, $first: Int! = 20) {
  searchSuggestions(prefix: $prefix, first: $first) {
    text
    kind
    product { id title }
    brand { id name }
    category { id name }
  }
}
"""


async def test_suggestions_of_every_kind_come_with_their_objects_in_a_few_statements(gql):
    counts, kinds = [], set()
    for prefix in ("a", "the", "hary", "bluepeak"):
        with count_statements() as counter:
            suggestions = (await gql(SUGGEST, {"prefix": prefix}))["data"]["searchSuggestions"]
        counts.append(counter.count)
        for s in suggestions:
            kinds.add(s["kind"])
            objects = {"PRODUCT": s["product"], "BRAND": s["brand"], "CATEGORY": s["category"]}
            assert [k for k, o in objects.items() if o is not None] == ([] if s["kind"] == "AUTHOR" else [s["kind"]])
            target = objects.get(s["kind"])
            assert target is None or s["text"] == target.get("title", target.get("name"))
    assert kinds == {"PRODUCT", "AUTHOR", "BRAND", "CATEGORY"}
    # the dictionary's two statements, then at most one batch each of products, brands and categories
    assert max(counts) <= 5, counts


@pytest.mark.parametrize("prefix", [
    "", "   ", "?!.,;:", "😀🎉", ".*", "\\", "(a+)+$", "%", "_", "%_%",
    "'; DROP TABLE products; --", "' OR 1=1 --", "[[:alpha:]]*", "x" * 100,
])
async def test_odd_prefixes_get_a_list(gql, prefix):
    with count_statements() as counter:
        body = await gql(SUGGEST, {"prefix": prefix})
    assert isinstance(body["data"]["searchSuggestions"], list)
    assert counter.count <= 5


@pytest.mark.parametrize("prefix, first, reason", [
    ("x" * 101, 8, "QUERY_TOO_LONG"),
    ("x" * 10_000, 8, "QUERY_TOO_LONG"),
    (" ".join("abcdefghijklm"), 8, "QUERY_TOO_LONG"),
    ("harry", 0, "INVALID_PAGE_SIZE"),
    ("harry", 21, "INVALID_PAGE_SIZE"),
])
async def test_limits_are_typed_errors_before_any_statement(gql, prefix, first, reason):
    with count_statements() as counter:
        body = await gql(SUGGEST, {"prefix": prefix, "first": first}, expect_errors=True)
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["reason"]) == ("BAD_USER_INPUT", reason)
    assert body["data"] is None
    assert counter.count == 0


@pytest.mark.parametrize("prefix", ["\x00", "harry\x00potter", "\ud800", "harry\udfff", "\udfff\ud800"])
async def test_nul_and_lone_surrogates_get_an_empty_list_or_a_typed_error(client, prefix):
    # Sent as JSON escapes, as a client with broken text would: `\\ud800` alone is valid JSON.
    body = json.dumps({"query": SUGGEST, "variables": {"prefix": prefix}}, ensure_ascii=True)
    response = await client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    answer = response.json()
    if response.status_code == 200 and "errors" not in answer:
        found = answer["data"]["searchSuggestions"]
        assert found == [] or all("harry" in s["text"].lower() for s in found)
    else:
        assert response.status_code in (200, 400)
        assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
