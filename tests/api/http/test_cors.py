"""CORS: pages on the allowed origins (TRIBUTARY_CORS_ORIGINS, and any localhost port in
development) may call the API from a browser; a preflight is answered 204, or 403 in JSON from
another origin; credentials (cookies) are never allowed, since the API takes bearer tokens."""
import pytest
from pydantic import ValidationError

from api.app import GraphQLApp
from api.http.caching import COST_HEADERS
from api.http.cors import ALLOWED_HEADERS, EXPOSED_HEADERS, PREFLIGHT_MAX_AGE
from api.schema import build_schema
from domain.shared.config import Settings
from tests.conftest import make_client

SHOP = "https://shop.example"
SECRET = "a-production-secret-of-at-least-32-characters"
# The README's first query, named as a client would send it.
SEARCH = """query Search { search(query: "harry potter", first: 5) { totalCount nodes { id title } } }"""


def preflight(origin: str, method: str = "POST", headers: str = "content-type, authorization") -> dict:
    return {"origin": origin, "access-control-request-method": method, "access-control-request-headers": headers}


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.headers.get("vary", "").split(",") if name.strip()}


@pytest.fixture(scope="module")
async def shop(database):
    async with make_client(database, env="production", secret_key=SECRET, cors_origins=f"{SHOP}, https://admin.example") as http:
        yield http


async def test_a_page_on_an_allowed_origin_runs_the_search_after_a_preflight(shop):
    asked = await shop.options("/graphql", headers=preflight(SHOP, headers="content-type,x-api-client-key"))
    assert asked.status_code == 204
    assert asked.content == b""
    assert asked.headers["access-control-allow-origin"] == SHOP
    assert asked.headers["access-control-allow-methods"] == "GET, POST, OPTIONS"
    allowed = set(asked.headers["access-control-allow-headers"].split(", "))
    assert {"content-type", "authorization", "x-request-id", "apollo-require-preflight", "x-apollo-operation-name",
            "x-api-client-key"} <= allowed == set(ALLOWED_HEADERS)
    assert asked.headers["access-control-max-age"] == str(PREFLIGHT_MAX_AGE)
    assert "access-control-allow-credentials" not in asked.headers
    assert "origin" in vary(asked)

    response = await shop.post("/graphql", json={"query": SEARCH}, headers={"origin": SHOP})
    assert response.status_code == 200
    assert response.json()["data"]["search"]["totalCount"] > 0
    assert response.headers["access-control-allow-origin"] == SHOP
    assert response.headers["access-control-expose-headers"].split(", ") == [
        *EXPOSED_HEADERS, *(header.lower() for header in COST_HEADERS)]
    assert {"x-request-id", "retry-after", "etag"} <= set(EXPOSED_HEADERS)
    assert "access-control-allow-credentials" not in response.headers
    assert {"origin", "accept"} <= vary(response)


async def test_a_preflight_from_another_origin_is_refused_in_json_without_cors_headers(shop):
    for origin in ("https://evil.example", "http://localhost:3000", "null", f"{SHOP}.evil.example"):
        asked = await shop.options("/graphql", headers=preflight(origin))
        assert asked.status_code == 403
        assert not any(name.startswith("access-control-") for name in asked.headers)
        assert asked.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN", "reason": "ORIGIN_NOT_ALLOWED"}
        assert "origin" in vary(asked)


async def test_a_request_from_another_origin_gets_no_cors_headers_so_its_page_cannot_read_it(shop):
    response = await shop.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://evil.example"})
    assert response.status_code == 200
    assert not any(name.startswith("access-control-") for name in response.headers)
    assert "origin" in vary(response)


async def test_answers_without_an_origin_still_vary_on_it_for_caches(shop):
    response = await shop.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert {"origin", "accept"} <= vary(response)


async def test_refusals_are_readable_by_an_allowed_page(shop):
    headers = {"origin": SHOP}
    for response in (await shop.post("/graphql", content=b"{}", headers={**headers, "content-type": "application/xml"}),
                     await shop.post("/graphql", content=b"x", headers={**headers, "content-type": "text/plain"}),
                     await shop.post("/graphql", content=b"{", headers={**headers, "content-type": "application/json"}),
                     await shop.get("/graphql", params={"query": "mutation { signOut { userErrors { code } } }"},
                                    headers=headers)):
        assert response.status_code in (400, 405, 415)
        assert response.headers["access-control-allow-origin"] == SHOP
        assert response.json()["errors"][0]["extensions"]["code"]


async def test_development_allows_any_local_port_and_production_only_the_configured_origins(database, shop):
    async with make_client(database) as development:
        for origin in ("http://localhost:5173", "http://127.0.0.1:3000", "http://localhost", "http://[::1]:8080"):
            asked = await development.options("/graphql", headers=preflight(origin))
            assert (asked.status_code, asked.headers["access-control-allow-origin"]) == (204, origin)
        for origin in ("https://localhost:5173", "http://localhost.evil.example", "http://192.168.1.5:3000"):
            assert (await development.options("/graphql", headers=preflight(origin))).status_code == 403
    assert (await shop.options("/graphql", headers=preflight("http://localhost:5173"))).status_code == 403


async def test_any_origin_gets_a_wildcard_and_the_same_answer(database):
    async with make_client(database, env="production", secret_key=SECRET, cors_origins="*") as http:
        asked = await http.options("/graphql", headers=preflight("https://anyone.example"))
        response = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://x.example"})
        without = await http.get("/graphql", params={"query": "{ __typename }"})
    assert (asked.status_code, asked.headers["access-control-allow-origin"]) == (204, "*")
    for answer in (response, without):
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in answer.headers
        assert "origin" not in vary(answer)


async def test_with_no_origin_allowed_answers_do_not_vary_on_it(database):
    # No page anywhere may read them: every answer lacks CORS headers alike, whatever the Origin.
    async with make_client(database, env="production", secret_key=SECRET) as http:
        response = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": SHOP})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert "origin" not in vary(response) and "accept" in vary(response)


async def test_a_plain_options_request_lists_the_methods(shop):
    response = await shop.options("/graphql")
    assert (response.status_code, response.headers["allow"]) == (204, "GET, POST, OPTIONS")


async def test_only_the_api_and_download_paths_answer_cross_origin(shop):
    health = await shop.get("/healthz", headers={"origin": SHOP})
    download = await shop.get("/downloads/1/1", headers={"origin": SHOP})
    assert "access-control-allow-origin" not in health.headers
    assert download.headers["access-control-allow-origin"] == SHOP


@pytest.mark.parametrize("configured, origins", [
    ("https://Shop.Example", ["https://shop.example"]),
    ("https://shop.example/, http://localhost:3000", ["https://shop.example", "http://localhost:3000"]),
    ("https://shop.example:443,http://a.example:80,http://a.example:8080", ["https://shop.example", "http://a.example",
                                                                          "http://a.example:8080"]),
    ("*", ["*"]),
    ("", []),
])
def test_configured_origins_are_written_as_browsers_send_them(configured, origins):
    assert Settings(cors_origins=configured).cors_origin_list == origins


@pytest.mark.parametrize("configured", ["shop.example", "https://shop.example/app", "ftp://shop.example",
                                        "https://user@shop.example", "https://shop.example?x", "https://:80"])
def test_a_value_that_is_not_an_origin_stops_the_service_at_start(configured):
    with pytest.raises(ValidationError, match="is not an origin"):
        Settings(cors_origins=configured)


def test_websockets_from_other_origins_follow_the_same_list(database):
    # Strawberry asks the view about every cross-origin handshake (same-origin and non-browser
    # handshakes, which send no Origin or their own, never get here).
    settings = Settings(env="production", secret_key=SECRET, cors_origins=SHOP)
    view = GraphQLApp(build_schema(settings), settings, {"database": database, "payments": None})
    assert view.is_websocket_origin_allowed(None, SHOP)
    assert not view.is_websocket_origin_allowed(None, "https://evil.example")
    assert not view.is_websocket_origin_allowed(None, "http://localhost:3000")
