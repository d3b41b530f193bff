"""API client keys: created and revoked by the operator, looked up by their hash on requests."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clients.models import ApiClient
from domain.shared import clock

KEY_PREFIX = "tk_"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


class ClientError(ValueError):
    """An operator's request about API clients or documents that cannot be done (the CLI prints it)."""


@dataclass(frozen=True, slots=True)
class ApiClientInfo:
    id: int
    name: str
    budget: int | None
    trusted_documents_only: bool
    created_at: datetime | None = None
    revoked_at: datetime | None = None


def key_hash(key: str) -> str:
    """What is stored of a key: its SHA-256 (hex). The key is 32 random bytes, so no salt or slow
    hash is needed: there is nothing to guess."""
    return hashlib.sha256(key.encode()).hexdigest()


def _info(row) -> ApiClientInfo:
    return ApiClientInfo(row.id, row.name, row.budget, row.trusted_documents_only, row.created_at, row.revoked_at)


async def create(session: AsyncSession, name: str, budget: int | None = None,
                 trusted_documents_only: bool = False) -> tuple[ApiClientInfo, str]:
    """A new client and its key. The key is returned here once and never stored."""
    if not _NAME.fullmatch(name):
        raise ClientError("A client name is 1-63 lower-case letters, digits, '-' and '_', starting with a letter or digit.")
    if budget is not None and budget <= 0:
        raise ClientError("A budget is a positive number of points.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(name=name, key_hash=key_hash(key), budget=budget, trusted_documents_only=trusted_documents_only)
    session.add(client)
    try:
        await session.flush()
    except IntegrityError:
        raise ClientError(f"A client named {name!r} exists already.") from None
    await session.refresh(client)
    return _info(client), key


async def all_clients(session: AsyncSession) -> list[ApiClientInfo]:
    rows = (await session.execute(select(ApiClient).order_by(ApiClient.name))).scalars()
    return [_info(row) for row in rows]


async def by_name(session: AsyncSession, name: str) -> ApiClientInfo:
    row = (await session.execute(select(ApiClient).where(ApiClient.name == name))).scalar_one_or_none()
    if row is None:
        raise ClientError(f"No API client is named {name!r}.")
    return _info(row)


async def revoke(session: AsyncSession, name: str) -> ApiClientInfo:
    """Revokes the client's key (for good: a new key means a new client). Requests with it are
    refused once each process's short cache of keys has expired."""
    client = await by_name(session, name)
    if client.revoked_at is None:
        await session.execute(update(ApiClient).where(ApiClient.id == client.id).values(revoked_at=clock.now()))
    return await by_name(session, name)


async def active_by_key(reader, key: str) -> ApiClientInfo | None:
    """The unrevoked client with this key, or None (one statement)."""
    row = await reader.fetchrow(
        "SELECT id, name, budget, trusted_documents_only, created_at, revoked_at FROM api_clients"
        " WHERE key_hash = $1 AND revoked_at IS NULL", key_hash(key))
    return ApiClientInfo(**dict(row)) if row is not None else None
