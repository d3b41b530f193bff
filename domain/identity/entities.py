"""What identity use cases return: plain records the API maps field by field."""
from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class Account:
    id: int
    email: str
    display_name: str
    created_at: datetime


@dataclass(slots=True)
class Session:
    id: uuid.UUID
    account_id: int
    client_kind: str
    device_name: str
    device_id: int | None
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(slots=True)
class SignedIn:
    """A new or refreshed session with its tokens (the refresh token is shown only here)."""

    session: Session
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str


@dataclass(slots=True)
class Device:
    id: int
    account_id: int
    kind: str
    name: str
    serial_number: str | None
    registered_at: datetime
    deregistered_at: datetime | None


@dataclass(slots=True)
class Address:
    id: int
    account_id: int
    full_name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country_code: str
    phone: str
    is_default: bool


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Facts about the calling client that a session records and throttling keys on."""

    ip: str | None = None
    user_agent: str = ""

    @property
    def inet(self) -> str | None:
        """The IP address as a session records it; None when the client has none (a Unix
        socket, or a test client's host name), which a session stores as unknown."""
        try:
            return str(ipaddress.ip_address(self.ip)) if self.ip else None
        except ValueError:
            return None
