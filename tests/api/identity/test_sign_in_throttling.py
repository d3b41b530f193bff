"""Sign-in throttling over HTTP (the policy is `domain/identity/throttle.py`): guessing one account
from one address waits longer and longer; an address trying many accounts waits seconds only,
so the people sharing it still sign in; many addresses guessing one account hold it everywhere
but at its owner's addresses; and refused attempts are never counted."""
from __future__ import annotations

import pytest

from domain.identity import throttle
from tests.api.identity.helpers import (
    PASSWORD,
    WRONG,
    call,
    client_at,
    guesses_from_many_addresses,
    let_waits_pass,
    new_email,
    new_ip,
    registered,
    rows,
    sign_in,
    sign_in_errors,
    throttled,
)

SPRAYED = "Winter2024!"


async def _sessions(database, email: str) -> int:
    found = await rows(database, "SELECT count(*) FROM auth_sessions s JOIN accounts a ON a.id = s.account_id"
                                 " WHERE a.email = $1", email)
    return found[0][0]


async def _counts(database, ip: str, email: str) -> dict[str, int]:
    keys = throttle.keys(ip, email)
    found = await rows(database, "SELECT key, failures FROM sign_in_throttles WHERE key = ANY($1::text[])",
                       list(keys.values()))
    kinds = {key: kind for kind, key in keys.items()}
    return {kinds[r["key"]]: r["failures"] for r in found}


async def _held_for(database, key: str) -> float:
    [row] = await rows(database, "SELECT extract(epoch FROM blocked_until - now()) AS wait FROM sign_in_throttles"
                                 " WHERE key = $1", key)
    return float(row["wait"])


async def test_three_failures_for_one_account_lock_it_out_from_that_ip_for_growing_times(database):
    ip = new_ip()
    async with client_at(database, ip) as http:
        email = await registered(http)
        pair = throttle.keys(ip, email)["ip-account"]
        for _ in range(3):
            assert await sign_in_errors(http, email, "not the password") == [WRONG]
        # Even the right password waits now, and the wait is not counted as a failure.
        assert await sign_in_errors(http, email, PASSWORD) == [throttled(2)]
        assert await sign_in_errors(http, email, PASSWORD) == [throttled(2)]
        assert await _sessions(database, email) == 0
        await let_waits_pass(database, pair)
        assert await sign_in_errors(http, email, "not the password") == [WRONG]
        assert await sign_in_errors(http, email, PASSWORD) == [throttled(4)]
        await let_waits_pass(database, pair)
        assert await sign_in_errors(http, email, "not the password") == [WRONG]
        assert await sign_in_errors(http, email, PASSWORD) == [throttled(8)]
        assert await _counts(database, ip, email) == {"ip-account": 5, "ip": 5, "account": 5}
        # Another account from the same IP, and the same account from another IP, are not locked.
        other = await registered(http)
        assert (await sign_in(http, other))["userErrors"] == []
    async with client_at(database) as elsewhere:
        assert (await sign_in(elsewhere, email))["userErrors"] == []


async def test_an_address_trying_many_accounts_waits_seconds_and_then_the_right_password_gets_in(database):
    ip = new_ip()
    address = throttle.keys(ip, "")["ip"]
    async with client_at(database, ip) as http:
        email = await registered(http)  # never signed in from here (nor anywhere)
        for n in range(25):
            if n >= 20:  # from the 20th failure on, each one holds the address: 2 s, 4 s, then 5 s at most
                assert await sign_in_errors(http, new_email("sprayed"), SPRAYED) == [throttled(min(5, 2 ** (n - 19)))]
                await let_waits_pass(database, address)
            assert await sign_in_errors(http, new_email("sprayed"), SPRAYED) == [WRONG]
        assert 4 < await _held_for(database, address) <= 5
        assert (await rows(database, "SELECT failures FROM sign_in_throttles WHERE key = $1", address))[0][0] == 25

        # Someone else behind the same address, with the right password, waits those seconds only.
        assert await sign_in_errors(http, email, PASSWORD) == [throttled(5)]
        await let_waits_pass(database, address)
        assert (await sign_in(http, email))["userErrors"] == []
    async with client_at(database) as elsewhere:
        assert (await sign_in(elsewhere, new_email("sprayed"), SPRAYED))["userErrors"] == [WRONG]


async def test_the_address_rule_never_holds_an_account_at_an_address_it_signed_in_from(database):
    ip = new_ip()
    async with client_at(database, ip) as http:
        email = await registered(http)
        for _ in range(2):
            assert await sign_in_errors(http, email, "not the password") == [WRONG]
        for _ in range(15):
            assert await sign_in_errors(http, new_email("sprayed"), SPRAYED) == [WRONG]
        assert (await sign_in(http, email))["userErrors"] == []  # now this address is the owner's
        # The success cleared this account's count at this address only.
        assert await _counts(database, ip, email) == {"ip": 17, "account": 2}
        for _ in range(2):  # not a lock-out: this account's count here started over...
            assert await sign_in_errors(http, email, "not the password") == [WRONG]
        assert await sign_in_errors(http, new_email("sprayed"), SPRAYED) == [WRONG]  # ...but the address is at 20

        assert await sign_in_errors(http, await registered(http), PASSWORD) == [throttled(2)]
        assert (await sign_in(http, email))["userErrors"] == []
        # Someone guessing this account from the owner's address is held all the same.
        for _ in range(3):
            assert await sign_in_errors(http, email, "not the password") == [WRONG]
        assert await sign_in_errors(http, email, PASSWORD) == [throttled(2)]


async def test_many_addresses_guessing_one_account_hold_it_except_at_its_owners_address(database):
    home = new_ip()
    async with client_at(database, home) as http:
        email = await registered(http)
        assert (await sign_in(http, email))["userErrors"] == []
    await guesses_from_many_addresses(database, email)

    async with client_at(database) as hotel:  # the next bot, or the owner travelling
        assert await sign_in_errors(hotel, email, PASSWORD) == [throttled(2)]
    async with client_at(database, home) as http:
        assert (await sign_in(http, email))["userErrors"] == []
        assert await _sessions(database, email) == 2

        # However long the attack goes on, the account is held 15 minutes at most after a failure.
        account = throttle.keys(None, email)["account"]
        await rows(database, "UPDATE sign_in_throttles SET failures = 40 WHERE key = $1", account)
        assert await sign_in_errors(http, email, "not the password") == [WRONG]  # counted, not held, at home
    assert 899 < await _held_for(database, account) <= 900
    async with client_at(database) as hotel:
        assert await sign_in_errors(hotel, email, PASSWORD) == [throttled(900)]
    assert await _sessions(database, email) == 2


SIGN_OUT = "mutation { signOut { success } }"
SIGN_OUT_EVERYWHERE = "mutation { signOutEverywhere { revokedSessions } }"


@pytest.mark.parametrize("ending, still_the_owners", [(SIGN_OUT, True), (SIGN_OUT_EVERYWHERE, False)])
async def test_an_address_stops_being_the_owners_when_its_session_ended_for_a_security_reason(
        database, ending, still_the_owners):
    home = new_ip()
    async with client_at(database, home) as http:
        email = await registered(http)
        tokens = (await sign_in(http, email))["tokens"]
        assert "errors" not in await call(http, ending, token=tokens["accessToken"])
    await guesses_from_many_addresses(database, email)

    async with client_at(database, home) as http:
        errors = await sign_in_errors(http, email, PASSWORD)

    assert errors == ([] if still_the_owners else [throttled(2)])
