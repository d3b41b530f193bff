"""Sending one delivery: render its body once, sign it, POST it with short timeouts, and record
what happened (response code, duration) for the delivery log.

A failed try is retried with exponential backoff (10 s, doubling, at most an hour apart) until
the delivery's `retry_until` (24 hours by default), then the delivery is FAILED. A webhook all
of whose tries failed for a day (`failing_since`) is disabled, its waiting deliveries FAILED, and
its owner e-mailed: the circuit breaker. Any success closes the run of failures. Delivery is
at-least-once: a receiver de-duplicates on `Tributary-Event-Id` (the same on every try)."""
from __future__ import annotations

import functools
import ssl
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import service as identity
from domain.jobs import service as jobs
from domain.shared.config import Settings
from domain.shared.db import Database
from domain.shared.errors import DomainError
from domain.webhooks import addresses, payloads, signing
from domain.webhooks.dispatch import DELIVER_JOB, deliver_key
from domain.webhooks.entities import may_manage
from domain.webhooks.statuses import PING
from domain.webhooks.tables import ERROR_MAX

FIRST_BACKOFF_SECONDS = 10
MAX_BACKOFF_SECONDS = 3600
USER_AGENT = "Tributary-Webhooks/1"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Made at the first delivery: loading the CA bundle (and importing httpx, below) is work
    every process that imports this module would otherwise do at start, sending webhooks or not."""
    return ssl.create_default_context()

_LOAD = text(
    "SELECT d.id, d.webhook_id, d.event_id, d.event_kind, d.body, d.status::text AS status, d.attempts, d.retry_until,"
    " d.created_at, w.url, w.secret, w.query, w.owner_account_id, w.seller_id, w.disabled_at, w.failing_since"
    " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = :id FOR UPDATE OF d, w")
_EVENT = text("SELECT id, kind, subject_id, customer_id, seller_ids, data, created_at FROM events WHERE id = :id")


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status: int | None
    duration_ms: int
    error: str | None


def backoff_seconds(attempts: int) -> int:
    """Wait after `attempts` failed tries: 10, 20, 40 ... seconds, at most an hour."""
    return min(FIRST_BACKOFF_SECONDS * 2 ** min(attempts - 1, 20), MAX_BACKOFF_SECONDS)


def _short(error: BaseException) -> str:
    text_ = f"{type(error).__name__}: {error}".rstrip(": ")
    return text_[:ERROR_MAX]


async def post(target: addresses.Target, headers: dict[str, str], body: bytes, timeout: float) -> Outcome:
    """POSTs to the checked address (not to a new resolution of the host), with the host's name
    in `Host` and in TLS (SNI and certificate check). Redirects are not followed."""
    import httpx  # only the job worker sends: see `_ssl_context`

    default = {"https": 443, "http": 80}[target.scheme]
    host_header = target.host if target.port == default else f"{target.host}:{target.port}"
    url = httpx.URL(target.url).copy_with(host=target.address)
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    started = time.perf_counter()
    try:
        async with httpx.AsyncClient(verify=_ssl_context(), timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
                                     follow_redirects=False, trust_env=False) as client:
            response = await client.post(url, content=body, headers={**headers, "Host": host_header},
                                         extensions=extensions)
    except httpx.HTTPError as error:
        return Outcome(False, None, int((time.perf_counter() - started) * 1000), _short(error))
    duration = int((time.perf_counter() - started) * 1000)
    if 200 <= response.status_code < 300:
        return Outcome(True, response.status_code, duration, None)
    return Outcome(False, response.status_code, duration, f"HTTP {response.status_code}")


async def _body(session: AsyncSession, database: Database, settings: Settings, row) -> bytes | str:
    """The delivery's body, rendered now if this is its first try (the caller stores it with the
    try's outcome); or why it cannot be sent (str)."""
    if row.body is not None:
        return row.body.encode()
    owner = await identity.principal_for_account(session, row.owner_account_id)
    if owner is None or not may_manage(owner, row.seller_id):
        return "The webhook's owner no longer has the rights it was registered with."
    if row.event_id is None:
        event = payloads.EventRecord(None, PING, None, None, [], {}, row.created_at)
    else:
        found = (await session.execute(_EVENT, {"id": row.event_id})).first()
        if found is None:
            return "The event was purged before it could be delivered."
        event = payloads.EventRecord(found.id, found.kind, found.subject_id, found.customer_id, list(found.seller_ids),
                                     found.data, found.created_at)
    rendered = await payloads.render(payloads.RenderRequest(
        database=database, settings=settings, owner=owner, webhook_id=row.webhook_id, delivery_id=row.id,
        query=row.query, event=event))
    return orjson.dumps(rendered)


def headers_for(row, body: bytes, timestamp: int) -> dict[str, str]:
    event_id = f"evt_{row.event_id}" if row.event_id is not None else f"ping_{row.id}"
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.signature(row.secret, timestamp, body),
        signing.EVENT_ID_HEADER: event_id,
        signing.EVENT_TYPE_HEADER: row.event_kind,
        signing.DELIVERY_ID_HEADER: str(row.id),
        signing.WEBHOOK_ID_HEADER: str(row.webhook_id),
    }


async def deliver(session: AsyncSession, database: Database, settings: Settings, delivery_id: int) -> str | None:
    """Tries a delivery once (when it is still PENDING) and records the outcome; returns the
    new status, or None when there was nothing to do."""
    row = (await session.execute(_LOAD, {"id": delivery_id})).first()
    if row is None or row.status != "PENDING":
        return None
    if row.disabled_at is not None:
        await _finish(session, row.id, "FAILED", Outcome(False, None, 0, "The webhook is disabled."), count=False)
        return "FAILED"
    body = await _body(session, database, settings, row)
    if isinstance(body, str):
        await _finish(session, row.id, "FAILED", Outcome(False, None, 0, body), count=False)
        return "FAILED"
    try:
        target = await addresses.check(row.url, settings, field=["url"])
    except DomainError as refused:
        outcome = Outcome(False, None, 0, refused.message[:ERROR_MAX])
    else:
        outcome = await post(target, headers_for(row, body, int(time.time())), body, settings.webhook_timeout_seconds)
    rendered = body.decode() if row.body is None else None  # stored with the outcome, in the same statement
    if outcome.ok:
        await _finish(session, row.id, "SUCCEEDED", outcome, body=rendered)
        if row.failing_since is not None:
            await session.execute(text("UPDATE webhooks SET failing_since = NULL WHERE id = :id"), {"id": row.webhook_id})
        return "SUCCEEDED"
    return await _failed(session, settings, row, outcome, rendered)


async def _finish(session: AsyncSession, delivery_id: int, status: str, outcome: Outcome, *, count: bool = True,
                  body: str | None = None) -> None:
    await session.execute(text(
        "UPDATE webhook_deliveries SET status = CAST(:status AS webhook_delivery_status),"
        " attempts = attempts + :tried, response_status = coalesce(:code, CASE WHEN :tried = 1 THEN NULL"
        "  ELSE response_status END), duration_ms = CASE WHEN :tried = 1 THEN :ms ELSE duration_ms END,"
        " error = :error, last_attempt_at = CASE WHEN :tried = 1 THEN clock_timestamp() ELSE last_attempt_at END,"
        " next_attempt_at = NULL, finished_at = clock_timestamp(), body = coalesce(body, :body) WHERE id = :id"),
        {"status": status, "tried": 1 if count else 0, "code": outcome.status, "ms": outcome.duration_ms,
         "error": outcome.error, "id": delivery_id, "body": body})


async def _failed(session: AsyncSession, settings: Settings, row, outcome: Outcome, body: str | None) -> str:
    failing_since = (await session.execute(text(
        "UPDATE webhooks SET failing_since = coalesce(failing_since, clock_timestamp()) WHERE id = :id"
        " RETURNING failing_since, clock_timestamp() AS now"), {"id": row.webhook_id})).one()
    now = failing_since.now
    if now - failing_since.failing_since >= timedelta(hours=settings.webhook_disable_after_hours):
        await _finish(session, row.id, "FAILED", outcome, body=body)
        await disable(session, settings, row, outcome.error or "no answer")
        return "FAILED"
    attempts = row.attempts + 1
    next_at = now + timedelta(seconds=backoff_seconds(attempts))
    if next_at > row.retry_until:
        await _finish(session, row.id, "FAILED", outcome, body=body)
        return "FAILED"
    await session.execute(text(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, response_status = :code, duration_ms = :ms,"
        " error = :error, last_attempt_at = clock_timestamp(), next_attempt_at = :next, body = coalesce(body, :body)"
        " WHERE id = :id"),
        {"code": outcome.status, "ms": outcome.duration_ms, "error": outcome.error, "next": next_at, "id": row.id,
         "body": body})
    await jobs.enqueue(session, DELIVER_JOB, {"delivery": row.id}, run_at=next_at,
                       dedupe_key=deliver_key(row.id, attempts))
    return "PENDING"


async def disable(session: AsyncSession, settings: Settings, row, last_error: str) -> None:
    """The circuit breaker: turns the webhook off, fails its waiting deliveries, tells its owner."""
    disabled = (await session.execute(text(
        "UPDATE webhooks SET disabled_at = clock_timestamp() WHERE id = :id AND disabled_at IS NULL RETURNING id"),
        {"id": row.webhook_id})).first()
    if disabled is None:
        return
    await session.execute(text(
        "UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = NULL, finished_at = clock_timestamp(),"
        " error = 'The webhook was disabled after a day of failed tries.' WHERE webhook_id = :id AND status = 'PENDING'"),
        {"id": row.webhook_id})
    email = await identity.email_of(session, row.owner_account_id)
    if email is not None:
        await jobs.send_email(session, to=email, template="webhook_disabled", context={
            "host": urlsplit(row.url).hostname, "url": row.url, "webhookId": str(row.webhook_id),
            "hours": str(settings.webhook_disable_after_hours), "lastError": last_error},
            dedupe_key=f"webhook_disabled:{row.webhook_id}:{int(time.time())}")
