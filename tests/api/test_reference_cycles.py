"""A request leaves no reference cycles behind: what it made is freed when it ends, not when the
cyclic collector next runs. A cycle through the request's context (its loaders, and all they
loaded) made hundreds of objects per page wait for the collector, whose pauses were the server's
slowest requests."""
import gc

import httpx
import pytest

from api.app import create_app
from api.core.compiled.errors import Unsupported
from bench.pages import LIBRARY_PAGE, PRODUCT_LISTING, PRODUCT_PAGE_WITH_REVIEWS
from domain.shared.config import Settings
from tests.api.identity.helpers import signed_in

# Modules whose objects would be the server's own garbage (the test's HTTP client makes some of
# its own, which are not counted).
SERVER_MODULES = ("api.", "domain.", "graphql.", "strawberry.", "asyncpg.", "starlette.")


def server_garbage(objects: list) -> list[str]:
    return sorted({f"{type(o).__module__}.{type(o).__qualname__}" for o in objects
                   if type(o).__module__.startswith(SERVER_MODULES)})


@pytest.fixture
async def plain_client(database):
    app = create_app(Settings(env="production", secret_key="s" * 48, cost_budget=1_000_000_000), database=database)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        yield http


@pytest.mark.parametrize("executor", ["compiled", "stock"])
async def test_pages_leave_no_reference_cycles(plain_client, gql, executor, monkeypatch):
    slug = (await gql('{ product(isbn: "9780439554930") { slug } }'))["data"]["product"]["slug"]
    tokens = await signed_in(plain_client, f"cycles-{executor}@example.com")
    pages = [(PRODUCT_LISTING, {"first": 20}, {}), (PRODUCT_PAGE_WITH_REVIEWS, {"slug": slug, "offers": 10}, {}),
             (LIBRARY_PAGE, {"first": 50}, {"authorization": f"Bearer {tokens['accessToken']}"})]
    # Not an answer with errors: an exception's traceback holds the frame that caught it, whose
    # locals hold the error made of it, a cycle Python itself makes.
    if executor == "stock":
        monkeypatch.setattr("api.core.compiled.context.plan_for", lambda _executor: Unsupported("test"))
    for document, variables, extra in pages:  # plans, caches and loaders' modules settle first
        await plain_client.post("/graphql", json={"query": document, "variables": variables}, headers=extra)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for document, variables, extra in pages:
            response = await plain_client.post("/graphql", json={"query": document, "variables": variables},
                                               headers=extra)
            assert response.status_code == 200
        gc.collect()
        left = server_garbage(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == [], "\n".join(left)
