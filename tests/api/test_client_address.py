"""The client's address, on which sign-in throttling, cost budgets and sessions all key: the
connection's peer, unless the peer is a trusted proxy (TRIBUTARY_TRUSTED_PROXIES, none by
default), whose X-Forwarded-For then names the client. A forged header from anyone else is
ignored, so nobody picks their own address."""
from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from domain.shared.config import Settings
from tests.api.identity.helpers import (
    WRONG,
    client_at,
    new_email,
    new_ip,
    registered,
    rows,
    sign_in,
    sign_in_errors,
    throttled,
)

SPRAYED = "Winter2024!"


def _forged(count: int) -> list[str]:
    """Addresses no other test uses (the IPv6 documentation range, a random block per call)."""
    block = uuid.uuid4().hex[:4]
    return [f"2001:db8:{block}::{n}" for n in range(1, count + 1)]


async def _session_addresses(database, email: str) -> list[str | None]:
    found = await rows(database, "SELECT host(ip_address) AS ip FROM auth_sessions s JOIN accounts a"
                                 " ON a.id = s.account_id WHERE a.email = $1 ORDER BY s.created_at", email)
    return [r["ip"] for r in found]


async def _address_failures(database, address: str) -> int | None:
    found = await rows(database, "SELECT failures FROM sign_in_throttles WHERE key = $1", f"ip:{address}")
    return found[0]["failures"] if found else None


async def _keys_naming(database, addresses: list[str]) -> list[str]:
    found = await rows(database, "SELECT key FROM sign_in_throttles WHERE key LIKE ANY($1::text[])",
                       [f"%:{a}" for a in addresses] + [f"%:{a}:%" for a in addresses])
    return [r["key"] for r in found]


async def test_forged_forwarded_addresses_from_one_peer_all_count_against_the_peer(database):
    peer, forged = new_ip(), _forged(21)
    async with client_at(database, peer) as http:  # no trusted proxies: the default
        for address in forged[:20]:
            errors = await sign_in_errors(http, new_email("sprayed"), SPRAYED, headers={"X-Forwarded-For": address})
            assert errors == [WRONG]
        refused = await sign_in_errors(http, new_email("sprayed"), SPRAYED, headers={"X-Forwarded-For": forged[20]})

    assert refused == [throttled(2)]
    assert await _address_failures(database, peer) == 20
    assert await _keys_naming(database, forged) == []


async def test_a_trusted_proxy_names_the_client_and_a_forged_value_before_it_is_ignored(database):
    proxy, client = new_ip(), new_ip()
    [forged] = _forged(1)
    # The client sent its own X-Forwarded-For; the proxy appended the address it saw.
    headers = {"X-Forwarded-For": f"{forged}, {client}"}
    async with client_at(database, proxy, trusted_proxies=proxy) as http:
        email = await registered(http)
        assert (await sign_in(http, email, headers=headers))["userErrors"] == []
        assert await sign_in_errors(http, email, "not the password", headers=headers) == [WRONG]

    assert await _session_addresses(database, email) == [client]
    assert await _address_failures(database, client) == 1
    assert await _address_failures(database, proxy) is None
    assert await _keys_naming(database, [forged]) == []


async def test_a_chain_of_trusted_proxies_is_read_from_the_right_up_to_the_first_untrusted_address(database):
    client = new_ip()
    block = uuid.uuid4().hex[:4]
    edge, inner = f"fd00:{block}::1", f"fd00:{block}::2"  # the load balancer, then the proxy we talk to
    async with client_at(database, inner, trusted_proxies=f"fd00:{block}::/64") as http:
        email = await registered(http)
        result = await sign_in(http, email, headers={"X-Forwarded-For": f"{client}, {edge}"})

    assert result["userErrors"] == []
    assert await _session_addresses(database, email) == [client]


async def test_the_forwarded_header_of_a_peer_that_is_not_a_trusted_proxy_is_ignored(database):
    peer, proxy, [forged] = new_ip(), new_ip(), _forged(1)
    async with client_at(database, peer, trusted_proxies=proxy) as http:
        email = await registered(http)
        result = await sign_in(http, email, headers={"X-Forwarded-For": forged})
        assert await sign_in_errors(http, email, "not the password", headers={"X-Forwarded-For": forged}) == [WRONG]

    assert result["userErrors"] == []
    assert await _session_addresses(database, email) == [peer]
    assert await _address_failures(database, peer) == 1
    assert await _keys_naming(database, [forged]) == []


def test_trusted_proxies_are_addresses_or_networks_and_nothing_else():
    settings = Settings(trusted_proxies=" 10.1.2.3, 10.9.0.7/16 ,fd00::1,")
    assert settings.trusted_proxy_list == ["10.1.2.3", "10.9.0.0/16", "fd00::1"]
    assert Settings().trusted_proxy_list == []
    for bad in ("*", "proxy.internal", "10.0.0.300"):
        with pytest.raises(ValidationError, match="is not an IP address or a CIDR network"):
            Settings(trusted_proxies=bad)
