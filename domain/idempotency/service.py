"""Idempotent use cases: a client's key makes a retried request answer like the first one.

A use case that must happen once per client intent (placing an order) takes a client-chosen
key and, INSIDE its own transaction, before any business write:

    outcome = await idempotency.claim(session, scope, "ordering.placeOrder", key, request)
    if isinstance(outcome, idempotency.Replay):
        return await load_order(session, outcome.response["orderId"])   # answer as the first time
    order = ...                                                          # the business writes
    await idempotency.complete(session, outcome, {"orderId": order.id})  # same transaction
    return order

(`idempotent(...)` wraps exactly that.) The rules this gives:

- Same key + same request: the same answer. The first request's response (a small JSON object
  with what it takes to answer again, e.g. `{"orderId": 12}`) is stored next to the key and
  returned as a `Replay` to every retry; the business writes are not run again.
- Same key + different request: `IDEMPOTENCY_KEY_REUSED`, before anything is written. The
  request is compared by the SHA-256 of its canonical JSON (`request_hash`).
- A failed attempt leaves nothing: the key row is inserted in the caller's transaction, so a
  rollback, a crash, or a connection killed before the commit takes the key away with the
  business writes; the retry runs again as if it were the first.
- Concurrent retries run once: a second request with the same key waits on the key's primary
  key until the first transaction ends; then it replays the committed response, or, if the
  first rolled back, claims the key itself. A wait longer than the statement timeout is
  `IDEMPOTENCY_KEY_IN_PROGRESS` ("retry in a moment"), never a second run.
- Keys are scoped per caller (`account_scope`, `guest_scope`): one customer's key never
  meets another's. They live 24 hours (`DEFAULT_TTL`); an expired key is a new key, and the
  job `idempotency.purge` deletes expired ones (see `purge_expired`, `schedule_purge`).

A use case that commits although it failed (a `DomainError` with `keep_changes`) should
`release` its claim, so the retry runs again; a key left claimed by a committed transaction
without a response is taken over by the next request with the same input anyway.

Error codes a context using this must list in its ErrorCode enum: IDEMPOTENCY_KEY_INVALID,
IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_PROGRESS. Purging: `schedule_purge(session)` queues
the first `idempotency.purge` job (for the next full hour); every run deletes the expired keys
and queues the run of the hour after, so one call starts an hourly purge that keeps going.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import and_, null, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.idempotency.models import IdempotencyKey
from domain.jobs import service as jobs
from domain.shared import clock
from domain.shared.errors import CommonErrorCode, DomainError, InvalidInput, Unauthenticated
from domain.shared.principal import Principal

DEFAULT_TTL = timedelta(hours=24)
KEY_MAX_LENGTH = 200
# Visible ASCII: UUIDs, ULIDs, base64 and the like; no spaces or control characters, which
# clients add or strip by accident.
_KEY = re.compile(r"[\x21-\x7e]{1,%d}" % KEY_MAX_LENGTH)
_OPERATION = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,99}")
KEY_FIELD = ("input", "idempotencyKey")

IN_PROGRESS, COMPLETED = "IN_PROGRESS", "COMPLETED"
# Waiting for a concurrent request with the same key outlasted the statement (or lock) timeout.
_STILL_WAITING = {"57014", "55P03"}

PURGE_JOB = "idempotency.purge"
PURGE_BATCH = 5_000
PURGE_MAX_PER_RUN = 50_000


# -- outcomes and errors -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Claimed:
    """The caller owns the key in its transaction: run the use case, then `complete`."""

    scope: str
    operation: str
    key: str
    request_hash: str


@dataclass(frozen=True, slots=True)
class Replay:
    """The key was used before with the same request: answer with the first `response`."""

    response: dict


@dataclass(frozen=True, slots=True)
class Outcome:
    """What `idempotent` returns: the response, and whether it was replayed from the first run."""

    response: dict
    replayed: bool


class IdempotencyKeyReused(DomainError):
    """The key was already used for a different request by the same caller."""

    code = CommonErrorCode.IDEMPOTENCY_KEY_REUSED


class IdempotencyKeyInProgress(DomainError):
    """A request with the same key is still running; the client should retry shortly."""

    code = CommonErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS


# -- scopes, keys and request hashes -----------------------------------------------------

def account_scope(account_id: int) -> str:
    """The scope of a signed-in customer's keys."""
    return f"account:{int(account_id)}"


def guest_scope(cart_token: str) -> str:
    """The scope of a guest's keys: the SHA-256 of the guest cart's token (the token itself is
    a credential and is never stored here)."""
    return "guest:" + hashlib.sha256(cart_token.encode()).hexdigest()


def scope_of(principal: Principal, *, guest_token: str | None = None) -> str:
    """The caller's scope: its account when signed in, else its guest cart token."""
    if principal.account_id is not None:
        return account_scope(principal.account_id)
    if guest_token:
        return guest_scope(guest_token)
    raise Unauthenticated("Sign in, or send your cart's token, to do this.")


def validate_key(key: object, field: tuple[str, ...] | list[str] = KEY_FIELD) -> str:
    """A client key is 1-200 visible ASCII characters (a UUID is a good choice)."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise InvalidInput(f"An idempotency key is 1-{KEY_MAX_LENGTH} visible ASCII characters (letters, digits,"
                           " punctuation; no spaces), for example a UUID.",
                           code=CommonErrorCode.IDEMPOTENCY_KEY_INVALID, field=list(field))
    return key


def canonical(value: Any) -> Any:
    """`value` as plain JSON values, the same for equal requests: mappings need string keys
    (their order does not matter), tuples are lists, sets are sorted lists, a Decimal is its
    normalised text ("1.50" and "1.5" are equal), datetimes are UTC ISO-8601 (naive ones are
    refused), dates ISO-8601, UUIDs text, enums their value, dataclasses (Money) their fields.
    Anything else is a programming error (TypeError)."""
    if isinstance(value, Enum):
        return canonical(value.value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError("a request cannot hold NaN or infinity")
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError("a request cannot hold NaN or infinity")
        return "0" if value.is_zero() else format(value.normalize(), "f")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError("a request's datetimes must carry a time zone")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("a request's mappings need string keys")
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=_dump)
    raise TypeError(f"cannot hash a {type(value).__name__} in a request")


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_hash(request: Any) -> str:
    """SHA-256 (hex) of the request's canonical JSON (sorted keys, no spaces, UTF-8)."""
    return hashlib.sha256(_dump(canonical(request)).encode()).hexdigest()


# -- claiming and completing -------------------------------------------------------------

def _where(scope: str, operation: str, key: str):
    return (IdempotencyKey.scope == scope, IdempotencyKey.operation == operation, IdempotencyKey.key == key)


async def claim(session: AsyncSession, scope: str, operation: str, key: str, request: Any, *,
                ttl: timedelta = DEFAULT_TTL, field: tuple[str, ...] | list[str] = KEY_FIELD) -> Claimed | Replay:
    """Claims `key` for this request in the caller's transaction, or finds its first answer.

    Returns `Claimed` (run the use case, then `complete`) or `Replay(response)` (answer with
    the first response; write nothing). Raises IDEMPOTENCY_KEY_INVALID for a malformed key,
    IDEMPOTENCY_KEY_REUSED when the key was used for a different request (nothing written),
    IDEMPOTENCY_KEY_IN_PROGRESS when a concurrent request with the key outlasts the wait.
    Call it before the use case's business writes, in the same transaction."""
    validate_key(key, field)
    if not _OPERATION.fullmatch(operation) or not 1 <= len(scope) <= 100:
        raise ValueError(f"bad idempotency scope {scope!r} or operation {operation!r}")
    digest = request_hash(request)
    claimed = Claimed(scope, operation, key, digest)
    for _ in range(5):
        now = clock.now()
        fresh = {"request_hash": digest, "status": IN_PROGRESS, "created_at": now, "expires_at": now + ttl}
        # Waits while another transaction holds an uncommitted row with this key.
        inserted = await _guarded(session, field, insert(IdempotencyKey)
                                  .values(scope=scope, operation=operation, key=key, **fresh)
                                  .on_conflict_do_nothing(index_elements=["scope", "operation", "key"])
                                  .returning(IdempotencyKey.key))
        if inserted is not None:
            return claimed
        found = (await session.execute(
            select(IdempotencyKey.request_hash, IdempotencyKey.status, IdempotencyKey.response,
                   IdempotencyKey.expires_at).where(*_where(scope, operation, key)))).first()
        if found is None:
            continue  # purged since the insert looked: try again
        live = found.expires_at > now
        if live and found.request_hash != digest:
            raise IdempotencyKeyReused(
                "This idempotency key was already used for a different request; send a new key for a new"
                " request, or the same request to get its first answer again.",
                field=list(field))
        if live and found.status == COMPLETED:
            return Replay(found.response)
        # Expired, or left claimed without an answer by a committed transaction (a use case
        # that kept its changes after failing): the key is free for this request. Two takers
        # queue on the row lock; the second then sees the first one's outcome and looks again.
        free = or_(IdempotencyKey.expires_at <= now,
                   and_(IdempotencyKey.status == IN_PROGRESS, IdempotencyKey.request_hash == digest))
        taken = await _guarded(session, field, update(IdempotencyKey)
                               .where(*_where(scope, operation, key), free)
                               .values(response=null(), **fresh).returning(IdempotencyKey.key))
        if taken is not None:
            return claimed
    raise IdempotencyKeyInProgress("A request with this idempotency key is still being processed; retry in a"
                                   " moment.", field=list(field))


async def _guarded(session: AsyncSession, field, statement) -> Any:
    try:
        return (await session.execute(statement)).scalar_one_or_none()
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) in _STILL_WAITING:
            raise IdempotencyKeyInProgress("A request with this idempotency key is still being processed; retry in"
                                           " a moment.", field=list(field)) from error
        raise


async def complete(session: AsyncSession, claimed: Claimed, response: dict) -> None:
    """Stores the use case's first `response` (a JSON object: what it takes to answer a retry,
    e.g. `{"orderId": 12}`) in the caller's transaction, next to its business writes."""
    if not isinstance(response, dict):
        raise TypeError("an idempotent response is a JSON object")
    done = await session.execute(
        update(IdempotencyKey)
        .where(*_where(claimed.scope, claimed.operation, claimed.key), IdempotencyKey.status == IN_PROGRESS,
               IdempotencyKey.request_hash == claimed.request_hash)
        .values(status=COMPLETED, response=response).returning(IdempotencyKey.key))
    if done.scalar_one_or_none() is None:
        raise RuntimeError(f"idempotency key {claimed.key!r} is not claimed by this transaction")


async def release(session: AsyncSession, claimed: Claimed) -> None:
    """Gives the key up in the caller's transaction (for a use case that commits a failure), so
    the next request with it runs again."""
    await session.execute(
        IdempotencyKey.__table__.delete().where(*_where(claimed.scope, claimed.operation, claimed.key),
                                                IdempotencyKey.status == IN_PROGRESS))


async def idempotent(session: AsyncSession, scope: str, operation: str, key: str, request: Any,
                     action: Callable[[], Awaitable[dict]], *, ttl: timedelta = DEFAULT_TTL,
                     field: tuple[str, ...] | list[str] = KEY_FIELD) -> Outcome:
    """`claim`, then `action()` (the business writes, returning the response) and `complete`;
    or the first run's response, without calling `action`."""
    outcome = await claim(session, scope, operation, key, request, ttl=ttl, field=field)
    if isinstance(outcome, Replay):
        return Outcome(outcome.response, replayed=True)
    response = await action()
    await complete(session, outcome, response)
    return Outcome(response, replayed=False)


# -- purging expired keys ----------------------------------------------------------------

_PURGE = text(
    "DELETE FROM idempotency_keys WHERE expires_at <= :now AND (scope, operation, key) IN ("
    " SELECT scope, operation, key FROM idempotency_keys WHERE expires_at <= :now"
    " ORDER BY expires_at LIMIT :batch FOR UPDATE SKIP LOCKED)")


async def purge_expired(session: AsyncSession, *, now: datetime | None = None,
                        limit: int = PURGE_MAX_PER_RUN) -> int:
    """Deletes up to `limit` keys expired at `now` (default: the clock), in batches; returns how
    many. Keys a request is taking over right now are skipped, never waited for."""
    now = now or clock.now()
    deleted = 0
    while deleted < limit:
        batch = min(PURGE_BATCH, limit - deleted)
        removed = (await session.execute(_PURGE, {"now": now, "batch": batch})).rowcount
        deleted += removed
        if removed < batch:
            break
    return deleted


def next_purge_slot(after: datetime) -> datetime:
    """The start of the hour after `after` (UTC): purges run on the hour."""
    return after.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


async def schedule_purge(session: AsyncSession, *, after: datetime | None = None) -> None:
    """Queues the next hourly `idempotency.purge` job in the caller's transaction. One job per
    hour at most: a second schedule for the same hour is dropped (dedupe key), so calling this
    from several places (a deploy step, the job itself) never piles purges up."""
    slot = next_purge_slot(after or clock.now())
    await jobs.enqueue(session, PURGE_JOB, {}, run_at=slot, dedupe_key=f"{PURGE_JOB}@{slot:%Y-%m-%dT%H:%MZ}")


async def run_purge_job(session: AsyncSession) -> int:
    """The `idempotency.purge` job: deletes expired keys, queues itself again for the next hour,
    and, when it stopped at its per-run limit, queues a follow-up to run at once."""
    deleted = await purge_expired(session)
    if deleted >= PURGE_MAX_PER_RUN:
        await jobs.enqueue(session, PURGE_JOB, {"continued": True})
    await schedule_purge(session)
    return deleted
