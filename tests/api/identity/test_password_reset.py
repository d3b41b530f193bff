"""Password reset over HTTP: the same answer for every e-mail, one e-mail job each, and a
token that works once, expires, and ends every session."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from domain.identity import throttle
from domain.shared import clock
from tests.api.identity.helpers import (
    PASSWORD,
    REFRESH,
    answer,
    call,
    client_at,
    emails_to,
    guesses_from_many_addresses,
    rows,
    sign_in,
    sign_in_errors,
    throttled,
)
from tests.fixtures.identity import Caller, account

REQUEST = """mutation($email: String!) { requestPasswordReset(input: {email: $email}) {
  success userErrors { code message field } } }"""
RESET = """mutation($token: String!, $password: String!) { resetPassword(input: {token: $token,
  newPassword: $password}) { success userErrors { code message field } } }"""
NEW_PASSWORD = "a brand new passphrase"
_numbers = itertools.count(1)


async def _request(http, email: str):
    return await http.post("/graphql", json={"query": REQUEST, "variables": {"email": email}})


async def _reset(http, token: str, password: str = NEW_PASSWORD) -> dict:
    return (await call(http, RESET, {"token": token, "password": password}))["data"]["resetPassword"]


async def _token(http, database, caller: Caller) -> str:
    response = await _request(http, caller.email)
    assert response.json()["data"]["requestPasswordReset"] == {"success": True, "userErrors": []}
    template, context = (await emails_to(database, caller.email))[-1]
    assert template == "password_reset"
    return context["token"]


def _failure(code: str, message: str) -> dict:
    return {"success": False, "userErrors": [{"code": code, "message": message, "field": ["input", "token"]}]}


async def _signs_in(http, email: str, password: str) -> bool:
    return (await sign_in(http, email, password=password))["userErrors"] == []


async def test_known_and_unknown_emails_get_the_identical_answer_and_one_email_each(client, database):
    ada = await account(client, database)
    unknown = f"nobody-{next(_numbers)}@example.com"
    known_response = await _request(client, ada.email)
    unknown_response = await _request(client, unknown)
    assert answer(known_response) == answer(unknown_response)
    assert known_response.json()["data"] == {"requestPasswordReset": {"success": True, "userErrors": []}}
    [(template, context)] = (await emails_to(database, ada.email))[1:]  # after the welcome
    assert template == "password_reset"
    assert context["token"].startswith("pr_")
    assert context["url"] == f"http://localhost:8000/reset-password?token={context['token']}"
    assert context["minutes"] == 30
    assert await emails_to(database, unknown) == [("password_reset_unknown", {})]
    stored = await rows(database, "SELECT token_hash FROM password_reset_tokens t JOIN accounts a"
                                  " ON a.id = t.account_id WHERE a.email = $1", ada.email)
    assert len(stored) == 1 and context["token"] not in stored[0]["token_hash"]


async def test_a_reset_token_sets_the_password_once_and_ends_every_session(client, database):
    ada = await account(client, database)
    phone = (await sign_in(client, ada.email, kind="MOBILE"))["tokens"]
    token = await _token(client, database, ada)
    assert await _reset(client, token) == {"success": True, "userErrors": []}
    for access in (ada.token, phone["accessToken"]):
        body = await call(client, "{ viewer { roles } }", token=access)
        assert body["errors"][0]["extensions"]["reason"] == "SESSION_REVOKED"
    refreshed = await call(client, REFRESH, {"token": phone["refreshToken"]})
    assert [e["code"] for e in refreshed["data"]["refreshSession"]["userErrors"]] == ["SESSION_REVOKED"]
    assert await _signs_in(client, ada.email, NEW_PASSWORD)
    async with client_at(database) as elsewhere:  # a failed sign-in counts against its IP
        assert not await _signs_in(elsewhere, ada.email, PASSWORD)
    assert (await emails_to(database, ada.email))[-1] == ("password_changed", {})
    again = await _reset(client, token, "yet another passphrase")
    assert again == _failure("RESET_TOKEN_INVALID",
                             "This reset link is not valid or was already used; ask for a new one.")
    assert await _signs_in(client, ada.email, NEW_PASSWORD)



async def test_a_reset_frees_an_account_that_guessers_elsewhere_hold(client, database):
    ada = await account(client, database)
    await guesses_from_many_addresses(database, ada.email)
    held = throttle.keys(None, ada.email)["account"]
    await rows(database, "UPDATE sign_in_throttles SET blocked_until = now() + interval '15 minutes' WHERE key = $1",
               held)  # as a long attack leaves it
    async with client_at(database) as hotel:  # an address Ada never used
        assert await sign_in_errors(hotel, ada.email, PASSWORD) == [throttled(900)]
        token = await _token(hotel, database, ada)
        assert await _reset(hotel, token) == {"success": True, "userErrors": []}

        assert await _signs_in(hotel, ada.email, NEW_PASSWORD)
    assert await rows(database, "SELECT 1 FROM sign_in_throttles WHERE key = $1", held) == []

async def test_using_one_reset_token_spends_the_others(client, database):
    ada = await account(client, database)
    first = await _token(client, database, ada)
    await rows(database, "UPDATE password_reset_tokens SET created_at = created_at - interval '2 minutes'")
    second = await _token(client, database, ada)
    assert second != first
    assert await _reset(client, second) == {"success": True, "userErrors": []}
    assert (await _reset(client, first, "yet another passphrase"))["userErrors"][0]["code"] == "RESET_TOKEN_INVALID"
    assert await _signs_in(client, ada.email, NEW_PASSWORD)


async def test_an_expired_reset_token_changes_nothing(client, database, monkeypatch):
    ada = await account(client, database)
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() - timedelta(minutes=31))
    token = await _token(client, database, ada)
    monkeypatch.setattr(clock, "now", real_now)
    assert await _reset(client, token) == _failure("RESET_TOKEN_EXPIRED",
                                                   "This reset link has expired; ask for a new one.")
    assert await _signs_in(client, ada.email, PASSWORD)
    body = await call(client, "{ viewer { customer { email } } }", token=ada.token)
    assert body["data"]["viewer"]["customer"]["email"] == ada.email


@pytest.mark.parametrize("token", ["pr_not-a-token", "", "x" * 500])
async def test_an_unknown_reset_token_is_invalid(client, token):
    assert await _reset(client, token) == _failure(
        "RESET_TOKEN_INVALID", "This reset link is not valid or was already used; ask for a new one.")


async def test_a_weak_new_password_keeps_the_token_and_the_old_password(client, database):
    ada = await account(client, database)
    token = await _token(client, database, ada)
    result = await _reset(client, token, "too short")
    assert result == {"success": False, "userErrors": [{"code": "PASSWORD_TOO_SHORT",
                                                        "message": "Use at least 10 characters.",
                                                        "field": ["input", "newPassword"]}]}
    assert await _signs_in(client, ada.email, PASSWORD)
    assert await _reset(client, token) == {"success": True, "userErrors": []}


async def test_a_malformed_email_is_refused_without_an_email(client, database):
    response = await _request(client, "not-an-email")
    assert response.json()["data"]["requestPasswordReset"]["userErrors"][0]["code"] == "EMAIL_INVALID"
    assert await emails_to(database, "not-an-email") == []


async def test_repeated_requests_within_a_minute_send_one_email_per_address(client, database):
    ada = await account(client, database)
    unknown = f"nobody-{next(_numbers)}@example.com"
    answers = [answer(await _request(client, email)) for email in (ada.email, ada.email, unknown, unknown)]
    assert len({str(a) for a in answers}) == 1
    assert [t for t, _ in await emails_to(database, ada.email)] == ["welcome", "password_reset"]
    assert await emails_to(database, unknown) == [("password_reset_unknown", {})]
    stored = await rows(database, "SELECT count(*) FROM password_reset_tokens t JOIN accounts a"
                                  " ON a.id = t.account_id WHERE a.email = $1", ada.email)
    assert stored[0][0] == 1
