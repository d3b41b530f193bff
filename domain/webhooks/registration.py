"""Registering, changing and deleting webhooks, and reading them back.

Administrators register platform webhooks (every event of the chosen types); a seller's staff
register their seller's (events that name the seller, never ORDER_UPDATED, which is the
customer's). Another seller's webhook does not exist for them (NOT_FOUND). The payload document
is checked by the caller's `DocumentCheck` (the API knows the schema), with the owner's rights."""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared.config import Settings
from domain.shared.db import Reader
from domain.shared.errors import DomainError, Forbidden, InvalidInput, NotFound
from domain.shared.pagination import Page, PageRequest, paged
from domain.shared.principal import Principal
from domain.webhooks import addresses, dispatch
from domain.webhooks.entities import DELIVERY_COLUMNS, WEBHOOK_COLUMNS, DeliveryRecord, WebhookRecord, may_manage
from domain.webhooks.errors import WebhookErrorCode
from domain.webhooks.statuses import SELLER_EVENT_TYPES, WebhookEventType
from domain.webhooks.tables import QUERY_MAX

WEBHOOKS_PER_OWNER = 20
SECRET_PREFIX = "whsec_"
_SECRET = re.compile(r"[\x21-\x7e]{24,200}")


class _Unset:
    pass


UNSET = _Unset()

# (document, the owner is an administrator, the webhook's event types) -> None, or a DomainError
# (WEBHOOK_QUERY_INVALID, WEBHOOK_FIELD_NOT_ALLOWED) naming what is wrong.
DocumentCheck = Callable[[str, bool, frozenset[WebhookEventType]], None]


@dataclass(frozen=True, slots=True)
class Registered:
    webhook_id: int
    secret: str  # shown to the caller once


def _error(code: WebhookErrorCode, message: str, field: list[str]) -> DomainError:
    return DomainError(message, code=code, field=field)


def new_secret() -> str:
    """256 random bits, prefixed so a leaked one is recognisable in a scan."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _checked_secret(secret: str | None) -> str:
    if secret is None:
        return new_secret()
    if not _SECRET.fullmatch(secret):
        raise _error(WebhookErrorCode.WEBHOOK_SECRET_INVALID, "A webhook secret is 24-200 visible ASCII characters"
                     " (leave it out to have one generated).", ["input", "secret"])
    return secret


def _checked_events(events: Sequence[WebhookEventType], seller_id: int | None) -> list[str]:
    if not events:
        raise InvalidInput("Choose at least one event type.", field=["input", "events"])
    chosen = list(dict.fromkeys(WebhookEventType(e) for e in events))
    if seller_id is not None:
        for index, event in enumerate(chosen):
            if event not in SELLER_EVENT_TYPES:
                raise _error(WebhookErrorCode.WEBHOOK_EVENT_NOT_ALLOWED, f"A seller's webhook cannot subscribe to"
                             f" {event.value}: an order's own updates are its customer's.",
                             ["input", "events", str(index)])
    return [e.kind.value for e in chosen]


def _checked_query(query: str | None, seller_id: int | None, events: list[str], check: DocumentCheck) -> str | None:
    if query is None or not query.strip():
        return None
    if len(query) > QUERY_MAX:
        raise _error(WebhookErrorCode.WEBHOOK_QUERY_INVALID, f"A payload document has at most {QUERY_MAX} characters.",
                     ["input", "query"])
    types = frozenset(WebhookEventType(k.replace(".", "_", 1).upper()) for k in events)
    check(query, seller_id is None, types)
    return query


async def _seller_exists(session: AsyncSession, seller_id: int) -> bool:
    return (await session.execute(text("SELECT 1 FROM sellers WHERE id = :id"), {"id": seller_id})).first() is not None


async def create_webhook(session: AsyncSession, principal: Principal, settings: Settings, *, url: str,
                         events: Sequence[WebhookEventType], query: str | None, secret: str | None,
                         seller_id: int | None, check_document: DocumentCheck) -> Registered:
    """Registers a webhook: without `seller_id` a platform one (administrators only), with it the
    seller's (its staff, or an administrator). At most 20 per seller (and 20 platform ones).
    The URL must pass the address rules (`addresses`), the events suit the owner, the document
    validate. Returns the secret, which is never shown again."""
    if seller_id is None:
        principal.require_admin()
    else:
        principal.require_seller_staff(seller_id, or_admin=True)
        if not await _seller_exists(session, seller_id):
            raise NotFound("No such seller.", field=["input", "sellerId"])
    kinds = _checked_events(events, seller_id)
    document = _checked_query(query, seller_id, kinds, check_document)
    key = _checked_secret(secret)
    await addresses.check(url, settings)
    count = (await session.execute(text(
        "SELECT count(*) FROM webhooks WHERE seller_id IS NOT DISTINCT FROM :seller"), {"seller": seller_id})).scalar_one()
    if count >= WEBHOOKS_PER_OWNER:
        raise _error(WebhookErrorCode.TOO_MANY_WEBHOOKS, f"At most {WEBHOOKS_PER_OWNER} webhooks per seller (and"
                     f" {WEBHOOKS_PER_OWNER} platform ones): delete one first.", ["input"])
    webhook_id = (await session.execute(text(
        "INSERT INTO webhooks (owner_account_id, seller_id, url, events, query, secret)"
        " VALUES (:owner, :seller, :url, CAST(:events AS text[]), :query, :secret) RETURNING id"),
        {"owner": principal.account_id, "seller": seller_id, "url": url, "events": kinds, "query": document,
         "secret": key})).scalar_one()
    await dispatch.start(session)
    await dispatch.schedule_dispatch(session)
    return Registered(webhook_id, key)


async def _locked(session: AsyncSession, principal: Principal, webhook_id: int) -> WebhookRecord:
    principal.require_signed_in()
    row = (await session.execute(text(f"SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = :id FOR UPDATE"),
                                 {"id": webhook_id})).first()
    if row is None or not may_manage(principal, row.seller_id):
        raise NotFound("No such webhook of yours.", field=["input", "webhookId"])
    return WebhookRecord(*row)


async def update_webhook(session: AsyncSession, principal: Principal, settings: Settings, webhook_id: int, *,
                         url=UNSET, events=UNSET, query=UNSET, enabled: bool | None = None,
                         check_document: DocumentCheck) -> int:
    """Changes a webhook's URL, events, document or state (its owner's staff or an administrator).
    The document is checked again against the new events. Enabling clears the run of failures
    that disabled it."""
    webhook = await _locked(session, principal, webhook_id)
    kinds = webhook.events if events is UNSET else _checked_events(events, webhook.seller_id)
    document = webhook.query if query is UNSET else query
    if query is not UNSET or events is not UNSET:
        document = _checked_query(document, webhook.seller_id, kinds, check_document)
    if url is not UNSET:
        await addresses.check(url, settings)
    state = ""
    if enabled is True:
        state = ", disabled_at = NULL, failing_since = NULL"
    elif enabled is False:
        state = ", disabled_at = coalesce(disabled_at, now())"
    await session.execute(text(
        f"UPDATE webhooks SET url = :url, events = CAST(:events AS text[]), query = :query, updated_at = now(){state}"
        " WHERE id = :id"),
        {"id": webhook_id, "url": webhook.url if url is UNSET else url, "events": kinds, "query": document})
    if enabled is True:
        await dispatch.schedule_dispatch(session)
    return webhook_id


async def delete_webhook(session: AsyncSession, principal: Principal, webhook_id: int) -> int:
    """Deletes a webhook with its delivery log; tries under way are dropped."""
    await _locked(session, principal, webhook_id)
    await session.execute(text("DELETE FROM webhooks WHERE id = :id"), {"id": webhook_id})
    return webhook_id


# -- reads ---------------------------------------------------------------------------------

async def webhooks_by_ids(reader: Reader, principal: Principal, ids: list[int]) -> dict[int, WebhookRecord]:
    rows = await reader.fetch(f"SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = ANY($1::bigint[])", list(ids))
    return {r[0]: WebhookRecord(*r) for r in rows if may_manage(principal, r["seller_id"])}


async def webhooks_page(reader: Reader, principal: Principal, page: PageRequest) -> Page[WebhookRecord]:
    """The webhooks the caller manages, newest first: every one for an administrator, its
    sellers' for seller staff, none for anyone else."""
    principal.require_signed_in()
    if not (principal.is_admin or principal.seller_ids):
        raise Forbidden("Only seller staff and administrators have webhooks.")
    if principal.is_admin:
        return await paged(reader, WebhookRecord, f"SELECT {WEBHOOK_COLUMNS} FROM webhooks", "id DESC", page)
    return await paged(reader, WebhookRecord, f"SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE seller_id = ANY($1::bigint[])",
                       "id DESC", page, sorted(principal.seller_ids))


async def deliveries_page(reader: Reader, webhook_id: int, page: PageRequest) -> Page[DeliveryRecord]:
    """A webhook's delivery log, newest first (for a webhook the caller was shown)."""
    return await paged(reader, DeliveryRecord, f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1",
                       "id DESC", page, webhook_id)


async def deliveries_by_ids(reader: Reader, principal: Principal, ids: list[int]) -> dict[int, DeliveryRecord]:
    rows = await reader.fetch(
        f"SELECT {', '.join('d.' + c.strip() for c in DELIVERY_COLUMNS.split(','))}, w.seller_id"
        " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ANY($1::bigint[])", list(ids))
    return {r[0]: DeliveryRecord(*r[:-1]) for r in rows if may_manage(principal, r["seller_id"])}
