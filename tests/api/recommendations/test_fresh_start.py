"""A fresh start, as `tributary serve` makes it in development: before the first training a demo
customer's `recommendedForYou` is the most rated books they do not own, not an error; the
server's own worker queues that training at start, and the personal recommendations follow."""
from __future__ import annotations

import asyncio

import httpx

from api.app import create_app
from domain.recommendations import service as recommendations
from domain.seed.customers import DEMO_PASSWORD, read_customers
from domain.shared.config import Settings
from tests.conftest import TEST_BOOKS
from tests.fixtures.db import fetch, fetchval

SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB, deviceName: "test"}) { tokens { accessToken } userErrors { code message } } }"""
FOR_YOU = """{ viewer { recommendedForYou(first: 10) { totalCount
  nodes { product { title } reason { kind product { title } } } } } }"""


async def _for_you(http: httpx.AsyncClient, token: str) -> dict:
    body = (await http.post("/graphql", json={"query": FOR_YOU},
                            headers={"authorization": f"Bearer {token}"})).json()
    assert "errors" not in body, body
    return body["data"]["viewer"]["recommendedForYou"]


async def test_serve_shows_popular_books_until_its_worker_has_trained_then_personal_ones(writable_demo_database,
                                                                                       tmp_path):
    db = writable_demo_database
    assert await fetchval(db, "SELECT count(*) FROM recommendation_popular") == 0
    reader = read_customers(limit=1, books=TEST_BOOKS)[0]
    owned = {r["title"] for r in await fetch(
        db, "SELECT DISTINCT l.title FROM accounts a JOIN orders o ON o.account_id = a.id"
            " JOIN order_lines l ON l.order_id = o.id WHERE a.email = $1", reader.email)}
    # The server's worker polls rarely: only the wake-up of the queued training starts it.
    settings = Settings(env="development", data_dir=tmp_path, worker_poll_seconds=60, cost_budget=1_000_000_000)
    app = create_app(settings, database=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        signed = (await http.post("/graphql", json={"query": SIGN_IN, "variables": {
            "email": reader.email, "password": DEMO_PASSWORD}})).json()
        token = signed["data"]["signIn"]["tokens"]["accessToken"]
        before = await _for_you(http, token)
        assert len(before["nodes"]) == 10 and before["totalCount"] > 10
        assert {n["reason"]["kind"] for n in before["nodes"]} == {"POPULAR"}
        assert not {n["product"]["title"] for n in before["nodes"]} & owned

        async with app.router.lifespan_context(app):
            for _ in range(600):
                if await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = $1 AND status = 'DONE'",
                                  recommendations.TRAIN_JOB):
                    break
                await asyncio.sleep(0.1)
            after = await _for_you(http, token)
    assert await fetchval(db, "SELECT count(*) FROM recommendation_related") > 1000
    assert after["nodes"][0]["reason"]["kind"] == "BOUGHT" and after["nodes"][0]["reason"]["product"]["title"] in owned
    assert not {n["product"]["title"] for n in after["nodes"]} & owned
