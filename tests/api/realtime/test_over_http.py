"""A subscription sent over HTTP is refused before anything runs: subscriptions are served over
WebSocket only."""
import pytest


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_subscription_over_http_is_refused_before_execution(client, method):
    document = "subscription { myOrdersUpdated { id } }"
    if method == "GET":
        response = await client.get("/graphql", params={"query": document}, headers={"accept": "application/json"})
    else:
        response = await client.post("/graphql", json={"query": document})
    assert response.status_code == 400
    assert response.json() == {"errors": [{
        "message": "Subscriptions are served over WebSocket (graphql-transport-ws) at this URL, not over HTTP.",
        "extensions": {"code": "BAD_REQUEST", "reason": "SUBSCRIPTION_OVER_HTTP"}}]}
