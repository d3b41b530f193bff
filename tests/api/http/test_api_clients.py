"""API client keys: a server-side storefront identifies itself with `X-Api-Client-Key` and pays from
its own cost budget instead of its address's; a bad or revoked key is 401; a client may be limited
to trusted documents."""
from __future__ import annotations

import httpx
import pytest

from domain.clients import api_clients
from domain.shared.unit_of_work import UnitOfWork
from tests.api.http.pq_helpers import PRODUCTS, code, new_client, post, sha, trust
from tests.conftest import make_client
from tests.fixtures.budget import Clock, budgeted, status
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

# 2 + 98 products x 1 (their category): 100 points.
HUNDRED = "query Hundred { products(first: 98) { nodes { id category { name } } } }"


async def _cost_status(http: httpx.AsyncClient, key: str | None = None, token: str | None = None) -> dict:
    headers = {"X-Api-Client-Key": key} if key else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await post(http, HUNDRED, headers=headers)
    assert response.status_code == 200, response.text
    return status(response.json())


async def test_a_client_key_pays_from_the_clients_own_budget_from_any_address(writable_database):
    client, key = await new_client(writable_database, "storefront", budget=4000)
    clock = Clock()
    async with budgeted(writable_database, clock) as at:
        first, second = at("198.51.100.1"), at("198.51.100.2")
        assert await _cost_status(first, key) == {"maximumAvailable": 4000, "currentlyAvailable": 3900,
                                                  "restoreRate": 200}
        # The same client from another server address: the same bucket.
        assert (await _cost_status(second, key))["currentlyAvailable"] == 3800
        # The addresses' own buckets were not touched.
        assert await _cost_status(first) == {"maximumAvailable": 1000, "currentlyAvailable": 900, "restoreRate": 50}
        # A signed-in customer behind the storefront still pays from the account.
        customer = await account(first, writable_database)
        assert (await _cost_status(first, key, customer.token))["maximumAvailable"] == 1000
        assert (await _cost_status(second, key))["currentlyAvailable"] == 3700


async def test_a_client_without_a_budget_of_its_own_gets_the_default_capacity(writable_database):
    _, key = await new_client(writable_database, "plain-store")
    async with budgeted(writable_database, Clock()) as at:
        shared = at("198.51.100.9")
        await _cost_status(shared)
        assert await _cost_status(shared, key) == {"maximumAvailable": 1000, "currentlyAvailable": 900,
                                                   "restoreRate": 50}


async def test_an_unknown_or_revoked_key_is_refused_with_401(writable_database):
    _, key = await new_client(writable_database, "revoked-store")
    async with make_client(writable_database) as http:
        for bad in ("tk_not-a-key", "", "x" * 500):
            response = await post(http, PRODUCTS, headers={"X-Api-Client-Key": bad})
            assert response.status_code == 401, response.text
            assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED",
                                                                  "reason": "INVALID_API_CLIENT_KEY"}
        assert (await post(http, PRODUCTS, headers={"X-Api-Client-Key": key})).status_code == 200
    async with UnitOfWork(writable_database) as uow:
        await api_clients.revoke(uow.session, "revoked-store")
        await uow.commit()
    async with make_client(writable_database) as http:  # a process whose key cache is empty
        response = await post(http, PRODUCTS, headers={"X-Api-Client-Key": key})
    assert response.status_code == 401 and code(response) == "UNAUTHENTICATED"


async def test_the_key_is_never_stored(writable_database):
    client, key = await new_client(writable_database, "hashed-store")
    reader = await writable_database.reader()
    try:
        row = await reader.fetchrow("SELECT * FROM api_clients WHERE id = $1", client.id)
    finally:
        await reader.close()
    assert key.startswith("tk_") and len(key) > 40
    assert key not in [str(value) for value in row.values()]
    assert row["key_hash"] == api_clients.key_hash(key)


async def test_a_client_limited_to_trusted_documents_runs_only_its_own_and_everyones(writable_database):
    mine, everyones = PRODUCTS, "query Everyone { products(first: 1) { nodes { id } } }"
    theirs = "query Theirs { products(first: 3) { nodes { id } } }"
    client, key = await new_client(writable_database, "locked-store", trusted_only=True)
    other, _ = await new_client(writable_database, "other-store")
    await trust(writable_database, mine, client_id=client.id)
    await trust(writable_database, theirs, client_id=other.id)
    await trust(writable_database, everyones)
    headers = {"X-Api-Client-Key": key}
    async with make_client(writable_database) as http:
        for document in (mine, everyones):
            response = await post(http, None, sha(document), headers=headers)
            assert response.status_code == 200 and "errors" not in response.json(), response.text
        for refused in (await post(http, None, sha(theirs), headers=headers),
                        await post(http, "query Free { __typename }", headers=headers)):
            assert refused.status_code == 400 and code(refused) == "DOCUMENT_NOT_TRUSTED"
        # Without the key, nothing is limited (TRIBUTARY_TRUSTED_DOCUMENTS_ONLY is off).
        assert "errors" not in (await post(http, "query Free { __typename }")).json()
