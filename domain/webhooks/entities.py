"""Webhooks and deliveries as the API and the worker read them (never with the secret)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.shared.principal import Principal

WEBHOOK_COLUMNS = ("id, owner_account_id, seller_id, url, events, query, failing_since, disabled_at, created_at,"
                   " updated_at")
DELIVERY_COLUMNS = ("id, webhook_id, event_id, event_kind, status::text, attempts, response_status, duration_ms, error,"
                    " next_attempt_at, last_attempt_at, finished_at, created_at")


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    id: int
    owner_account_id: int
    seller_id: int | None
    url: str
    events: list[str]  # outbox kinds, e.g. "order.placed"
    query: str | None
    failing_since: datetime | None
    disabled_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def enabled(self) -> bool:
        return self.disabled_at is None


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    webhook_id: int
    event_id: int | None
    event_kind: str
    status: str
    attempts: int
    response_status: int | None
    duration_ms: int | None
    error: str | None
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    finished_at: datetime | None
    created_at: datetime


def may_manage(principal: Principal, seller_id: int | None) -> bool:
    """A platform webhook is the administrators'; a seller's, its staff's (and administrators')."""
    if principal.account_id is None:
        return False
    return principal.is_admin or (seller_id is not None and principal.is_staff_of(seller_id))
