"""Queries whose text has run before skip strawberry's pipeline (api/core/prepared.py): the
first request of a text goes through it, later ones are answered by the prepared path, and both
must answer the same, whatever the request does (data, resolver errors, refusals by cost or
budget, variables that do not coerce, cache headers, an extension that fails)."""
from __future__ import annotations

import itertools

import pytest
import strawberry
from strawberry.extensions import SchemaExtension

from api.core.prepared import PreparedQueries
from api.limits.budget import CostBudget
from api.schema import build_schema
from domain.shared.config import Settings
from tests.conftest import make_client

pytestmark = pytest.mark.one_copy_per_file

_texts = itertools.count()


def fresh(query: str) -> str:
    """`query` as a text no other request of the suite has sent (so its first run is the
    pipeline's): the schema, and what it admitted, are shared by apps with the same settings."""
    return f"# prepared {next(_texts)}\n{query}"


@pytest.fixture
def pipeline_runs(monkeypatch) -> list[str]:
    """The texts strawberry's pipeline ran for a schema with a prepared path (any request that
    path did not answer; not the stock executor's, which the differential runs' twin uses)."""
    runs: list[str] = []
    original = strawberry.Schema.execute

    async def counted(self, query, *args, **kwargs):
        if getattr(self, "prepared", None) is not None:
            runs.append(query)
        return await original(self, query, *args, **kwargs)

    monkeypatch.setattr(strawberry.Schema, "execute", counted)
    return runs


def comparable(body: dict) -> dict:
    """The body without what differs between any two requests: the error IDs, and the budget
    left, which each request spends."""
    for error in body.get("errors") or ():
        (error.get("extensions") or {}).pop("errorId", None)
    cost = (body.get("extensions") or {}).get("cost") or {}
    if "throttleStatus" in cost:
        cost["throttleStatus"].pop("currentlyAvailable")
    return body


async def twice(http, payload: dict, **kwargs) -> tuple:
    """The same request sent twice: (first response, second response)."""
    first = await http.post("/graphql", json=payload, **kwargs)
    second = await http.post("/graphql", json=payload, **kwargs)
    return first, second


async def test_a_query_runs_through_the_pipeline_once_then_is_answered_prepared(database, pipeline_runs):
    query = fresh("query Listing($n: Int!) { products(first: $n) { nodes { id title category { name } } } }")
    async with make_client(database) as http:
        for n in (3, 3, 5):
            response = await http.post("/graphql", json={"query": query, "variables": {"n": n}})
            body = response.json()
            assert "errors" not in body and len(body["data"]["products"]["nodes"]) == n
            assert response.headers["x-tributary-executor"] == "compiled"
            assert body["extensions"]["cost"]["requestedQueryCost"] == 2 + n  # the page, and each product's category
    assert pipeline_runs == [query]


async def test_the_executor_is_made_from_what_the_document_kept(database, pipeline_runs, monkeypatch):
    """graphql-core's `build` (the operation found, the variables coerced) runs for the first
    request of each distinct set of variables, then never again for them; each request still gets
    its own values' answer, and variables of other kinds are coerced every time."""
    schema = build_schema(Settings(env="production"))
    executor_class = schema.execution_context_class
    builds: list[dict] = []
    original = executor_class.build.__func__

    def counted(cls, schema, document, root_value=None, context_value=None, raw_variable_values=None, *args, **kwargs):
        builds.append(raw_variable_values)
        return original(cls, schema, document, root_value, context_value, raw_variable_values, *args, **kwargs)

    monkeypatch.setattr(executor_class, "build", classmethod(counted))
    listing = fresh("query Listing($n: Int!, $sort: ProductSortKey!, $after: String) "
                    "{ products(first: $n, sortKey: $sort, after: $after) { nodes { id } } }")
    by_ids = fresh("query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }")
    async with make_client(database) as http:
        sizes = []
        for n, sort in ((3, "TITLE"), (5, "TITLE"), (3, "TITLE"), (5, "TITLE"), (3, "PRICE"), (3, "PRICE")):
            body = (await http.post("/graphql", json={"query": listing, "variables": {
                "n": n, "sort": sort, "after": None}})).json()
            sizes.append(len(body["data"]["products"]["nodes"]))
        ids = body["data"]["products"]["nodes"]
        for count in (1, 2, 2):
            body = (await http.post("/graphql", json={"query": by_ids, "variables": {
                "ids": [i["id"] for i in ids[:count]]}})).json()
            assert [n["id"] for n in body["data"]["nodes"]] == [i["id"] for i in ids[:count]]
    assert sizes == [3, 5, 3, 5, 3, 3]
    # The pipeline's run of the first request builds too (graphql-core's `execute`, which keeps
    # nothing), so the prepared path builds for its values once more.
    assert builds == [{"n": n, "sort": sort, "after": None}
                      for n, sort in ((3, "TITLE"), (5, "TITLE"), (3, "TITLE"), (3, "PRICE"))] + [
        {"ids": [i["id"] for i in ids[:count]]} for count in (1, 2, 2)]
    assert pipeline_runs == [listing, by_ids]


async def test_both_paths_answer_the_same(database, pipeline_runs):
    # (request, whether the pipeline answers it every time: variables that do not coerce are
    # handed back before anything is charged, for the pipeline to refuse in its words)
    cases = [
        # data, and a resolver's error beside it (a bad global ID)
        ({"query": "{ products(first: 2) { nodes { id title } } node(id: \"bad\") { id } }"}, False),
        # a page size out of range: refused whole by the cost limit
        ({"query": "query($n: Int!) { products(first: $n) { nodes { id } } }", "variables": {"n": 100000}}, False),
        # variables that do not coerce: an Int, another type, a missing one
        ({"query": "query($n: Int!) { products(first: $n) { nodes { id } } }", "variables": {"n": "many"}}, True),
        ({"query": "query($s: String!) { product(slug: $s) { id } }", "variables": {"s": 5}}, True),
        ({"query": "query($s: String!) { product(slug: $s) { id } }", "variables": {}}, True),
        # a variable that coerces, and a null answer
        ({"query": "query($s: String!) { product(slug: $s) { id } }", "variables": {"s": "no-such-product"}}, False),
    ]
    async with make_client(database) as http:
        for payload, every_time in cases:
            payload = {**payload, "query": fresh(payload["query"])}
            before = len(pipeline_runs)
            first, second = await twice(http, payload)
            assert first.status_code == second.status_code == 200
            assert comparable(first.json()) == comparable(second.json()), payload
            assert first.headers["cache-control"] == second.headers["cache-control"]
            assert len(pipeline_runs) - before == (2 if every_time else 1), payload


async def test_the_cost_limit_refuses_the_same_way(database, pipeline_runs):
    query = fresh("{ products(first: 50) { nodes { id category { name } } } }")
    async with make_client(database, max_cost=20) as http:
        first, second = await twice(http, {"query": query})
    assert first.json() == second.json()
    assert second.json()["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert pipeline_runs == [query]


async def test_an_anonymous_get_is_cached_the_same_way(database, pipeline_runs):
    query = fresh("{ products(first: 2) { nodes { id title } } }")
    async with make_client(database) as http:
        first = await http.get("/graphql", params={"query": query})
        second = await http.get("/graphql", params={"query": query})
        etag = second.headers["etag"]
        unchanged = await http.get("/graphql", params={"query": query}, headers={"If-None-Match": etag})
    assert first.content == second.content
    assert first.headers["cache-control"] == second.headers["cache-control"] == "public, max-age=60"
    assert first.headers["etag"] == etag
    assert first.headers["x-cost-requested"] == second.headers["x-cost-requested"]
    assert unchanged.status_code == 304
    assert pipeline_runs == [query]


async def test_each_operation_of_a_document_is_admitted_by_its_name(database, pipeline_runs):
    query = fresh("query One { products(first: 1) { nodes { id } } } query Two { products(first: 2) { nodes { id } } }")
    async with make_client(database) as http:
        sizes = []
        for name in ("One", "Two", "One", "Two"):
            body = (await http.post("/graphql", json={"query": query, "operationName": name})).json()
            sizes.append(len(body["data"]["products"]["nodes"]))
        unnamed = [(await http.post("/graphql", json={"query": query})).json() for _ in range(2)]
    assert sizes == [1, 2, 1, 2]
    assert unnamed[0] == unnamed[1]
    assert unnamed[0]["errors"][0]["extensions"]["reason"] == "OPERATION_NAME_REQUIRED"
    assert pipeline_runs == [query] * 4  # each name once, and the unnamed request every time


async def test_mutations_and_refused_documents_always_take_the_pipeline(database, pipeline_runs):
    mutation = fresh('mutation { signIn(input: {email: "nobody@example.com", password: "wrong-password-1",'
                     ' clientKind: WEB, deviceName: "t"}) { userErrors { code } } }')
    invalid = fresh("{ products(first: 1) { nodes { noSuchField } } }")
    async with make_client(database) as http:
        for query in (mutation, mutation, invalid, invalid):
            await http.post("/graphql", json={"query": query})
    assert pipeline_runs == [mutation, mutation, invalid, invalid]


async def test_a_throttled_caller_is_refused_the_same_way(database, pipeline_runs):
    query = fresh("query($n: Int!) { products(first: $n) { nodes { id category { name } } } }")
    async with make_client(database, cost_budget=300, cost_restore_rate=1) as http:
        bodies = [(await http.post("/graphql", json={"query": query, "variables": {"n": 98}})).json()
                  for _ in range(4)]
    assert [b["data"] is None for b in bodies] == [False, False, False, True]
    assert [b["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] for b in bodies[:3]] == [
        pytest.approx(200, abs=1), pytest.approx(100, abs=1), pytest.approx(0, abs=1)]
    assert bodies[3]["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert pipeline_runs == [query]


async def test_an_extension_failing_around_a_prepared_query_is_an_unexpected_error(database, monkeypatch,
                                                                                   pipeline_runs):
    query = fresh("{ products(first: 1) { nodes { id } } }")

    def broken(*args, **kwargs):
        raise RuntimeError("the budget's store is gone")

    async with make_client(database) as http:
        assert "errors" not in (await http.post("/graphql", json={"query": query})).json()
        monkeypatch.setattr(CostBudget, "take", broken)
        failed = [(await http.post("/graphql", json={"query": query})).json() for _ in range(2)]
        new = fresh("{ products(first: 1) { nodes { id } } }")
        pipeline = (await http.post("/graphql", json={"query": new})).json()
    for body in (*failed, pipeline):
        assert body["data"] is None
        assert body["errors"][0]["message"] == "Unexpected error."
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert comparable(failed[0]) == comparable(pipeline)
    assert pipeline_runs == [query, new]


def test_the_stock_executor_keeps_the_pipeline():
    assert build_schema(Settings(env="production", compiled_executor=False)).prepared is None
    assert build_schema(Settings(env="production")).prepared is not None
    assert build_schema(Settings(env="development")).prepared is not None


class Middleware(SchemaExtension):
    def resolve(self, _next, root, info, *args, **kwargs):
        return _next(root, info, *args, **kwargs)


class Unknown(SchemaExtension):
    def on_execute(self):
        yield


@strawberry.type
class Query:
    ping: str = "pong"


@pytest.mark.parametrize("extension", [Middleware, Unknown])
def test_a_schema_with_field_middleware_or_an_unknown_extension_keeps_the_pipeline(extension):
    prepared = PreparedQueries(max_cost=100, report_executor=False)
    admission = prepared.admission()
    known = (Middleware, admission)
    assert prepared.attach(strawberry.Schema(query=Query, extensions=[extension, admission]),
                           [extension, admission], known) is False
    assert prepared.schema is None
    assert prepared.attach(strawberry.Schema(query=Query, extensions=[admission]), [admission], known) is True


def test_an_executor_made_from_the_kept_state_is_the_one_its_constructor_makes():
    """`ExecutorState`: every attribute the constructor sets, the request's own values and new
    empty containers (never one shared with another request)."""
    from graphql import default_field_resolver, default_type_resolver, parse
    from strawberry.execution import optimized_is_awaitable

    from api.core.prepared import ExecutorState

    schema = build_schema(Settings(env="production"))
    cls = schema.execution_context_class
    document = parse("query Q($n: Int!) { products(first: $n) { nodes { id } } }")
    built = cls.build(schema._schema, document, None, "context one", {"n": 3}, "Q",
                      is_awaitable=optimized_is_awaitable, operation_extensions=None)

    def constructed(context, variables):
        return cls(schema._schema, built.fragment_definitions, built.fragments, None, context, built.operation,
                   variables, default_field_resolver, default_type_resolver, default_field_resolver,
                   is_awaitable=optimized_is_awaitable, operation_extensions={"a": 1})

    state = ExecutorState.of(constructed("context one", built.variable_values))
    made, other = (state.make(None, context, built.variable_values, {"a": 1}) for context in ("context two", "three"))
    expected = vars(constructed("context two", built.variable_values))
    assert type(made) is cls and vars(made).keys() == expected.keys()
    for key, value in vars(made).items():
        if key in ("collected_errors", "_stream_usages", "_initial_execution_plans", "_deferred_execution_plans"):
            assert type(value) is type(expected[key]), key  # no equality of their own: new and empty
        else:
            assert value == expected[key], key
        if key in ("fragment_definitions", "fragments"):
            assert value is vars(other)[key], key  # the document's, shared
        elif isinstance(value, (set, dict, list)) or key == "collected_errors":
            assert value is not vars(other)[key], key
    assert vars(other)["context_value"] == "three"
    assert state.containers  # graphql-core's state of incremental delivery, errors, sub-fields
    started = constructed("context one", built.variable_values)
    started.pending_incremental_futures.add("work")
    assert ExecutorState.of(started) is None  # one holding anything is not copied
