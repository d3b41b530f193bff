"""API clients, automatic persisted queries and trusted documents."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.db import Base

_SHA256 = "^[0-9a-f]{64}$"


class ApiClient(Base):
    """A server-side client (a storefront rendering pages for its visitors) known by a key.

    Only the SHA-256 of the key is kept: the key is 32 random bytes, so the hash cannot be
    reversed by guessing, and a leaked table gives no usable key."""

    __tablename__ = "api_clients"
    __table_args__ = (
        CheckConstraint("name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'", name="name_format"),
        CheckConstraint(f"key_hash ~ '{_SHA256}'", name="key_hash_format"),
        CheckConstraint("budget IS NULL OR budget > 0", name="budget_positive"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(63), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Its cost budget's capacity in points; NULL means the service's default (TRIBUTARY_COST_BUDGET).
    budget: Mapped[int | None] = mapped_column(Integer)
    trusted_documents_only: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PersistedQuery(Base):
    """A document registered by a client under its SHA-256 hash (Apollo's automatic persisted
    queries). Registering one trusts nothing: any caller may register any valid document."""

    __tablename__ = "persisted_queries"
    __table_args__ = (
        CheckConstraint(f"hash ~ '{_SHA256}'", name="hash_format"),
        # Pruning drops the least recently used first.
        Index("ix_persisted_queries_last_used_at", "last_used_at"),
    )

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TrustedDocument(Base):
    """An operation a first-party client ships, registered by the operator from its manifest:
    for every caller (`client_id` NULL) or for one API client."""

    __tablename__ = "trusted_documents"
    __table_args__ = (
        CheckConstraint(f"hash ~ '{_SHA256}'", name="hash_format"),
        Index("uq_trusted_documents_hash_everyone", "hash", unique=True,
              postgresql_where=text("client_id IS NULL")),
        Index("uq_trusted_documents_hash_client_id", "hash", "client_id", unique=True,
              postgresql_where=text("client_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("api_clients.id", ondelete="CASCADE"),
                                                  index=True)
    # The operation's name, as the manifest gives it (for listing).
    name: Mapped[str | None] = mapped_column(String(200))
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
