"""Customer lists: wish lists, named lists and shopping lists, their items, the households that
share a shopping list, the invitations to join one, and the receipts of synced changes.

Every write to a list takes the list's row lock and moves `last_seq` on by one; the items it
touches take that number as their `seq`. Numbers are therefore given in commit order, and
"items with seq > n" is exactly what changed after a device saw number n (see `sync`). Removed
items stay as tombstones (`removed_at`) so that removals sync too."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import CITEXT, ENUM, UUID
from sqlalchemy.orm import Mapped, mapped_column

from domain.lists.statuses import ListChangeOutcome, ListKind, ListVisibility
from domain.shared.db import Base

list_kind = ENUM(*ListKind, name="list_kind")
list_visibility = ENUM(*ListVisibility, name="list_visibility")
list_change_outcome = ENUM(*ListChangeOutcome, name="list_change_outcome")

NAME_MAX = 100
DESCRIPTION_MAX = 1_000
NOTE_MAX = 500
QUANTITY_MAX = 999


class CustomerList(Base):
    """A customer's list. One WISH_LIST per account at most; a SHARED list has the SHA-256 of its
    link's token (the token itself is shown once, to its owner)."""

    __tablename__ = "lists"
    __table_args__ = (
        CheckConstraint(f"length(btrim(name)) >= 1 AND length(name) <= {NAME_MAX}", name="name_length"),
        CheckConstraint(f"length(description) <= {DESCRIPTION_MAX}", name="description_length"),
        CheckConstraint("(visibility = 'SHARED') = (share_token_hash IS NOT NULL)", name="shared_has_link"),
        CheckConstraint("item_count >= 0", name="item_count_not_negative"),
        Index("uq_lists_wish_list", "account_id", unique=True, postgresql_where=text("kind = 'WISH_LIST'")),
        Index("uq_lists_share_token_hash", "share_token_hash", unique=True,
              postgresql_where=text("share_token_hash IS NOT NULL")),
        Index("ix_lists_account_id", "account_id", text("created_at DESC"), text("id DESC")),
        # The profile block: an owner's public lists, newest first.
        Index("ix_lists_public", "account_id", text("updated_at DESC"), text("id DESC"),
              postgresql_where=text("visibility = 'PUBLIC'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(list_kind)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, server_default="")
    visibility: Mapped[str] = mapped_column(list_visibility, server_default="PRIVATE")
    share_token_hash: Mapped[str | None] = mapped_column(Text)
    # Live (not removed) items.
    item_count: Mapped[int] = mapped_column(Integer, server_default="0")
    last_seq: Mapped[int] = mapped_column(BigInteger, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ListItem(Base):
    """A product on a list. `key` is the item's id as devices know it (made by the device that
    added it offline, or by the server). `checked_seq` and `added_seq` are the list numbers of
    the last check-off and of the last add into the item: the sync compares them with what the
    device had seen to settle concurrent changes."""

    __tablename__ = "list_items"
    __table_args__ = (
        CheckConstraint(f"quantity BETWEEN 1 AND {QUANTITY_MAX}", name="quantity_range"),
        CheckConstraint(f"length(note) <= {NOTE_MAX}", name="note_length"),
        CheckConstraint("checked = (checked_at IS NOT NULL)", name="checked_has_time"),
        Index("uq_list_items_list_id_key", "list_id", "key", unique=True),
        # A product is on a list once (adding it again adds to that item).
        Index("uq_list_items_live_product", "list_id", "product_id", unique=True,
              postgresql_where=text("removed_at IS NULL")),
        Index("ix_list_items_list_id_seq", "list_id", "seq"),
        Index("ix_list_items_list_id_position", "list_id", "id", postgresql_where=text("removed_at IS NULL")),
        Index("ix_list_items_product_id", "product_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("lists.id", ondelete="CASCADE"))
    key: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), server_default=text("gen_random_uuid()"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    quantity: Mapped[int] = mapped_column(Integer, server_default="1")
    note: Mapped[str] = mapped_column(Text, server_default="")
    checked: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    added_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    seq: Mapped[int] = mapped_column(BigInteger)
    added_seq: Mapped[int] = mapped_column(BigInteger)
    checked_seq: Mapped[int] = mapped_column(BigInteger, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ListMember(Base):
    """A customer who joined a shopping list's household (the owner is not a member row)."""

    __tablename__ = "list_members"
    __table_args__ = (Index("ix_list_members_account_id", "account_id"),)

    list_id: Mapped[int] = mapped_column(ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ListInvitation(Base):
    """An invitation by e-mail to a shopping list's household; only its token's SHA-256 is kept."""

    __tablename__ = "list_invitations"
    __table_args__ = (
        Index("uq_list_invitations_token_hash", "token_hash", unique=True),
        Index("ix_list_invitations_list_id", "list_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("lists.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(CITEXT)
    token_hash: Mapped[str] = mapped_column(Text)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))


class ListSyncReceipt(Base):
    """A change a device sent to `shoppingListSync`, by the id the device gave it, with what became
    of it: a retried batch is answered from here and applies nothing twice."""

    __tablename__ = "list_sync_receipts"

    list_id: Mapped[int] = mapped_column(ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True)
    change_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    outcome: Mapped[str] = mapped_column(list_change_outcome)
    item_key: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
