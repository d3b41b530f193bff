"""Profile tables: one public profile per account, follows between profiles, and blocks.

Every account has its profile from the moment it exists: a statement trigger on `accounts`
(migration 3e7b9c2d5a10) gives each new account a profile with a handle made from its display
name, so no path that creates accounts (sign-up, the seed, administrators' tools) can forget it.
`follower_count` and `following_count` are kept by the follow use cases on the two locked
profile rows, in the transaction that adds or removes the follow (`domain/profiles/follows.py`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.profiles.rules import BIO_MAX, HANDLE_PATTERN, URL_MAX
from domain.profiles.statuses import ProfileVisibility
from domain.shared.db import Base

profile_visibility = ENUM(*ProfileVisibility, name="profile_visibility")


def _visibility() -> Mapped[str]:
    return mapped_column(profile_visibility, server_default="PUBLIC")


class Profile(Base):
    """An account's public face: handle, bio, photo, website, and what of it is public. The
    display name is the account's (`accounts.display_name`), the one reviews and answers show."""

    __tablename__ = "profiles"
    __table_args__ = (
        CheckConstraint(f"handle ~ '{HANDLE_PATTERN}'", name="handle_format"),
        CheckConstraint(f"bio IS NULL OR (bio !~ '<[A-Za-z/!?]' AND length(btrim(bio)) >= 1"
                        f" AND length(bio) <= {BIO_MAX})", name="bio_plain_text"),
        CheckConstraint(f"photo_url IS NULL OR (photo_url LIKE 'https://%' AND length(photo_url) <= {URL_MAX})",
                        name="photo_url_https"),
        CheckConstraint(f"website_url IS NULL OR (website_url ~ '^https?://' AND length(website_url) <= {URL_MAX})",
                        name="website_url_http"),
        CheckConstraint("follower_count >= 0 AND following_count >= 0", name="counts_not_negative"),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    # Lower-case, so a handle is unique however it is typed.
    handle: Mapped[str] = mapped_column(Text, unique=True)
    bio: Mapped[str | None] = mapped_column(Text)
    photo_url: Mapped[str | None] = mapped_column(Text)
    website_url: Mapped[str | None] = mapped_column(Text)
    # PRIVATE: the whole profile is shown to its owner only.
    visibility: Mapped[str] = _visibility()
    reviews_visibility: Mapped[str] = _visibility()
    lists_visibility: Mapped[str] = _visibility()
    answers_visibility: Mapped[str] = _visibility()
    follows_visibility: Mapped[str] = _visibility()
    follower_count: Mapped[int] = mapped_column(Integer, server_default="0")
    following_count: Mapped[int] = mapped_column(Integer, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProfileFollow(Base):
    """One profile follows another (never itself); undone by deleting the row."""

    __tablename__ = "profile_follows"
    __table_args__ = (
        CheckConstraint("follower_id <> followed_id", name="not_self"),
        # A profile's followers, newest first; its following list reads the primary key's side.
        Index("ix_profile_follows_followed", "followed_id", text("created_at DESC"), text("follower_id DESC")),
        Index("ix_profile_follows_follower", "follower_id", text("created_at DESC"), text("followed_id DESC")),
    )

    follower_id: Mapped[int] = mapped_column(ForeignKey("profiles.account_id", ondelete="CASCADE"), primary_key=True)
    followed_id: Mapped[int] = mapped_column(ForeignKey("profiles.account_id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProfileBlock(Base):
    """One profile blocks another: the blocked one sees nothing of the blocker and neither can
    follow the other. Undone by deleting the row."""

    __tablename__ = "profile_blocks"
    __table_args__ = (
        CheckConstraint("blocker_id <> blocked_id", name="not_self"),
        # "Did this owner block me?": every visibility check asks it by the blocked side.
        Index("ix_profile_blocks_blocked", "blocked_id", "blocker_id"),
        Index("ix_profile_blocks_blocker", "blocker_id", text("created_at DESC"), text("blocked_id DESC")),
    )

    blocker_id: Mapped[int] = mapped_column(ForeignKey("profiles.account_id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("profiles.account_id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
