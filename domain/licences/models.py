"""Licence tables: the right to read or watch a title (bought, rented, later through a
membership), the devices using each licence, the per-account change log e-readers sync from,
the digital content of each title, playback reports of videos, and reading state and
annotations per licence."""
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
from sqlalchemy.dialects.postgresql import ARRAY, ENUM, UUID
from sqlalchemy.orm import Mapped, mapped_column

from domain.licences.statuses import AnnotationKind, LibraryChangeKind, LicenceKind, LicenceStatus
from domain.shared.db import Base

licence_kind = ENUM(*LicenceKind, name="licence_kind")
licence_status = ENUM(*LicenceStatus, name="licence_status")
library_change_kind = ENUM(*LibraryChangeKind, name="library_change_kind")
annotation_kind = ENUM(*AnnotationKind, name="annotation_kind")

DEFAULT_DEVICE_LIMIT = 6


class Licence(Base):
    """A customer's right to one title. Issued when an EBOOK or VIDEO order line is paid (at most
    one per order line); a RENTAL is playable for a window from its first play, within a
    deadline from renting."""

    __tablename__ = "licences"
    __table_args__ = (
        CheckConstraint("device_limit BETWEEN 1 AND 100", name="device_limit_range"),
        CheckConstraint("(status = 'REVOKED') = (revoked_at IS NOT NULL)", name="revoked_has_time"),
        CheckConstraint("(kind = 'RENTAL') = (rental_expires_at IS NOT NULL)", name="rental_has_deadline"),
        CheckConstraint("playback_refund_id IS NULL OR playback_refunded_at IS NOT NULL",
                        name="playback_refund_has_time"),
        Index("ix_licences_account_id_id", "account_id", "id"),
        Index("uq_licences_order_line_id", "order_line_id", unique=True,
              postgresql_where=text("order_line_id IS NOT NULL")),
        # A title is borrowed through the membership once at a time.
        Index("uq_licences_membership_active", "account_id", "product_id", unique=True,
              postgresql_where=text("kind = 'MEMBERSHIP' AND status = 'ACTIVE'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(licence_kind)
    status: Mapped[str] = mapped_column(licence_status, server_default="ACTIVE")
    device_limit: Mapped[int] = mapped_column(Integer, server_default=str(DEFAULT_DEVICE_LIMIT))
    # Rentals: must be started before `rental_expires_at`; once started, playable until
    # `play_window_ends_at`.
    rental_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_played_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    play_window_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A rental that played badly is refunded automatically, once: when, and the refund (none
    # for a free rental).
    playback_refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    playback_refund_id: Mapped[int | None] = mapped_column(ForeignKey("order_refunds.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LicenceActivation(Base):
    """A device using one of a licence's slots. A deregistered device's activations no longer
    count (its `devices.deregistered_at` is set); deactivating keeps the row with a time."""

    __tablename__ = "licence_activations"
    __table_args__ = (
        Index("ix_licence_activations_device_id", "device_id"),
    )

    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    activated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LibrarySyncState(Base):
    """Per account, the last change number given out. Writers lock this row to number their
    change, so an account's changes are numbered in commit order and a sync reading "after
    number n" never skips a change committed later with a smaller number."""

    __tablename__ = "library_sync_states"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, server_default="0")


class LibraryChange(Base):
    """One change to an account's library (numbered per account), for e-readers to sync."""

    __tablename__ = "library_changes"
    __table_args__ = (
        CheckConstraint("seq >= 1", name="seq_positive"),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(library_change_kind)
    # The device whose write this change is (so that device can skip it); null for the
    # service's own changes (a purchase, a refund, a licence expiring).
    origin_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DigitalContent(Base):
    """The downloadable content of a digital product: where the content store keeps it, its size,
    and for books how many locations (positions) it has."""

    __tablename__ = "digital_contents"
    __table_args__ = (
        CheckConstraint("file_size >= 0", name="file_size_not_negative"),
        CheckConstraint("location_count >= 1", name="location_count_positive"),
    )

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    content_key: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100))
    file_size: Mapped[int] = mapped_column(BigInteger)
    location_count: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PlaybackReport(Base):
    """How one playback session of a video went, as the playing client reported it; the id is
    made by the client, so a report sent again after a lost answer counts once."""

    __tablename__ = "playback_reports"
    __table_args__ = (
        CheckConstraint("watched_seconds BETWEEN 0 AND 86400 AND rebuffering_seconds BETWEEN 0 AND 86400",
                        name="seconds_range"),
        CheckConstraint("average_bitrate_kbps BETWEEN 0 AND 1000000", name="bitrate_range"),
        CheckConstraint("cardinality(errors) <= 20", name="errors_count"),
        Index("ix_playback_reports_licence_id", "licence_id"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    watched_seconds: Mapped[int] = mapped_column(Integer)
    rebuffering_seconds: Mapped[int] = mapped_column(Integer)
    average_bitrate_kbps: Mapped[int] = mapped_column(Integer)
    errors: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReadingState(Base):
    """Where a customer is in a title: the last position (the newest write by the writing
    client's own clock, with the device), and the furthest position ever reached."""

    __tablename__ = "reading_states"
    __table_args__ = (
        CheckConstraint("last_position >= 0 AND furthest_position >= last_position", name="positions_ordered"),
    )

    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"), primary_key=True)
    last_position: Mapped[int] = mapped_column(Integer)
    last_position_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    last_position_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    furthest_position: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Annotation(Base):
    """A bookmark, highlight or note, identified by a client-made UUID so offline devices never
    collide. Edits keep the newest by the client's clock; a deletion is a tombstone
    (`deleted`), kept so a device that was offline learns of it and an older edit cannot bring
    the annotation back."""

    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint("start_position >= 0 AND end_position >= start_position", name="positions_ordered"),
        CheckConstraint("length(note) <= 10000", name="note_length"),
        Index("ix_annotations_licence_id_change_seq", "licence_id", "change_seq"),
    )

    id: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(annotation_kind)
    start_position: Mapped[int] = mapped_column(Integer)
    end_position: Mapped[int] = mapped_column(Integer)
    highlighted_text: Mapped[str] = mapped_column(Text, server_default="")
    note: Mapped[str] = mapped_column(Text, server_default="")
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # The writing client's clock: the newest write wins, a deletion included.
    client_updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    # The account's library change that wrote this version: the change carries it to devices.
    change_seq: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
