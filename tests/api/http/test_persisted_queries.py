"""Apollo's automatic persisted queries: a hash alone, PERSISTED_QUERY_NOT_FOUND, the hash with the
document, a mismatch, over POST and GET, shared by every process through PostgreSQL, and free of
statements once a process has seen the hash; and trusted documents for anonymous traffic."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.clients import documents
from domain.shared.unit_of_work import UnitOfWork
from tests.api.http.pq_helpers import PRODUCTS, code, get, persisted, post, sha, trust
from tests.conftest import count_statements, make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file


@pytest.mark.own_copy
async def test_unknown_hash_asks_for_the_document_then_the_document_registers_it(writable_database):
    async with make_client(writable_database) as http:
        first = await post(http, None, sha(PRODUCTS))
        assert first.status_code == 200
        assert first.json()["errors"] == [{"message": "PersistedQueryNotFound",
                                           "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]
        assert "data" not in first.json() and "extensions" not in first.json()  # nothing ran or was charged
        registered = await post(http, PRODUCTS, sha(PRODUCTS))
        assert registered.status_code == 200 and len(registered.json()["data"]["products"]["nodes"]) == 2
        again = await post(http, None, sha(PRODUCTS))
        assert again.json()["data"] == registered.json()["data"]
    # Another process (another app, its own cache) finds it in PostgreSQL, over GET too.
    async with make_client(writable_database) as other:
        response = await get(other, sha(PRODUCTS))
        assert response.status_code == 200, response.text
        assert response.json()["data"] == registered.json()["data"]


async def test_a_hash_that_is_not_the_documents_is_refused_and_stores_nothing(writable_database):
    wrong = sha(PRODUCTS + " ")
    async with make_client(writable_database) as http:
        response = await post(http, PRODUCTS, wrong)
        assert response.status_code == 400 and code(response) == "PERSISTED_QUERY_HASH_MISMATCH"
        assert code(await post(http, None, wrong)) == "PERSISTED_QUERY_NOT_FOUND"
        uppercase = await post(http, PRODUCTS, sha(PRODUCTS).upper())  # hex in either case
        assert uppercase.status_code == 200 and "errors" not in uppercase.json()


async def test_an_invalid_document_runs_with_its_errors_and_is_not_stored(writable_database):
    invalid = "query Bad { products(first: 2) { nodes { noSuchField } } }"
    async with make_client(writable_database) as http:
        response = await post(http, invalid, sha(invalid))
        assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert code(await post(http, None, sha(invalid))) == "PERSISTED_QUERY_NOT_FOUND"
    reader = await writable_database.reader()
    try:
        assert await documents.known_document(reader, sha(invalid)) is None
    finally:
        await reader.close()


@pytest.mark.parametrize(("extensions", "reason"), [
    (persisted(sha(PRODUCTS), version=2), "PERSISTED_QUERY_VERSION_NOT_SUPPORTED"),
    ({"persistedQuery": {"version": 1, "sha256Hash": "abc"}}, "INVALID_PERSISTED_QUERY_HASH"),
    ({"persistedQuery": "yes"}, "PERSISTED_QUERY_VERSION_NOT_SUPPORTED"),
])
async def test_a_malformed_persisted_query_is_a_clear_request_error(database, extensions, reason):
    async with make_client(database) as http:
        response = await http.post("/graphql", json={"extensions": extensions})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST", "reason": reason}


async def test_with_persisted_queries_off_clients_are_told_so(database):
    async with make_client(database, persisted_queries=False) as http:
        response = await post(http, None, sha(PRODUCTS))
    assert response.status_code == 400
    assert response.json()["errors"][0] == {"message": "PersistedQueryNotSupported",
                                            "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"}}


async def test_a_known_hash_costs_no_statement_once_this_process_has_seen_it(writable_database):
    async with make_client(writable_database) as http:
        await post(http, PRODUCTS, sha(PRODUCTS))
        with count_statements() as plain:
            assert "errors" not in (await post(http, PRODUCTS)).json()
        with count_statements() as hashed:
            assert "errors" not in (await post(http, None, sha(PRODUCTS))).json()
        with count_statements() as over_get:
            assert "errors" not in (await get(http, sha(PRODUCTS))).json()
    assert hashed.count == plain.count == over_get.count
    async with make_client(writable_database) as fresh:
        with count_statements() as first_use:
            await post(fresh, None, sha(PRODUCTS))
    assert first_use.count == plain.count + 1  # the one lookup, then cached


async def test_the_table_keeps_the_most_recent_documents_and_drops_old_ones(writable_database):
    docs = [f"query Q{n} {{ __typename }}" for n in range(4)]
    async with UnitOfWork(writable_database) as uow:
        for doc in docs:
            await documents.register_persisted(uow.session, sha(doc), doc, max_documents=100, ttl=timedelta(days=1))
            await uow.session.execute(documents.text(
                "UPDATE persisted_queries SET last_used_at = last_used_at - interval '1 minute'"))
        await documents.register_persisted(uow.session, sha(docs[0]), docs[0], max_documents=2, ttl=timedelta(days=1))
        kept = (await uow.session.execute(documents.text("SELECT hash FROM persisted_queries"))).scalars().all()
        assert sorted(kept) == sorted([sha(docs[0]), sha(docs[3])])  # touched again, and the newest
        await uow.session.execute(documents.text(
            "UPDATE persisted_queries SET last_used_at = now() - interval '2 days' WHERE hash = :h"), {"h": sha(docs[3])})
        await documents.register_persisted(uow.session, sha(docs[1]), docs[1], max_documents=100, ttl=timedelta(days=1))
        kept = (await uow.session.execute(documents.text("SELECT hash FROM persisted_queries"))).scalars().all()
        assert sorted(kept) == sorted([sha(docs[0]), sha(docs[1])])  # the one unused for too long is gone


async def test_anonymous_callers_limited_to_trusted_documents(writable_database):
    trusted, other = PRODUCTS, "query Other { products(first: 1) { nodes { id } } }"
    await trust(writable_database, trusted)
    async with make_client(writable_database, trusted_documents_only="anonymous") as http:
        by_hash = await post(http, None, sha(trusted))
        assert by_hash.status_code == 200 and len(by_hash.json()["data"]["products"]["nodes"]) == 2
        by_text = await post(http, trusted)
        assert by_text.json()["data"] == by_hash.json()["data"]
        for refused in (await post(http, other), await post(http, other, sha(other)), await post(http, None, sha(other)),
                        await post(http, other, headers={"Authorization": "Bearer not-a-token"})):
            assert refused.status_code == 400 and code(refused) == "DOCUMENT_NOT_TRUSTED", refused.text
        # APQ registration trusts nothing: the document refused above was not stored either.
        assert code(await post(http, None, sha(other))) == "DOCUMENT_NOT_TRUSTED"
        customer = await account(http, writable_database)
        signed_in = await post(http, other, headers={"Authorization": f"Bearer {customer.token}"})
        assert signed_in.status_code == 200 and "errors" not in signed_in.json()
    async with make_client(writable_database, trusted_documents_only="all") as http:
        refused = await post(http, other, headers={"Authorization": f"Bearer {customer.token}"})
        assert code(refused) == "DOCUMENT_NOT_TRUSTED"
        assert "errors" not in (await post(http, None, sha(trusted))).json()


async def test_a_websocket_is_refused_to_callers_limited_to_trusted_documents(database):
    from starlette.websockets import WebSocket
    from strawberry.exceptions import ConnectionRejectionError

    from api.app import GraphQLApp
    from api.context import Context
    from api.schema import build_schema
    from domain.shared.config import Settings

    async def connect(mode: str, headers: list | None = None) -> None:
        settings = Settings(env="development", trusted_documents_only=mode)
        view = GraphQLApp(build_schema(settings), settings, {"database": database, "payments": None})
        reader = await database.reader()
        request = WebSocket({"type": "websocket", "path": "/graphql", "headers": headers or []}, None, None)
        try:
            await view.on_ws_connect(Context(settings=settings, database=database, reader=reader, request=request))
        finally:
            await reader.close()

    await connect("off")
    with pytest.raises(ConnectionRejectionError) as refused:
        await connect("anonymous")
    assert refused.value.payload == {"code": "DOCUMENT_NOT_TRUSTED"}
    with pytest.raises(ConnectionRejectionError) as refused:
        await connect("off", [(b"x-api-client-key", b"tk_unknown")])
    assert refused.value.payload["reason"] == "INVALID_API_CLIENT_KEY"
