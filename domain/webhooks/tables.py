"""Webhooks, their deliveries, and the dispatcher's place in the events outbox.

A webhook's secret is stored as it is (HMAC needs the key itself, and a hash could not sign):
it is shown once, at registration, is never returned by the API again, never written to a log
or a job payload, and lives in this one column. The delivery keeps the body it sent, so a retry
or a redelivery sends the very same bytes (signed anew, with a fresh timestamp)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, ENUM, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.db import Base
from domain.webhooks.statuses import WebhookDeliveryStatus

webhook_delivery_status = ENUM(*WebhookDeliveryStatus, name="webhook_delivery_status")

URL_MAX = 2_000
QUERY_MAX = 10_000
ERROR_MAX = 500


class Webhook(Base):
    """An endpoint told of platform events. `seller_id` null: a platform webhook (administrators
    register it and hear of every event of its types); otherwise the seller's (its staff register
    it and hear of events naming the seller). `failing_since`: start of the current run of failed
    tries (null after a success); a day of failures disables the webhook (`disabled_at`)."""

    __tablename__ = "webhooks"
    __table_args__ = (
        CheckConstraint("cardinality(events) >= 1", name="has_events"),
        CheckConstraint(f"length(url) <= {URL_MAX}", name="url_length"),
        CheckConstraint(f"length(query) <= {QUERY_MAX}", name="query_length"),
        Index("ix_webhooks_seller_id", "seller_id", "id"),
        # The dispatcher looks up the live webhooks of an event's kind.
        Index("ix_webhooks_events_live", "events", postgresql_using="gin", postgresql_where=text("disabled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    owner_account_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"))
    seller_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("sellers.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(ARRAY(Text))
    query: Mapped[str | None] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(Text)
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WebhookDelivery(Base):
    """One event for one webhook (or a ping: `event_id` null), tried until `retry_until`.
    `attempts`, `response_status`, `duration_ms` and `error` describe the tries so far (the last
    one's answer); `error` never holds the secret or the body."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint(f"length(error) <= {ERROR_MAX}", name="error_length"),
        # The dispatcher may look at an event twice (after a crash): one delivery per webhook.
        Index("uq_webhook_deliveries_event", "webhook_id", "event_id", unique=True,
              postgresql_where=text("event_id IS NOT NULL")),
        Index("ix_webhook_deliveries_webhook", "webhook_id", text("id DESC")),
        Index("ix_webhook_deliveries_finished", "finished_at", postgresql_where=text("finished_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    event_kind: Mapped[str] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(webhook_delivery_status, server_default="PENDING")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    response_status: Mapped[int | None] = mapped_column(SmallInteger)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    retry_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WebhookDispatchCursor(Base):
    """Where the dispatcher is in the outbox (one row). Event ids come from a sequence, so a
    transaction that took an id may commit after one that took a later id: `pending_gaps` holds
    the ids below `last_event_id` not seen yet ({id: first seen missing, epoch seconds}), looked
    for again until they appear or are old enough to be ids of rolled-back transactions."""

    __tablename__ = "webhook_dispatch_cursor"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger)
    pending_gaps: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


__all__ = ["Webhook", "WebhookDelivery", "WebhookDispatchCursor"]
