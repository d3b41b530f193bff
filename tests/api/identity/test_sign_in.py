"""Signing in over HTTP: one answer for every wrong credential, rehashing when the Argon2
parameters change, and the client's address on its session (throttling is in
test_sign_in_throttling.py)."""
from __future__ import annotations

from tests.api.identity.helpers import (
    SIGN_IN,
    VIEWER,
    WRONG,
    answer,
    call,
    client_at,
    new_email,
    new_ip,
    registered,
    rows,
    sign_in,
)


async def _sessions(database, email: str) -> int:
    found = await rows(database, "SELECT count(*) FROM auth_sessions s JOIN accounts a ON a.id = s.account_id"
                                 " WHERE a.email = $1", email)
    return found[0][0]


async def test_sign_in_opens_a_session_for_the_client(database):
    async with client_at(database) as http:
        email = await registered(http)
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
        email = await registered(http)
        assert (await sign_in(http, f"  {email.upper()} "))["userErrors"] == []


async def test_wrong_password_and_unknown_email_get_the_identical_answer(database):
    async with client_at(database) as http:
        email = await registered(http)
        sessions_before = await _sessions(database, email)
        variables = {"clientKind": "WEB", "deviceName": ""}
        wrong = await http.post("/graphql", json={"query": SIGN_IN, "variables": {"input": {
            **variables, "email": email, "password": "not the password"}}})
        unknown = await http.post("/graphql", json={"query": SIGN_IN, "variables": {"input": {
            **variables, "email": new_email("nobody"), "password": "not the password"}}})
        assert answer(wrong) == answer(unknown)
        assert wrong.json()["data"] == {"signIn": {"tokens": None, "userErrors": [WRONG]}}
        assert await _sessions(database, email) == sessions_before


async def test_a_device_name_over_60_characters_is_refused(database):
    async with client_at(database) as http:
        email = await registered(http)
        result = await sign_in(http, email, device="x" * 61)
        assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
            ("DEVICE_NAME_INVALID", ["input", "deviceName"])]
        assert await _sessions(database, email) == 0


async def test_sign_in_rehashes_the_password_when_the_argon2_parameters_change(database):
    async with client_at(database) as http:
        email = await registered(http)
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


async def test_a_session_records_the_client_address_when_it_has_one(database):
    ip = new_ip()
    async with client_at(database, ip) as http:
        email = await registered(http)
        assert (await sign_in(http, email))["userErrors"] == []
    async with client_at(database, "testclient") as http:  # a host name, as some test clients send
        assert (await sign_in(http, email))["userErrors"] == []
    found = await rows(database, "SELECT host(ip_address) AS ip FROM auth_sessions s JOIN accounts a"
                                 " ON a.id = s.account_id WHERE a.email = $1 ORDER BY s.created_at", email)
    assert [r["ip"] for r in found] == [ip, None]
