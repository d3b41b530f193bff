"""Signing in over HTTP: one answer for every wrong credential, rehashing when the Argon2
parameters change, and throttling per IP and account and per IP."""
from __future__ import annotations

import itertools

from domain.identity import throttle
from tests.api.identity.helpers import (
    PASSWORD,
    SIGN_IN,
    VIEWER,
    answer,
    call,
    client_at,
    new_ip,
    register,
    rows,
    sign_in,
)

_numbers = itertools.count(1)
WRONG = {"code": "INVALID_CREDENTIALS", "message": "The e-mail address or the password is wrong.", "field": None,
         "retryAfterSeconds": None}


def _email(name: str = "signin") -> str:
    return f"{name}-{next(_numbers)}@example.com"


def _throttled(seconds: int) -> dict:
    return {"code": "THROTTLED", "message": f"Too many failed sign-ins; try again in {seconds} seconds.",
            "field": None, "retryAfterSeconds": seconds}


async def _registered(http, name: str = "signin") -> str:
    email = _email(name)
    assert (await register(http, email))["accepted"]
    return email


async def _attempt(http, email: str, password: str) -> dict:
    result = await sign_in(http, email, password=password)
    if result["userErrors"]:
        assert result["tokens"] is None
    return result


async def _errors(http, email: str, password: str) -> list[dict]:
    return (await _attempt(http, email, password))["userErrors"]


async def _unblock(database, ip: str) -> None:
    """Lets the current lock-outs of an IP's keys run out (as waiting would)."""
    await rows(database, "UPDATE sign_in_throttles SET blocked_until = now() WHERE key LIKE $1", f"%{ip}%")


async def _sessions(database, email: str) -> int:
    found = await rows(database, "SELECT count(*) FROM auth_sessions s JOIN accounts a ON a.id = s.account_id"
                                 " WHERE a.email = $1", email)
    return found[0][0]


async def test_sign_in_opens_a_session_for_the_client(database):
    async with client_at(database) as http:
        email = await _registered(http)
        result = await sign_in(http, email, kind="MOBILE", device="  Ada's Pixel ")
        assert result["userErrors"] == []
        tokens = result["tokens"]
        assert tokens["session"]["clientKind"] == "MOBILE"
        assert tokens["session"]["deviceName"] == "Ada's Pixel"
        assert tokens["accessToken"].count(".") == 2
        assert tokens["refreshToken"].startswith("rt_")
        viewer = (await call(http, VIEWER, token=tokens["accessToken"]))["data"]["viewer"]
        assert viewer["roles"] == ["CUSTOMER"]
        assert viewer["customer"]["email"] == email
        assert viewer["session"] == {"id": tokens["session"]["id"], "clientKind": "MOBILE", "current": True}


async def test_the_email_matches_ignoring_case_and_spaces(database):
    async with client_at(database) as http:
        email = await _registered(http)
        assert (await sign_in(http, f"  {email.upper()} "))["userErrors"] == []


async def test_wrong_password_and_unknown_email_get_the_identical_answer(database):
    async with client_at(database) as http:
        email = await _registered(http)
        sessions_before = await _sessions(database, email)
        variables = {"clientKind": "WEB", "deviceName": ""}
        wrong = await http.post("/graphql", json={"query": SIGN_IN, "variables": {"input": {
            **variables, "email": email, "password": "not the password"}}})
        unknown = await http.post("/graphql", json={"query": SIGN_IN, "variables": {"input": {
            **variables, "email": _email("nobody"), "password": "not the password"}}})
        assert answer(wrong) == answer(unknown)
        assert wrong.json()["data"] == {"signIn": {"tokens": None, "userErrors": [WRONG]}}
        assert await _sessions(database, email) == sessions_before


async def test_a_device_name_over_60_characters_is_refused(database):
    async with client_at(database) as http:
        email = await _registered(http)
        result = await sign_in(http, email, device="x" * 61)
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("DEVICE_NAME_INVALID", ["input", "deviceName"])]
        assert await _sessions(database, email) == 0


async def test_sign_in_rehashes_the_password_when_the_argon2_parameters_change(database):
    async with client_at(database) as http:
        email = await _registered(http)
    [before] = await rows(database, "SELECT password_hash FROM accounts WHERE email = $1", email)
    assert "$m=19456,t=2,p=1$" in before["password_hash"]
    async with client_at(database, argon2_time_cost=3) as stronger:
        assert (await sign_in(stronger, email))["userErrors"] == []
    [after] = await rows(database, "SELECT password_hash FROM accounts WHERE email = $1", email)
    assert "$m=19456,t=3,p=1$" in after["password_hash"]
    async with client_at(database, argon2_time_cost=3) as stronger:
        assert (await sign_in(stronger, email))["userErrors"] == []
    [again] = await rows(database, "SELECT password_hash FROM accounts WHERE email = $1", email)
    assert again["password_hash"] == after["password_hash"]  # rehashed once, not at every sign-in


async def test_three_failures_for_one_account_lock_it_out_from_that_ip_for_growing_times(database):
    ip = new_ip()
    async with client_at(database, ip) as http:
        email = await _registered(http)
        for _ in range(3):
            assert await _errors(http, email, "not the password") == [WRONG]
        # Even the right password waits now, and the wait is not counted as a failure.
        assert await _errors(http, email, PASSWORD) == [_throttled(2)]
        assert await _errors(http, email, PASSWORD) == [_throttled(2)]
        assert await _sessions(database, email) == 0
        await _unblock(database, ip)
        assert await _errors(http, email, "not the password") == [WRONG]
        assert await _errors(http, email, PASSWORD) == [_throttled(4)]
        await _unblock(database, ip)
        assert await _errors(http, email, "not the password") == [WRONG]
        assert await _errors(http, email, PASSWORD) == [_throttled(8)]
        # Another account from the same IP, and the same account from another IP, are not locked.
        other = await _registered(http)
        assert (await sign_in(http, other))["userErrors"] == []
    async with client_at(database) as elsewhere:
        assert (await sign_in(elsewhere, email))["userErrors"] == []


async def test_twenty_failures_across_accounts_lock_out_the_ip(database):
    ip = new_ip()
    async with client_at(database, ip) as http:
        email = await _registered(http)
        for _ in range(20):
            assert await _errors(http, _email("sprayed"), "Winter2024!") == [WRONG]
        assert await _errors(http, email, PASSWORD) == [_throttled(2)]
        assert await _errors(http, _email("sprayed"), "Winter2024!") == [_throttled(2)]
        await _unblock(database, ip)
        assert await _errors(http, _email("sprayed"), "Winter2024!") == [WRONG]
        assert await _errors(http, email, PASSWORD) == [_throttled(4)]
    async with client_at(database) as elsewhere:
        assert (await sign_in(elsewhere, email))["userErrors"] == []


async def test_a_success_clears_the_ip_and_account_count_but_not_the_ip_count(database):
    ip = new_ip()
    async with client_at(database, ip) as http:
        email = await _registered(http)
        for _ in range(2):
            assert await _errors(http, email, "not the password") == [WRONG]
        for _ in range(15):
            assert await _errors(http, _email("sprayed"), "Winter2024!") == [WRONG]
        assert (await sign_in(http, email))["userErrors"] == []
        keys = throttle.keys(ip, email)
        counts = {r["key"]: r["failures"] for r in await rows(
            database, "SELECT key, failures FROM sign_in_throttles WHERE key = ANY($1::text[])", list(keys.values()))}
        assert counts == {keys["ip"]: 17}  # this account's own count is gone
        # Two more failures for this account are not a lock-out: its count started over...
        for _ in range(2):
            assert await _errors(http, email, "not the password") == [WRONG]
        # ...but they count for the IP, which reaches 20 with one more.
        assert await _errors(http, _email("sprayed"), "Winter2024!") == [WRONG]
        assert await _errors(http, email, PASSWORD) == [_throttled(2)]


async def test_a_session_records_the_client_address_when_it_has_one(database):
    ip = new_ip()
    async with client_at(database, ip) as http:
        email = await _registered(http)
        assert (await sign_in(http, email))["userErrors"] == []
    async with client_at(database, "testclient") as http:  # a host name, as some test clients send
        assert (await sign_in(http, email))["userErrors"] == []
    found = await rows(database, "SELECT host(ip_address) AS ip FROM auth_sessions s JOIN accounts a"
                                 " ON a.id = s.account_id WHERE a.email = $1 ORDER BY s.created_at", email)
    assert [r["ip"] for r in found] == [ip, None]
