"""Persisted queries, trusted documents and API client keys on the way into a request.

Runs before the operation (from `GraphQLApp.execute`), with the request's context:

- `X-Api-Client-Key`: a known, unrevoked key puts its client on the context (its cost budget
  is its own: api/limits/budget.py); any other value is 401 UNAUTHENTICATED with reason
  INVALID_API_CLIENT_KEY. Keys are cached per process for `KEY_CACHE_SECONDS`, so a revoked
  key stops working within that time everywhere.
- `extensions.persistedQuery` (Apollo's automatic persisted queries, version 1): the hash
  alone runs the document registered under it, or answers PERSISTED_QUERY_NOT_FOUND (HTTP 200,
  which makes Apollo's and urql's links send the document); the hash with the document
  registers it when the hash is the document's SHA-256 and the document is valid, else
  PERSISTED_QUERY_HASH_MISMATCH (400).
- A caller limited to trusted documents (its API client's setting, or
  TRIBUTARY_TRUSTED_DOCUMENTS_ONLY for anonymous callers or all) runs only documents the
  operator registered (`tributary documents register`), by hash or by their exact text;
  anything else is DOCUMENT_NOT_TRUSTED (400), before any cost is taken.

Documents are kept in an LRU cache in front of PostgreSQL: a hash this process has seen costs
no statement. Their text never changes (the hash is its name); who trusts them is read again
after `TRUST_CACHE_SECONDS` for callers that are limited to trusted documents.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta

from graphql import GraphQLError, parse, specified_rules, validate
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData

from api.http.graphql_request import RequestRefused
from domain.clients import api_clients, documents
from domain.clients.api_clients import ApiClientInfo
from domain.shared.config import Settings
from domain.shared.db import Database
from domain.shared.unit_of_work import UnitOfWork

KEY_HEADER = "x-api-client-key"
KEY_CACHE_SECONDS = 10.0
TRUST_CACHE_SECONDS = 30.0
MAX_CACHED_DOCUMENTS = 5_000
MAX_CACHED_KEYS = 1_000


@dataclass(frozen=True, slots=True)
class _Cached:
    known: documents.KnownDocument
    loaded_at: float


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_fresh(self, key, max_age: float | None, now: float):
        entry = self.get(key)
        if entry is None or (max_age is not None and now - entry[1] > max_age):
            return None
        self.move_to_end(key)
        return entry[0]

    def put(self, key, value, now: float) -> None:
        self[key] = (value, now)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


def _refused(message: str, code: str, reason: str | None = None, status: int = 400) -> RequestRefused:
    return RequestRefused(message, code, reason, status)


class PersistedDocuments:
    """The process's caches of documents and API client keys, and the rules applied with them."""

    def __init__(self, settings: Settings, state: dict, schema, clock=time.monotonic) -> None:
        self.settings = settings
        self.state = state
        self.schema = schema
        self.clock = clock
        self._documents = _LRU(MAX_CACHED_DOCUMENTS)
        self._keys = _LRU(MAX_CACHED_KEYS)

    async def resolve(self, data: GraphQLRequestData, context) -> GraphQLRequestData:
        """The request to run (its `query` filled in from a hash), or a RequestRefused."""
        context.api_client = client = await self._api_client(context)
        digest = self._hash_of(data)
        if digest is None:
            if data.query is not None and await self._restricted(context, client):
                await self._require_trusted(documents.document_hash(data.query), client)
            return data
        if data.query is not None:
            if documents.document_hash(data.query) != digest:
                raise _refused("The persisted query's sha256Hash is not the SHA-256 of the document sent with it.",
                               "PERSISTED_QUERY_HASH_MISMATCH")
            if await self._restricted(context, client):
                await self._require_trusted(digest, client)
            elif self._documents.get_fresh(digest, None, self.clock()) is None:
                await self._register(digest, data.query)
            return data
        if await self._restricted(context, client):
            known = await self._require_trusted(digest, client)
        else:
            known = await self._known(digest, max_age=None)
        if known is None:
            raise _refused("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", status=200)
        return GraphQLRequestData(query=known.document, variables=data.variables,
                                  operation_name=data.operation_name, extensions=data.extensions,
                                  protocol=data.protocol)

    async def check_websocket(self, context) -> None:
        """A WebSocket's operations are free documents, which a caller limited to trusted documents
        may not send: its connection is refused, as one with a bad API client key."""
        try:
            context.api_client = client = await self._api_client(context)
        except RequestRefused:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED", "reason": "INVALID_API_CLIENT_KEY"}) from None
        if await self._restricted(context, client):
            raise ConnectionRejectionError({"code": "DOCUMENT_NOT_TRUSTED"})

    def _hash_of(self, data: GraphQLRequestData) -> str | None:
        extensions = data.extensions or {}
        persisted = extensions.get("persistedQuery")
        if persisted is None:
            return None
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise _refused("Only version 1 of `extensions.persistedQuery` is supported:"
                           " {\"version\": 1, \"sha256Hash\": \"<hex>\"}.",
                           "BAD_REQUEST", "PERSISTED_QUERY_VERSION_NOT_SUPPORTED")
        digest = documents.normal_hash(persisted.get("sha256Hash"))
        if digest is None:
            raise _refused("`extensions.persistedQuery.sha256Hash` must be a SHA-256 hash in hex (64 characters).",
                           "BAD_REQUEST", "INVALID_PERSISTED_QUERY_HASH")
        if not self.settings.persisted_queries:
            raise _refused("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
        return digest

    # -- API clients -------------------------------------------------------------------

    async def _api_client(self, context) -> ApiClientInfo | None:
        request = context.request
        key = request.headers.get(KEY_HEADER) if request is not None else None
        if key is None:
            return None
        now = self.clock()
        # Keyed by the key's hash: the key itself is a credential and is kept nowhere.
        hashed = api_clients.key_hash(key)
        client = self._keys.get_fresh(hashed, KEY_CACHE_SECONDS, now)
        if client is None:
            client = await api_clients.active_by_key(context.reader, key) if 0 < len(key) <= 200 else None
            if client is None:
                raise _refused("The API client key is not valid (unknown or revoked).", "UNAUTHENTICATED",
                               "INVALID_API_CLIENT_KEY", status=401)
            self._keys.put(hashed, client, now)
        return client

    # -- trusted documents -------------------------------------------------------------

    async def _restricted(self, context, client: ApiClientInfo | None) -> bool:
        """Whether the caller may run trusted documents only."""
        if client is not None and client.trusted_documents_only:
            return True
        mode = self.settings.trusted_documents_only
        if mode == "all":
            return True
        if mode != "anonymous" or client is not None:
            return False
        request = context.request
        if request is None or not request.headers.get("authorization"):
            return True
        try:  # a signed-in customer is not anonymous; a bad token does not make one
            principal = await context.viewer()
        except Exception:  # noqa: BLE001  (UNAUTHENTICATED: anonymous for this rule)
            return True
        return principal.account_id is None

    async def _require_trusted(self, digest: str, client: ApiClientInfo | None) -> documents.KnownDocument:
        known = await self._known(digest, max_age=TRUST_CACHE_SECONDS)
        if known is None or not (known.trusted_for_everyone
                                 or (client is not None and client.id in known.trusted_for_clients)):
            raise _refused("Only trusted documents may be run here: send the hash of an operation registered"
                           " with `tributary documents register`.", "DOCUMENT_NOT_TRUSTED")
        return known

    # -- the store ---------------------------------------------------------------------

    async def _known(self, digest: str, max_age: float | None) -> documents.KnownDocument | None:
        now = self.clock()
        known = self._documents.get_fresh(digest, max_age, now)
        if known is not None:
            return known
        database: Database = self.state["database"]
        reader = await database.reader()
        try:
            known = await documents.known_document(reader, digest)
        finally:
            await reader.close()
        if known is not None:
            self._documents.put(digest, known, now)
        return known

    async def _register(self, digest: str, document: str) -> None:
        """Stores a valid document under its hash; an invalid one is not stored (the operation
        then runs and answers with its errors as any other)."""
        if len(document.encode()) > self.settings.max_body_bytes:
            return
        try:
            parsed = parse(document, max_tokens=self.settings.max_tokens)
        except GraphQLError:
            return
        if validate(self.schema._schema, parsed, specified_rules):
            return
        async with UnitOfWork(self.state["database"]) as uow:
            await documents.register_persisted(uow.session, digest, document,
                                               self.settings.persisted_query_max_documents,
                                               timedelta(days=self.settings.persisted_query_ttl_days))
            await uow.commit()
        # Known to be valid text, but who trusts it is unknown here: read it again before a
        # caller limited to trusted documents relies on it.
        self._documents.put(digest, documents.KnownDocument(document, False, frozenset()),
                            self.clock() - TRUST_CACHE_SECONDS - 1)
