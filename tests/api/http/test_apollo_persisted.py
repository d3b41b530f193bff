"""Apollo Client 4's persisted-query link against the service on a real port, as the README shows it:
the first client registers the document after PERSISTED_QUERY_NOT_FOUND, the next ones send the
hash alone, over POST and GET."""
from __future__ import annotations

import json

import pytest

from domain.clients import documents
from tests.fixtures.live import live_server, run_node

pytestmark = pytest.mark.one_copy_per_file


async def test_apollo_clients_register_a_query_once_then_send_only_its_hash(writable_database):
    async with live_server(writable_database) as base:
        runs = json.loads(await run_node("apollo-persisted.mjs", base))
    first, second, over_get = runs
    digest = first["requests"][0]["hash"]
    assert first["requests"] == [
        {"method": "POST", "status": 200, "withDocument": False, "hash": digest, "code": "PERSISTED_QUERY_NOT_FOUND"},
        {"method": "POST", "status": 200, "withDocument": True, "hash": digest, "code": None}]
    assert second["requests"] == [{"method": "POST", "status": 200, "withDocument": False, "hash": digest, "code": None}]
    assert over_get["requests"] == [{"method": "GET", "status": 200, "withDocument": False, "hash": digest, "code": None}]
    assert len(first["titles"]) == len(second["titles"]) == 2 and first["titles"] == second["titles"]
    assert len(over_get["titles"]) == 3
    # The service stored the document under the hash the client computed.
    reader = await writable_database.reader()
    try:
        known = await documents.known_document(reader, digest)
    finally:
        await reader.close()
    assert known is not None and "query FirstProducts" in known.document
    assert documents.document_hash(known.document) == digest
