"""Shared steps of identity tests: register, sign in, call as a signed-in client."""
from __future__ import annotations

import httpx

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
