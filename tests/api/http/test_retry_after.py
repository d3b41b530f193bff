"""A THROTTLED operation (the caller's cost budget holds too little) carries `Retry-After` in whole
seconds: 200 with `application/json` (the result is a GraphQL error, as Shopify answers), 429
without `data` with `application/graphql-response+json`."""
from api.http.media_types import GRAPHQL_RESPONSE
from tests.fixtures.budget import Clock, budgeted

# 2 + 98 products x 1 (their category): 100 points of a 1,000-point budget.
HUNDRED = {"query": "query Page($n: Int!) { products(first: $n) { nodes { id category { name } } } }",
           "variables": {"n": 98}}


async def _spend_the_budget(http) -> None:
    for _ in range(10):
        response = await http.post("/graphql", json=HUNDRED)
        assert response.status_code == 200 and "retry-after" not in response.headers


async def test_a_throttled_operation_says_when_to_retry_in_a_header(database):
    clock = Clock()
    async with budgeted(database, clock) as client:
        http = client()
        await _spend_the_budget(http)
        refused = await http.post("/graphql", json=HUNDRED)
        clock.advance(0.5)  # 25 of the 100 points back: 1.5 s to go, rounded up
        later = await http.post("/graphql", json=HUNDRED)
        clock.advance(2)
        allowed = await http.post("/graphql", json=HUNDRED)

    assert refused.status_code == 200
    assert refused.headers["retry-after"] == "2"
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "THROTTLED" and error["extensions"]["retryAfterSeconds"] == 2
    assert refused.json()["data"] is None
    assert later.headers["retry-after"] == "2"
    assert allowed.status_code == 200 and "retry-after" not in allowed.headers
    assert len(allowed.json()["data"]["products"]["nodes"]) == 98


async def test_a_throttled_operation_is_429_without_data_for_graphql_response_json(database):
    async with budgeted(database, Clock()) as client:
        http = client()
        await _spend_the_budget(http)
        refused = await http.post("/graphql", json=HUNDRED, headers={"accept": GRAPHQL_RESPONSE})

    assert refused.status_code == 429
    assert refused.headers["content-type"] == GRAPHQL_RESPONSE
    assert refused.headers["retry-after"] == "2"
    body = refused.json()
    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["THROTTLED"]


async def test_a_page_can_read_retry_after_across_origins(database):
    async with budgeted(database, Clock(), cors_origins="https://shop.example") as client:
        http = client()
        await _spend_the_budget(http)
        refused = await http.post("/graphql", json=HUNDRED, headers={"origin": "https://shop.example"})

    assert refused.headers["access-control-allow-origin"] == "https://shop.example"
    assert "retry-after" in refused.headers["access-control-expose-headers"].split(", ")
