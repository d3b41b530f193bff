"""An operation refused for any reason takes nothing from the caller's budget, and a caller
that brings its own capacity (an API client) is held to it."""
from __future__ import annotations

import pytest

from api.limits import cost
from api.limits.budget import Caller, CostBudget
from tests.fixtures.budget import Clock, budgeted

PAGE = "query($n: Int!) { products(first: $n) { nodes { id category { name } } } }"  # 2 + n points
FILTERED = "query($n: Int!, $f: ProductFilterInput!) { products(first: $n, filter: $f) { nodes { id } } }"


async def _available(http) -> int:
    """The caller's budget now, from the headers of an operation that costs nothing."""
    response = await http.post("/graphql", json={"query": "{ __typename }"})
    return int(response.headers["x-cost-available"])


@pytest.mark.parametrize("query, variables, code", [
    ("{ products(first: 500) { nodes { id } } }", None, "BAD_USER_INPUT"),  # a page size out of range
    (PAGE, {"n": 101}, "BAD_USER_INPUT"),  # the same, by a variable
    ("{ products(first: 100) { nodes { offers(first: 100) { nodes { id seller { name } } } } } }", None,
     "MAX_COST_EXCEEDED"),
    ("{ products(first: 10) { nodes { nope } } }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("{ products(first: 10) { nodes { id }", None, "GRAPHQL_PARSE_FAILED"),
    (PAGE, {"n": "ten"}, "BAD_USER_INPUT"),  # variables that do not coerce
    (FILTERED, {"n": 10, "f": {"kinds": ["NOPE"]}}, "BAD_USER_INPUT"),  # variables other than Ints, too
    (FILTERED, {"n": 10}, "BAD_USER_INPUT"),  # a required one missing
])
async def test_a_refused_operation_costs_nothing(database, query, variables, code):
    async with budgeted(database, Clock()) as client:
        http = client()
        await http.post("/graphql", json={"query": PAGE, "variables": {"n": 98}})  # 100 spent
        before = await _available(http)
        refused = await http.post("/graphql", json={"query": query, "variables": variables or {}})
        after = await _available(http)

    assert refused.json().get("data") is None
    assert {e["extensions"]["code"] for e in refused.json()["errors"]} == {code}
    assert before == after == 900


async def test_a_throttled_operation_costs_nothing(database):
    clock = Clock()
    async with budgeted(database, clock, cost_budget=150) as client:
        http = client()
        await http.post("/graphql", json={"query": PAGE, "variables": {"n": 98}})  # 100 of 150
        refused = await http.post("/graphql", json={"query": PAGE, "variables": {"n": 98}})
        after = await _available(http)

    assert refused.json()["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert refused.headers["x-cost-available"] == "50" and after == 50


async def test_a_caller_with_its_own_capacity_draws_on_its_own_bucket(database, monkeypatch):
    async def storefront(context) -> Caller:
        return Caller("client:storefront", capacity=20_000, restore_rate=400)

    clock = Clock()
    async with budgeted(database, clock) as client:  # the app's buckets: 1,000 points, 50 a second
        http = client()
        monkeypatch.setattr(cost, "caller_key", storefront)
        for _ in range(15):  # 1,500 points: more than an app bucket holds
            body = (await http.post("/graphql", json={"query": PAGE, "variables": {"n": 98}})).json()
            assert "errors" not in body
        monkeypatch.undo()
        anonymous = (await http.post("/graphql", json={"query": PAGE, "variables": {"n": 98}})).json()

    assert body["extensions"]["cost"]["throttleStatus"] == {
        "maximumAvailable": 20_000, "currentlyAvailable": 18_500, "restoreRate": 400}
    assert anonymous["extensions"]["cost"]["throttleStatus"] == {
        "maximumAvailable": 1000, "currentlyAvailable": 900, "restoreRate": 50}


def test_buckets_of_different_capacities_live_side_by_side():
    clock = Clock()
    budget = CostBudget(1000, 50, clock=clock)

    big = budget.take("client:a", 3000, capacity=10_000, restore_rate=100)
    small = budget.take("ip:b", 3000)  # more than the app's bucket holds: runs on a full one, in debt
    clock.advance(10)

    assert (big.allowed, big.available, big.capacity) == (True, 7000, 10_000)
    assert (small.allowed, small.available, small.capacity) == (True, -2000, 1000)
    assert budget.peek("client:a", capacity=10_000, restore_rate=100).available == 8000
    assert budget.peek("ip:b").available == -1500
    refused = budget.take("ip:b", 10)
    assert not refused.allowed and refused.retry_after == pytest.approx(1510 / 50)
