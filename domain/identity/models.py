"""Identity tables: accounts, their roles, sessions per device, devices, addresses, reset tokens."""
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
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import CITEXT, ENUM, INET, UUID
from sqlalchemy.orm import Mapped, mapped_column

from domain.identity.statuses import STORED_ROLES, ClientKind
from domain.shared.db import Base

account_role = ENUM(*STORED_ROLES, name="account_role")
client_kind = ENUM(*ClientKind, name="client_kind")


class Account(Base):
    """A customer identity, shared by every client (web, mobile, e-reader)."""

    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint("length(display_name) BETWEEN 1 AND 100", name="display_name_length"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    email: Mapped[str] = mapped_column(CITEXT, unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RoleGrant(Base):
    """A role beyond customer: admin, staff of one seller, owner of one brand."""

    __tablename__ = "role_grants"
    __table_args__ = (
        CheckConstraint(
            "(role = 'ADMIN' AND seller_id IS NULL AND brand_id IS NULL)"
            " OR (role = 'SELLER_STAFF' AND seller_id IS NOT NULL AND brand_id IS NULL)"
            " OR (role = 'BRAND_OWNER' AND brand_id IS NOT NULL AND seller_id IS NULL)",
            name="scope_matches_role"),
        Index("uq_role_grants_scope", "account_id", "role", text("coalesce(seller_id, 0)"),
              text("coalesce(brand_id, 0)"), unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(account_role)
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Device(Base):
    """An e-reader or app registered to an account (licences count their devices)."""

    __tablename__ = "devices"
    __table_args__ = (
        CheckConstraint("length(name) BETWEEN 1 AND 60", name="name_length"),
        Index("ix_devices_account_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(client_kind)
    name: Mapped[str] = mapped_column(String(60))
    serial_number: Mapped[str | None] = mapped_column(String(100))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deregistered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuthSession(Base):
    """One signed-in client. Its refresh tokens form one family: reuse of a spent one
    revokes the session."""

    __tablename__ = "auth_sessions"
    __table_args__ = (
        CheckConstraint("length(device_name) <= 60", name="device_name_length"),
        Index("ix_auth_sessions_account_id", "account_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          server_default=text("gen_random_uuid()"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    client_kind: Mapped[str] = mapped_column(client_kind)
    device_name: Mapped[str] = mapped_column(String(60), server_default="")
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))
    ip_address: Mapped[str | None] = mapped_column(INET)
    user_agent: Mapped[str] = mapped_column(String(300), server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class RefreshToken(Base):
    """Every refresh token ever issued, by hash; a used one presented again is a theft signal."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_session_id", "session_id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PasswordResetToken(Base):
    __tablename__ = "password_reset_tokens"
    __table_args__ = (Index("ix_password_reset_tokens_account_id", "account_id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Address(Base):
    __tablename__ = "addresses"
    __table_args__ = (
        CheckConstraint("country_code ~ '^[A-Z]{2}$'", name="country_code_format"),
        Index("ix_addresses_account_id", "account_id"),
        Index("uq_addresses_default", "account_id", unique=True, postgresql_where=text("is_default")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(String(100))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str] = mapped_column(String(200), server_default="")
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100), server_default="")
    postal_code: Mapped[str] = mapped_column(String(20), server_default="")
    country_code: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str] = mapped_column(String(30), server_default="")
    is_default: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SignInThrottle(Base):
    """Failed sign-ins per key (an IP, or an IP with an account), shared by every process."""

    __tablename__ = "sign_in_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, server_default="0")
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
