"""Access and refresh tokens over HTTP: what a bad token gets, rotation with reuse detection
(also under a race), and every way a session ends."""
from __future__ import annotations

import asyncio
import base64
import json
import uuid
from datetime import timedelta

import jwt
import pytest

from api.core import ids
from domain.identity import tokens
from domain.shared import clock
from domain.shared.config import Settings
from tests.api.identity.helpers import PASSWORD, REFRESH, VIEWER, call, client_at, rows, sign_in
from tests.conftest import make_client
from tests.fixtures.identity import Caller, account

pytestmark = pytest.mark.one_copy_per_file

SIGN_OUT = "mutation { signOut { success userErrors { code message field } } }"
SIGN_OUT_EVERYWHERE = "mutation { signOutEverywhere { revokedSessions userErrors { code message field } } }"
REVOKE = """mutation($id: ID!) { revokeSession(input: {sessionId: $id}) {
  session { id } userErrors { code message field } } }"""
CHANGE_PASSWORD = """mutation($input: ChangePasswordInput!) { changePassword(input: $input) {
  tokens { accessToken refreshToken session { id clientKind } } userErrors { code message field } } }"""
WHO = "{ viewer { customer { email } } }"
NEW_PASSWORD = "a brand new passphrase"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _claims(caller: Caller) -> dict:
    now = clock.now()
    return {"iss": "tributary", "sub": str(caller.account_id), "sid": caller.session_id,
            "iat": int(now.timestamp()), "exp": int((now + timedelta(minutes=5)).timestamp())}


def _key() -> str:
    return tokens.signing_key(Settings(env="development"))


async def _who(http, token: str) -> dict:
    return await call(http, WHO, token=token)


async def _works(http, caller_or_token) -> bool:
    token = caller_or_token if isinstance(caller_or_token, str) else caller_or_token.token
    body = await _who(http, token)
    return "errors" not in body and body["data"]["viewer"]["customer"] is not None


def _unauthenticated(body: dict, reason: str) -> None:
    assert body["data"] is None
    assert {(e["extensions"]["code"], e["extensions"]["reason"]) for e in body["errors"]} == {
        ("UNAUTHENTICATED", reason)}


async def _refresh(http, refresh_token: str) -> dict:
    return (await call(http, REFRESH, {"token": refresh_token}))["data"]["refreshSession"]


def _codes(result: dict) -> list[str]:
    return [e["code"] for e in result["userErrors"]]


async def _second_session(http, caller: Caller, kind: str = "MOBILE") -> dict:
    result = await sign_in(http, caller.email, kind=kind)
    assert result["userErrors"] == []
    return result["tokens"]


async def test_an_expired_access_token_is_unauthenticated_with_token_expired(client, database):
    ada = await account(client, database)
    expired, _ = tokens.issue_access_token(_key(), ada.account_id, uuid.UUID(ada.session_id),
                                           clock.now() - timedelta(minutes=11), 10)
    body = await _who(client, expired)
    _unauthenticated(body, "TOKEN_EXPIRED")
    assert body["errors"][0]["message"] == "The access token has expired; refresh the session."
    assert await _works(client, ada)


@pytest.mark.parametrize("forge", [
    pytest.param(lambda c, good: good[:-6] + ("AAAAAA" if not good.endswith("AAAAAA") else "BBBBBB"),
                 id="tampered-signature"),
    pytest.param(lambda c, good: ".".join([good.split(".")[0], _b64({**_claims(c), "sub": str(c.account_id + 1)}),
                                           good.split(".")[2]]), id="tampered-claims"),
    pytest.param(lambda c, good: jwt.encode(_claims(c), "another key that is long enough to sign with", "HS256"),
                 id="wrong-key"),
    pytest.param(lambda c, good: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(c))}.", id="alg-none"),
    pytest.param(lambda c, good: jwt.encode({**_claims(c), "iss": "someone-else"}, _key(), "HS256"),
                 id="foreign-issuer"),
    pytest.param(lambda c, good: jwt.encode({k: v for k, v in _claims(c).items() if k != "sid"}, _key(), "HS256"),
                 id="no-session"),
    pytest.param(lambda c, good: "garbage", id="garbage"),
    pytest.param(lambda c, good: "", id="empty"),
])
async def test_a_forged_or_malformed_access_token_is_token_invalid(client, database, forge):
    ada = await account(client, database)
    good = jwt.encode(_claims(ada), _key(), "HS256")
    assert await _works(client, good)
    body = await client.post("/graphql", json={"query": WHO}, headers={"Authorization": f"Bearer {forge(ada, good)}"})
    _unauthenticated(body.json(), "TOKEN_INVALID")


@pytest.mark.parametrize("header", ["Basic {token}", "Token {token}", "{token}", "Bearer", "Bearer   "])
async def test_an_authorization_header_that_is_not_bearer_is_token_invalid(client, database, header):
    ada = await account(client, database)
    response = await client.post("/graphql", json={"query": WHO},
                                 headers={"Authorization": header.format(token=ada.token)})
    _unauthenticated(response.json(), "TOKEN_INVALID")


async def test_a_bad_token_is_refused_on_mutations_too(client, database):
    ada = await account(client, database)
    _unauthenticated(await call(client, SIGN_OUT, token="garbage"), "TOKEN_INVALID")
    assert await _works(client, ada)


async def test_refresh_rotates_the_tokens_and_the_old_refresh_token_then_fails(client, database):
    ada = await account(client, database)
    fresh = await _refresh(client, ada.refresh_token)
    assert fresh["userErrors"] == []
    new = fresh["tokens"]
    assert new["session"]["id"] == ada.session_gid
    assert new["refreshToken"] != ada.refresh_token
    assert await _works(client, new["accessToken"])
    stale = await _refresh(client, ada.refresh_token)
    assert stale == {"tokens": None, "userErrors": [{
        "code": "REFRESH_TOKEN_REUSED", "message": "This refresh token was already used, so the session has been "
        "signed out for safety; sign in again.", "field": ["input", "refreshToken"]}]}


async def test_a_reused_refresh_token_revokes_the_whole_session(client, database):
    ada = await account(client, database)
    other = await _second_session(client, ada)
    newest = (await _refresh(client, ada.refresh_token))["tokens"]
    newer = (await _refresh(client, newest["refreshToken"]))["tokens"]
    assert _codes(await _refresh(client, ada.refresh_token)) == ["REFRESH_TOKEN_REUSED"]
    # The session's newest tokens stop working too: a thief who refreshed first gains nothing.
    _unauthenticated(await _who(client, newer["accessToken"]), "SESSION_REVOKED")
    assert _codes(await _refresh(client, newer["refreshToken"])) == ["SESSION_REVOKED"]
    [session] = await rows(database, "SELECT revoked_reason FROM auth_sessions WHERE id = $1",
                           uuid.UUID(ada.session_id))
    assert session["revoked_reason"] == "REFRESH_TOKEN_REUSED"
    # The account's other sessions are not affected.
    assert await _works(client, other["accessToken"])


async def test_an_unknown_refresh_token_is_invalid(client):
    result = await _refresh(client, "rt_not-a-token")
    assert result == {"tokens": None, "userErrors": [{"code": "REFRESH_TOKEN_INVALID",
                                                      "message": "This refresh token is not valid.",
                                                      "field": ["input", "refreshToken"]}]}


async def test_an_expired_session_cannot_be_refreshed(client, database):
    ada = await account(client, database)
    await rows(database, "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE id = $1",
               uuid.UUID(ada.session_id))
    assert _codes(await _refresh(client, ada.refresh_token)) == ["SESSION_EXPIRED"]
    _unauthenticated(await _who(client, ada.token), "SESSION_REVOKED")


async def test_two_concurrent_refreshes_with_one_token_let_exactly_one_win_and_revoke_the_session(
        writable_database):
    async with make_client(writable_database) as http:
        ada = await account(http, writable_database)
        # Both requests get a pooled connection at once, so their transactions really overlap.
        async with writable_database.engine.connect(), writable_database.engine.connect():
            pass
        first, second = await asyncio.gather(_refresh(http, ada.refresh_token), _refresh(http, ada.refresh_token))
        outcomes = sorted([_codes(first), _codes(second)])
        assert outcomes == [[], ["REFRESH_TOKEN_REUSED"]]
        winner = (first if first["tokens"] else second)["tokens"]
        [session] = await rows(writable_database, "SELECT revoked_at IS NOT NULL AS revoked, revoked_reason"
                                                  " FROM auth_sessions WHERE id = $1", uuid.UUID(ada.session_id))
        assert (session["revoked"], session["revoked_reason"]) == (True, "REFRESH_TOKEN_REUSED")
        _unauthenticated(await _who(http, winner["accessToken"]), "SESSION_REVOKED")
        assert _codes(await _refresh(http, winner["refreshToken"])) == ["SESSION_REVOKED"]
        issued = await rows(writable_database, "SELECT count(*) FROM refresh_tokens WHERE session_id = $1",
                            uuid.UUID(ada.session_id))
        assert issued[0][0] == 2  # the sign-in's and the winner's


async def test_sign_out_ends_this_session_only(client, database):
    ada = await account(client, database)
    other = await _second_session(client, ada)
    body = await ada(client, SIGN_OUT)
    assert body["data"]["signOut"] == {"success": True, "userErrors": []}
    _unauthenticated(await _who(client, ada.token), "SESSION_REVOKED")
    assert _codes(await _refresh(client, ada.refresh_token)) == ["SESSION_REVOKED"]
    assert await _works(client, other["accessToken"])
    assert _codes(await _refresh(client, other["refreshToken"])) == []


async def test_sign_out_needs_a_signed_in_caller(client):
    body = await call(client, SIGN_OUT)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_sign_out_everywhere_ends_every_session_of_the_account_only(client, database):
    ada = await account(client, database)
    mobile = await _second_session(client, ada, "MOBILE")
    ereader = await _second_session(client, ada, "EREADER")
    bob = await account(client, database)
    body = await ada(client, SIGN_OUT_EVERYWHERE)
    assert body["data"]["signOutEverywhere"] == {"revokedSessions": 3, "userErrors": []}
    for token in (ada.token, mobile["accessToken"], ereader["accessToken"]):
        _unauthenticated(await _who(client, token), "SESSION_REVOKED")
    for token in (ada.refresh_token, mobile["refreshToken"], ereader["refreshToken"]):
        assert _codes(await _refresh(client, token)) == ["SESSION_REVOKED"]
    assert await _works(client, bob)


async def test_change_password_kills_every_old_token_and_returns_working_new_ones(client, database):
    ada = await account(client, database)
    other = await _second_session(client, ada)
    body = await ada(client, CHANGE_PASSWORD, {"input": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}})
    result = body["data"]["changePassword"]
    assert result["userErrors"] == []
    new = result["tokens"]
    assert new["session"]["clientKind"] == "WEB"
    assert new["session"]["id"] != ada.session_gid
    for token in (ada.token, other["accessToken"]):
        _unauthenticated(await _who(client, token), "SESSION_REVOKED")
    for token in (ada.refresh_token, other["refreshToken"]):
        assert _codes(await _refresh(client, token)) == ["SESSION_REVOKED"]
    assert await _works(client, new["accessToken"])
    assert _codes(await _refresh(client, new["refreshToken"])) == []
    async with client_at(database) as elsewhere:  # a failed sign-in counts against its IP
        assert _codes(await sign_in(elsewhere, ada.email)) == ["INVALID_CREDENTIALS"]
    assert _codes(await sign_in(client, ada.email, password=NEW_PASSWORD)) == []
    templates = await rows(database, "SELECT payload->>'template' AS t FROM jobs WHERE payload->>'to' = $1"
                                     " ORDER BY id", ada.email)
    assert [r["t"] for r in templates] == ["welcome", "password_changed"]


@pytest.mark.parametrize(("current", "new", "code", "field"), [
    ("not the password", NEW_PASSWORD, "WRONG_PASSWORD", "currentPassword"),
    (PASSWORD, "too short", "PASSWORD_TOO_SHORT", "newPassword"),
    (PASSWORD, "password123", "PASSWORD_TOO_WEAK", "newPassword"),
])
async def test_a_failed_password_change_changes_nothing(client, database, current, new, code, field):
    ada = await account(client, database)
    body = await ada(client, CHANGE_PASSWORD, {"input": {"currentPassword": current, "newPassword": new}})
    result = body["data"]["changePassword"]
    assert result["tokens"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, ["input", field])]
    assert await _works(client, ada)
    assert _codes(await sign_in(client, ada.email)) == []


async def test_revoke_session_ends_one_of_your_sessions(client, database):
    ada = await account(client, database)
    phone = await _second_session(client, ada)
    body = await ada(client, REVOKE, {"id": phone["session"]["id"]})
    assert body["data"]["revokeSession"] == {"session": {"id": phone["session"]["id"]}, "userErrors": []}
    _unauthenticated(await _who(client, phone["accessToken"]), "SESSION_REVOKED")
    assert await _works(client, ada)


async def test_revoke_session_takes_the_bare_uuid_until_the_next_release(client, database):
    ada = await account(client, database)
    phone = await _second_session(client, ada)
    bare = str(ids.decode(phone["session"]["id"])[1])
    body = await ada(client, REVOKE, {"id": bare})
    assert body["data"]["revokeSession"] == {"session": {"id": phone["session"]["id"]}, "userErrors": []}


@pytest.mark.parametrize("whose", ["another customer's", "another customer's bare", "unknown", "unknown bare",
                                   "malformed", "not a session"])
async def test_revoke_session_of_anything_but_your_own_is_not_found(client, database, whose):
    ada = await account(client, database)
    bob = await account(client, database)
    unknown = uuid.uuid4()
    session_id = {"another customer's": bob.session_gid, "another customer's bare": bob.session_id,
                  "unknown": ids.encode("Session", unknown), "unknown bare": str(unknown), "malformed": "nope",
                  "not a session": ids.encode("Device", 1)}[whose]
    body = await ada(client, REVOKE, {"id": session_id})
    code = "INVALID_ID" if whose in ("malformed", "not a session") else "NOT_FOUND"
    [error] = body["data"]["revokeSession"]["userErrors"]
    assert body["data"]["revokeSession"]["session"] is None
    assert (error["code"], error["field"]) == (code, ["input", "sessionId"])
    assert await _works(client, bob)
    assert await _works(client, ada)


async def test_viewer_with_a_token_lists_the_roles(client, database):
    admin = await account(client, database, admin=True, seller_id=2, brand_id=3)
    body = await admin(client, VIEWER)
    assert body["data"]["viewer"]["roles"] == ["CUSTOMER", "SELLER_STAFF", "BRAND_OWNER", "ADMIN"]
