"""Shared steps of identity tests: register, sign in, call as a signed-in client."""
from __future__ import annotations

import itertools

import httpx

from api.app import create_app
from domain.shared.config import Settings
from domain.shared.db import Database

PASSWORD = "correct horse battery"

REGISTER = """mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) {
  accepted userErrors { code message field } } }"""
SIGN_IN = """mutation($input: SignInInput!) { signIn(input: $input) {
  tokens { accessToken accessTokenExpiresAt refreshToken session { id clientKind deviceName } }
  userErrors { code message field ... on IdentityError { retryAfterSeconds } } } }"""
REFRESH = """mutation($token: String!) { refreshSession(input: {refreshToken: $token}) {
  tokens { accessToken refreshToken session { id } } userErrors { code message field } } }"""
VIEWER = "{ viewer { roles customer { id email displayName } session { id clientKind current } } }"


async def call(http: httpx.AsyncClient, query: str, variables: dict | None = None, token: str | None = None,
               headers: dict | None = None) -> dict:
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def register(http: httpx.AsyncClient, email: str, password: str = PASSWORD, name: str = "Ada Reader") -> dict:
    body = await call(http, REGISTER, {"input": {"email": email, "password": password, "displayName": name}})
    return body["data"]["registerCustomer"]


async def sign_in(http: httpx.AsyncClient, email: str, password: str = PASSWORD, kind: str = "WEB",
                  device: str = "", headers: dict | None = None) -> dict:
    body = await call(http, SIGN_IN, {"input": {"email": email, "password": password, "clientKind": kind,
                                                "deviceName": device}}, headers=headers)
    return body["data"]["signIn"]


async def signed_in(http: httpx.AsyncClient, email: str, kind: str = "WEB", device: str = "") -> dict:
    """Registers `email` and signs it in; the session's tokens."""
    assert (await register(http, email))["accepted"]
    result = await sign_in(http, email, kind=kind, device=device)
    assert result["userErrors"] == [], result
    return result["tokens"]


_addresses = itertools.count(1)


def new_ip() -> str:
    """A client address no other test uses, so sign-in throttling (counted per IP in the
    database) never carries over between tests."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


_emails = itertools.count(1)
WRONG = {"code": "INVALID_CREDENTIALS", "message": "The e-mail address or the password is wrong.", "field": None,
         "retryAfterSeconds": None}


def new_email(name: str = "signin") -> str:
    return f"{name}-{next(_emails)}@example.com"


async def registered(http: httpx.AsyncClient, name: str = "signin") -> str:
    """A newly registered e-mail (not signed in anywhere yet)."""
    email = new_email(name)
    assert (await register(http, email))["accepted"]
    return email


async def sign_in_errors(http: httpx.AsyncClient, email: str, password: str, headers: dict | None = None) -> list:
    """The userErrors of a sign-in (which then hands out no tokens)."""
    result = await sign_in(http, email, password=password, headers=headers)
    if result["userErrors"]:
        assert result["tokens"] is None
    return result["userErrors"]


def throttled(seconds: int) -> dict:
    return {"code": "THROTTLED", "message": f"Too many failed sign-ins; try again in {seconds} seconds.",
            "field": None, "retryAfterSeconds": seconds}


async def let_waits_pass(database: Database, *keys: str) -> None:
    """Lets the current sign-in holds on these throttle keys run out, as waiting would."""
    await rows(database, "UPDATE sign_in_throttles SET blocked_until = now() WHERE key = ANY($1::text[])"
                         " AND blocked_until > now()", list(keys))


async def guesses_from_many_addresses(database: Database, email: str, count: int = 10) -> None:
    """`count` wrong guesses at `email`, each from an address of its own (a botnet: no address
    reaches a count of its own), enough to hold the account."""
    for _ in range(count):
        async with client_at(database) as bot:
            assert await sign_in_errors(bot, email, "guess") == [WRONG]


def client_at(database: Database, ip: str | None = None, **settings) -> httpx.AsyncClient:
    """An HTTP client on the app whose requests come from `ip` (a fresh one by default)."""
    app = create_app(Settings(env=settings.pop("env", "development"), **settings), database=database)
    transport = httpx.ASGITransport(app=app, client=(ip or new_ip(), 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def rows(database: Database, sql: str, *args) -> list:
    """Rows of a query on the test database (to check what a request changed, or did not)."""
    reader = await database.reader()
    try:
        return await reader.fetch(sql, *args)
    finally:
        await reader.close()


async def emails_to(database: Database, email: str) -> list[tuple[str, dict]]:
    """(template, context with the secrets) of the e-mail jobs queued for an address, oldest first."""
    found = await rows(database, "SELECT payload FROM jobs WHERE kind = 'email.send' AND payload->>'to' = $1"
                       " ORDER BY id", email)
    return [(r["payload"]["template"], {**r["payload"]["context"], **r["payload"].get("secrets", {})})
            for r in found]


def answer(response: httpx.Response) -> tuple[int, dict]:
    """What a response tells the client, less `extensions` (the caller's own cost budget)."""
    body = response.json()
    body.pop("extensions", None)
    return response.status_code, body
