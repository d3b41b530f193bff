"""Documents known by their SHA-256 hash: automatic persisted queries and trusted documents.

Automatic persisted queries (Apollo's protocol) are registered by any client and trusted by no
one: a client sends a document once with its hash, and afterwards the hash alone. The table is
bounded: the least recently used documents beyond `max_documents`, and those unused for
`ttl`, are pruned at each registration (a pruned document is simply registered again by the
client's next request).

Trusted documents are the operations first-party clients ship, registered by the operator from
a manifest: for every caller, or for one API client. A caller limited to trusted documents
may run only those.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clients.api_clients import ClientError
from domain.clients.models import TrustedDocument

_HASH = re.compile(r"[0-9a-f]{64}")
APOLLO_MANIFEST = "apollo-persisted-query-manifest"


def document_hash(document: str) -> str:
    """The SHA-256 (hex) of the document's UTF-8 text, as the clients compute it."""
    return hashlib.sha256(document.encode()).hexdigest()


def normal_hash(value: object) -> str | None:
    """A hash as clients send it (hex, or `sha256:<hex>`), lower-cased; None when it is not one."""
    if not isinstance(value, str):
        return None
    value = value.removeprefix("sha256:").lower()
    return value if _HASH.fullmatch(value) else None


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    hash: str
    document: str
    name: str | None = None


def manifest_entries(manifest: object) -> list[ManifestEntry]:
    """The operations of a manifest: GraphQL Code Generator's persisted documents (an object of
    `"<sha256 hash>": "<document>"`), or Apollo's persisted query manifest (`{"format":
    "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "name", "type",
    "body"}]}`). Every hash must be the SHA-256 of its document: the hash a client sends is
    the only name the service knows a document by."""
    if isinstance(manifest, dict) and "operations" in manifest:
        if manifest.get("format") != APOLLO_MANIFEST or manifest.get("version") != 1:
            raise ClientError(f"An operations manifest must have \"format\": \"{APOLLO_MANIFEST}\" and \"version\": 1.")
        operations = manifest["operations"]
        if not isinstance(operations, list):
            raise ClientError("`operations` must be a list.")
        pairs = []
        for index, operation in enumerate(operations):
            if not isinstance(operation, dict):
                raise ClientError(f"operations[{index}] must be an object with id, name, type and body.")
            pairs.append((operation.get("id"), operation.get("body"), operation.get("name"), f"operations[{index}]"))
    elif isinstance(manifest, dict):
        pairs = [(key, value, None, repr(key)) for key, value in manifest.items()]
    else:
        raise ClientError("A manifest is a JSON object: {\"<sha256 hash>\": \"<document>\"}, or Apollo's"
                          " persisted query manifest.")
    entries: dict[str, ManifestEntry] = {}
    for given, document, name, where in pairs:
        if not isinstance(document, str) or not document.strip():
            raise ClientError(f"{where}: the document must be a non-empty string.")
        digest = normal_hash(given)
        if digest is None:
            raise ClientError(f"{where}: the id must be a SHA-256 hash in hex.")
        if digest != document_hash(document):
            raise ClientError(f"{where}: the id is not the SHA-256 of the document (hash the document's exact text).")
        entries[digest] = ManifestEntry(digest, document, name if isinstance(name, str) else None)
    return list(entries.values())


# -- trusted documents (the operator's) --------------------------------------------------

async def register_trusted(session: AsyncSession, entries: list[ManifestEntry], client_id: int | None) -> int:
    """Adds the entries for every caller (`client_id` None) or one client; returns how many were
    new (those registered before are left as they are)."""
    added = 0
    target = "client_id IS NULL" if client_id is None else "client_id IS NOT NULL"
    for entry in entries:
        statement = insert(TrustedDocument).values(hash=entry.hash, client_id=client_id, name=entry.name,
                                                   document=entry.document)
        index = ["hash"] if client_id is None else ["hash", "client_id"]
        statement = statement.on_conflict_do_nothing(index_elements=index, index_where=text(target))
        added += (await session.execute(statement)).rowcount
    return added


async def trusted_documents(session: AsyncSession, client_id: int | None = None, everyone: bool = True):
    """(hash, name, client id) of the trusted documents: for every caller, and one client's."""
    query = select(TrustedDocument.hash, TrustedDocument.name, TrustedDocument.client_id)
    if client_id is not None and not everyone:
        query = query.where(TrustedDocument.client_id == client_id)
    elif client_id is not None:
        query = query.where((TrustedDocument.client_id == client_id) | TrustedDocument.client_id.is_(None))
    elif not everyone:
        query = query.where(TrustedDocument.client_id.is_not(None))
    return list((await session.execute(query.order_by(TrustedDocument.client_id.nulls_first(),
                                                      TrustedDocument.name, TrustedDocument.hash))).all())


async def remove_trusted(session: AsyncSession, hashes: list[str], client_id: int | None) -> int:
    """Removes these documents from the list of every caller, or of one client; returns how many."""
    owner = TrustedDocument.client_id.is_(None) if client_id is None else TrustedDocument.client_id == client_id
    result = await session.execute(delete(TrustedDocument).where(owner, TrustedDocument.hash.in_(hashes)))
    return result.rowcount


# -- lookups on requests -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class KnownDocument:
    """A document known by its hash, and who it is trusted for."""

    document: str
    trusted_for_everyone: bool
    trusted_for_clients: frozenset[int]


async def known_document(reader, digest: str) -> KnownDocument | None:
    """The document with this hash, registered automatically or trusted (one statement)."""
    rows = await reader.fetch(
        "SELECT document, NULL::bigint AS client_id, false AS trusted FROM persisted_queries WHERE hash = $1"
        " UNION ALL SELECT document, client_id, true FROM trusted_documents WHERE hash = $1", digest)
    if not rows:
        return None
    return KnownDocument(rows[0]["document"],
                         any(row["trusted"] and row["client_id"] is None for row in rows),
                         frozenset(row["client_id"] for row in rows if row["client_id"] is not None))


async def register_persisted(session: AsyncSession, digest: str, document: str, max_documents: int,
                             ttl: timedelta) -> None:
    """Stores an automatic persisted query (or marks it used), then prunes the table."""
    await session.execute(text(
        "INSERT INTO persisted_queries (hash, document) VALUES (:hash, :document)"
        " ON CONFLICT (hash) DO UPDATE SET last_used_at = now()"), {"hash": digest, "document": document})
    await session.execute(text(
        "DELETE FROM persisted_queries WHERE last_used_at < now() - CAST(:ttl AS interval) OR hash IN"
        " (SELECT hash FROM persisted_queries ORDER BY last_used_at DESC OFFSET :keep)"),
        {"ttl": ttl, "keep": max_documents})
