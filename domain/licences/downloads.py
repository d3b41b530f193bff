"""Signed download URLs: one licence, on one device, for a few minutes.

`request_download` checks that the caller may download (its own ACTIVE licence, activated on
one of its registered devices, for a title with content) and returns a URL whose query
carries its expiry and an HMAC-SHA256 signature over licence, device and expiry with a key
derived from the service's secret key. The URL is a bearer credential for that short time.

`authorize_download` runs when the URL is fetched: the signature must match (compared in
constant time), the URL must not have expired, and the licence must still be ACTIVE and
activated on that still-registered device, so a licence revoked or a device deregistered after
the URL was handed out gets nothing. Failures name the reason for logs; the client only sees
403.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.licences.content import MEDIA_TYPE_TEXT
from domain.licences.entities import rental_over
from domain.licences.errors import DownloadErrorCode, LicenceStateErrorCode
from domain.licences.statuses import LicenceKind, LicenceStatus
from domain.shared import clock
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal

PATH_PREFIX = "/downloads"

# The code refusing a licence that is no longer ACTIVE, by its status.
_REFUSED_STATUS = {LicenceStatus.REVOKED: LicenceStateErrorCode.LICENCE_REVOKED,
                   LicenceStatus.EXPIRED: LicenceStateErrorCode.LICENCE_EXPIRED,
                   LicenceStatus.SUSPENDED: LicenceStateErrorCode.LICENCE_SUSPENDED}

_GRANT = """SELECT l.id, l.account_id, l.status::text AS status, d.content_key, d.media_type, d.file_size,
  dev.account_id AS device_account_id, dev.deregistered_at,
  a.device_id IS NOT NULL AND a.deactivated_at IS NULL AS activated,
  l.kind::text AS kind, l.rental_expires_at, l.play_window_ends_at
FROM licences l
LEFT JOIN digital_contents d ON d.product_id = l.product_id
LEFT JOIN devices dev ON dev.id = $2
LEFT JOIN licence_activations a ON a.licence_id = l.id AND a.device_id = $2
WHERE l.id = $1"""


@dataclass(frozen=True, slots=True)
class Download:
    """A signed link (its path and query: the API puts it on the service's public address) and what
    it serves."""

    path: str
    expires_at: datetime
    file_size: int
    media_type: str


@dataclass(frozen=True, slots=True)
class Grant:
    """What a valid download URL serves."""

    content_key: str
    media_type: str
    file_size: int


class DownloadRefused(Exception):
    """A download URL that serves nothing (always a 403 to the client); `reason` is for logs."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"tributary-download:" + secret.encode()).digest()


def signature(secret: str, licence_id: int, device_id: int, expires: int) -> str:
    message = f"{licence_id}:{device_id}:{expires}".encode()
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()


def _usable(row) -> str | None:
    """Why the licence cannot be downloaded on the device now, or None."""
    if row["status"] != LicenceStatus.ACTIVE:
        return f"licence {row['status'].lower()}"
    if _rental_over(row, clock.now()):
        return "rental window over"
    if row["device_account_id"] != row["account_id"] or row["deregistered_at"] is not None:
        return "device not registered to the licence's account"
    if not row["activated"]:
        return "licence not activated on the device"
    if row["content_key"] is None:
        return "no downloadable content"
    return None


def _rental_over(row, now: datetime) -> bool:
    return rental_over(row["kind"], row["rental_expires_at"], row["play_window_ends_at"], now)


async def grant_row(reader, licence_id: int, device_id: int):
    """What serving the licence's content on the device depends on, in one statement."""
    return await reader.fetchrow(_GRANT, licence_id, device_id)


def check_grant(row, account_id: int) -> None:
    """Refuses, with the error the caller acts on, what `authorize_download` would refuse."""
    if row is None or row["account_id"] != account_id:
        raise NotFound("No such licence in your library.", field=["input", "licenceId"])
    if row["status"] != LicenceStatus.ACTIVE:
        raise DomainError(f"This licence is {row['status'].lower()}: its content can no longer be fetched.",
                          code=_REFUSED_STATUS[row["status"]], field=["input", "licenceId"])
    if _rental_over(row, clock.now()):
        raise DomainError("This rental is over: its play window ended, or it was not started in time.",
                          code=LicenceStateErrorCode.LICENCE_EXPIRED, field=["input", "licenceId"])
    if row["device_account_id"] != account_id or row["deregistered_at"] is not None:
        raise DomainError("This device is not registered to your account.", code=DownloadErrorCode.DEVICE_NOT_REGISTERED,
                          field=["input", "deviceId"])
    if not row["activated"]:
        raise DomainError("Activate the licence on this device first (activateLicence).",
                          code=DownloadErrorCode.LICENCE_NOT_ACTIVATED, field=["input", "deviceId"])
    if row["content_key"] is None:
        raise DomainError("This title has no content to fetch.", code=DownloadErrorCode.NOT_DOWNLOADABLE,
                          field=["input", "licenceId"])


def signed_link(secret: str, row, licence_id: int, device_id: int, ttl: timedelta) -> Download:
    """A URL for the licence's content on the device, valid for `ttl`."""
    expires_at = clock.now() + ttl
    expires = int(expires_at.timestamp())
    path = (f"{PATH_PREFIX}/{licence_id}/{device_id}?expires={expires}"
            f"&signature={signature(secret, licence_id, device_id, expires)}")
    return Download(path, expires_at.replace(microsecond=0), row["file_size"], row["media_type"] or MEDIA_TYPE_TEXT)


async def request_download(reader, principal: Principal, secret: str, licence_id: int, device_id: int,
                           ttl: timedelta) -> Download:
    """A signed URL for the caller's licence on the caller's device (`reader`: a Reader or a
    SessionReader). Codes: NOT_FOUND (no such licence of yours), LICENCE_REVOKED,
    LICENCE_EXPIRED, DEVICE_NOT_REGISTERED (not your device, or deregistered),
    LICENCE_NOT_ACTIVATED (activate the licence on the device first), NOT_DOWNLOADABLE (a
    title with no content to download, or a rental, which streams through `startPlayback`)."""
    account_id = principal.require_signed_in()
    row = await grant_row(reader, licence_id, device_id)
    if row is not None and row["account_id"] == account_id and row["kind"] == LicenceKind.RENTAL:
        raise DomainError("A rental is watched by streaming, not downloaded: start it with startPlayback.",
                          code=DownloadErrorCode.NOT_DOWNLOADABLE, field=["input", "licenceId"])
    check_grant(row, account_id)
    return signed_link(secret, row, licence_id, device_id, ttl)


async def authorize_download(reader, secret: str, licence_id: int, device_id: int, expires: str,
                             given_signature: str) -> Grant:
    """What a download URL serves; raises DownloadRefused when it is forged, tampered with,
    expired, or no longer usable (licence revoked or expired, device deregistered, licence
    deactivated on the device)."""
    try:
        expires_at = int(expires)
    except (TypeError, ValueError):
        raise DownloadRefused("malformed expiry") from None
    expected = signature(secret, licence_id, device_id, expires_at)
    if not hmac.compare_digest(expected, str(given_signature or "")):
        raise DownloadRefused("bad signature")
    if expires_at <= clock.now().timestamp():
        raise DownloadRefused("expired")
    row = await grant_row(reader, licence_id, device_id)
    if row is None:
        raise DownloadRefused("no such licence")
    why = _usable(row)
    if why is not None:
        raise DownloadRefused(why)
    return Grant(row["content_key"], row["media_type"], row["file_size"])
