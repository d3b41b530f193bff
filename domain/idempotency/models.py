"""Idempotency keys: a client's key for one operation, stored with its request's hash and first response."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.db import Base


class IdempotencyKey(Base):
    """One client-chosen key of one caller (`scope`) for one operation.

    The row is written in the same transaction as the operation's business writes, so it exists
    only if they committed; `response` is what the first request answered, replayed to retries."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        CheckConstraint("char_length(key) BETWEEN 1 AND 200", name="key_length"),
        CheckConstraint("request_hash ~ '^[0-9a-f]{64}$'", name="request_hash_format"),
        CheckConstraint("status IN ('IN_PROGRESS', 'COMPLETED')", name="status_known"),
        # A completed key always has the answer to replay; one in progress has none yet.
        CheckConstraint("(status = 'COMPLETED') = (response IS NOT NULL)", name="response_when_completed"),
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        # The purge finds expired keys without reading the others.
        Index("ix_idempotency_keys_expires_at", "expires_at"),
    )

    # "account:<id>" or "guest:<sha-256 of the cart token>": one caller's keys never meet another's.
    scope: Mapped[str] = mapped_column(String(100), primary_key=True)
    # The use case, e.g. "ordering.placeOrder".
    operation: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    # SHA-256 (hex) of the canonical JSON of the request's input.
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    response: Mapped[dict | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
