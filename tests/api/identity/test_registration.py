"""Registration over HTTP: the password and e-mail rules, display names, and an answer that
never tells whether an e-mail already has an account."""
from __future__ import annotations

import itertools

import pytest

from tests.api.identity.helpers import PASSWORD, REGISTER, answer, call, client_at, emails_to, register, rows, sign_in

_numbers = itertools.count(1)


def _email(name: str = "reg") -> str:
    return f"{name}-{next(_numbers)}@example.com"


async def _account_rows(database, email: str) -> list:
    return await rows(database, "SELECT email::text, display_name, password_hash FROM accounts WHERE email = $1", email)


async def test_registration_creates_the_account_and_queues_a_welcome(client, database):
    email = _email()
    assert await register(client, email, name="  Ada   Reader ") == {"accepted": True, "userErrors": []}
    [account] = await _account_rows(database, email)
    assert (account["email"], account["display_name"]) == (email, "Ada Reader")
    assert account["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in account["password_hash"]
    assert await emails_to(database, email) == [("welcome", {"displayName": "Ada Reader"})]
    signed = await sign_in(client, email)
    assert signed["userErrors"] == []


async def test_the_domain_of_an_email_is_stored_lower_case(client, database):
    email = _email("Mixed")
    assert (await register(client, email.replace("example.com", "EXAMPLE.com")))["accepted"]
    assert [r["email"] for r in await _account_rows(database, email)] == [email]


@pytest.mark.parametrize(("password", "code"), [
    ("short1234", "PASSWORD_TOO_SHORT"),
    ("", "PASSWORD_TOO_SHORT"),
    ("a-long-passphrase " * 7 + "abc", "PASSWORD_TOO_LONG"),  # 129 characters
    ("password123", "PASSWORD_TOO_WEAK"),
    ("aaaaaaaaaaaaaaaa", "PASSWORD_TOO_WEAK"),
    ("abababababab", "PASSWORD_TOO_WEAK"),
    ("weakling-{local}-2024", "PASSWORD_TOO_WEAK"),  # contains the e-mail's name
])
async def test_a_bad_password_is_refused_and_nothing_is_created(client, database, password, code):
    email = _email("weakling")
    password = password.format(local=email.split("@")[0])
    body = await call(client, REGISTER, {"input": {"email": email, "password": password, "displayName": "Ada"}})
    errors = body["data"]["registerCustomer"]
    assert errors["accepted"] is False
    assert [(e["code"], e["field"]) for e in errors["userErrors"]] == [(code, ["input", "password"])]
    assert await _account_rows(database, email) == []
    assert await emails_to(database, email) == []


async def test_the_longest_allowed_password_works(client):
    email = _email()
    password = "a-long-passphrase " * 7 + "ab"
    assert len(password) == 128
    assert (await register(client, email, password=password))["accepted"]
    assert (await sign_in(client, email, password=password))["userErrors"] == []


@pytest.mark.parametrize("email", [
    "not-an-email", "ada@", "@example.com", "ada@@example.com", "ada@example", "ada reader@example.com", "",
    "a" * 64 + "@" + "b" * 186 + ".com",  # 255 characters
    "a" * 65 + "@example.com",  # local part over 64
])
async def test_a_malformed_or_overlong_email_is_refused(client, database, email):
    body = await call(client, REGISTER, {"input": {"email": email, "password": PASSWORD, "displayName": "Ada"}})
    result = body["data"]["registerCustomer"]
    assert result["accepted"] is False
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [("EMAIL_INVALID", ["input", "email"])]
    assert await rows(database, "SELECT 1 FROM accounts WHERE email = $1", email) == []


async def test_a_duplicate_registration_gets_the_same_bytes_and_an_account_exists_email(client, database):
    email = _email("twice")
    variables = {"input": {"email": email, "password": PASSWORD, "displayName": "Ada"}}
    first = await client.post("/graphql", json={"query": REGISTER, "variables": variables})
    second_variables = {"input": {"email": email.upper(), "password": "another pass phrase", "displayName": "Eve"}}
    second = await client.post("/graphql", json={"query": REGISTER, "variables": second_variables})
    assert answer(second) == answer(first)
    assert first.json()["data"] == {"registerCustomer": {"accepted": True, "userErrors": []}}
    assert await emails_to(database, email) == [
        ("welcome", {"displayName": "Ada"}),
        ("account_exists", {"resetUrl": "http://localhost:8000/reset-password"}),
    ]
    [account] = await _account_rows(database, email)
    assert account["display_name"] == "Ada"
    assert (await sign_in(client, email))["userErrors"] == []
    async with client_at(database) as elsewhere:  # a failed sign-in counts against its IP
        wrong = await sign_in(elsewhere, email, password="another pass phrase")
    assert [e["code"] for e in wrong["userErrors"]] == ["INVALID_CREDENTIALS"]


@pytest.mark.parametrize(("name", "stored"), [
    ("Ada", "Ada"), ("  Ada \t Lovelace  ", "Ada Lovelace"), ("x" * 100, "x" * 100), ("Zoë 李", "Zoë 李"),
])
async def test_display_names_are_trimmed(client, database, name, stored):
    email = _email()
    assert (await register(client, email, name=name))["accepted"]
    assert [r["display_name"] for r in await _account_rows(database, email)] == [stored]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "Ada\x07"])
async def test_a_bad_display_name_is_refused_and_nothing_is_created(client, database, name):
    email = _email()
    body = await call(client, REGISTER, {"input": {"email": email, "password": PASSWORD, "displayName": name}})
    assert body["data"]["registerCustomer"] == {"accepted": False, "userErrors": [{
        "code": "DISPLAY_NAME_INVALID", "message": "A name has 1 to 100 characters, without control characters.",
        "field": ["input", "displayName"]}]}
    assert await _account_rows(database, email) == []
    assert await emails_to(database, email) == []
