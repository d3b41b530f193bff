"""Browsing history: one history per customer (or per guest, keyed by the hash of its token, as a
guest cart is), and the products viewed in it, one row per product.

A history keeps `entry_count`, its rows, and the state of its rate limit (`allowance`, views
still allowed at `allowance_at`), written under the history row's lock in the same transaction
as the views, so trimming to the newest N and the rate limit need no counting of rows. Rows are
ordered by `position`, drawn from one sequence: among the views of one history (written one at a
time under its lock) it grows with every view, and a guest history merged into a customer's
keeps its views' places in time."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.db import Base

POSITIONS = Sequence("browsing_history_positions", metadata=Base.metadata)


class BrowsingHistory(Base):
    """Whose views these are: a customer's (`account_id`) or a guest's (`token_hash`). A guest
    history attached to a customer at sign-in keeps its row, empty, with `merged_into_account_id`,
    so merging it again changes nothing."""

    __tablename__ = "browsing_histories"
    __table_args__ = (
        CheckConstraint("(account_id IS NULL) <> (token_hash IS NULL)", name="customer_or_guest"),
        CheckConstraint("token_hash IS NULL OR length(token_hash) = 64", name="token_hash_is_sha256"),
        CheckConstraint("merged_into_account_id IS NULL OR token_hash IS NOT NULL", name="only_guests_merge"),
        CheckConstraint("entry_count >= 0", name="entry_count_not_negative"),
        # The nightly purge of guest histories, oldest first (domain/recommendations/history_purge.py).
        Index("ix_browsing_histories_guest_updated_at", "updated_at", postgresql_where=text("token_hash IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str | None] = mapped_column(Text, unique=True)
    merged_into_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                                               index=True)
    paused: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    entry_count: Mapped[int] = mapped_column(Integer, server_default="0")
    allowance: Mapped[float] = mapped_column(Float)
    allowance_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BrowsingHistoryView(Base):
    """The latest view of one product in one history."""

    __tablename__ = "browsing_history_views"
    __table_args__ = (
        UniqueConstraint("history_id", "product_id"),
        # The history page, newest first, and trimming, oldest first.
        Index("ix_browsing_history_views_history_id_position", "history_id", "position"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    history_id: Mapped[int] = mapped_column(ForeignKey("browsing_histories.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(BigInteger)
    viewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
