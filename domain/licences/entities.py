"""What licence reads and use cases return, and the rules a licence enforces on its devices."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.licences.errors import LicenceErrorCode, LicenceStateErrorCode
from domain.licences.statuses import LicenceKind, LicenceStatus
from domain.shared.errors import DomainError


def rental_over(kind: str, rental_expires_at: datetime | None, play_window_ends_at: datetime | None,
                now: datetime) -> bool:
    """A rental whose play window ended, or that was never started before its deadline."""
    if kind != LicenceKind.RENTAL:
        return False
    if play_window_ends_at is not None:
        return play_window_ends_at <= now
    return rental_expires_at is not None and rental_expires_at <= now


@dataclass(slots=True)
class Licence:
    """A licence as the library shows it: the licence, what its title is (from the catalogue,
    archived titles included: a bought book stays readable), the content's size when the
    content store has it, and how many devices use it now."""

    id: int
    account_id: int
    product_id: int
    order_line_id: int | None
    kind: str
    status: str
    device_limit: int
    rental_expires_at: datetime | None
    first_played_at: datetime | None
    play_window_ends_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime
    updated_at: datetime
    title: str
    authors: list[str]
    cover_image_url: str | None
    format: str
    product_kind: str
    file_size: int | None
    active_device_count: int
    # When a rental that played badly was refunded automatically (null otherwise).
    playback_refunded_at: datetime | None = None

    def rental_over(self, now: datetime) -> bool:
        """A rental whose play window ended, or that was never started before its deadline."""
        return rental_over(self.kind, self.rental_expires_at, self.play_window_ends_at, now)

    def check_usable(self, now: datetime) -> None:
        """Only an ACTIVE licence (and a rental still within its window) may take devices."""
        if self.status == LicenceStatus.REVOKED:
            raise DomainError("This licence was revoked (the purchase was refunded or withdrawn); it can no longer "
                              "be used on a device.", code=LicenceStateErrorCode.LICENCE_REVOKED, field=["input", "licenceId"])
        if self.status == LicenceStatus.SUSPENDED:
            raise DomainError("This e-book is lent to someone else; it comes back when the loan ends.",
                              code=LicenceStateErrorCode.LICENCE_SUSPENDED, field=["input", "licenceId"])
        if self.status == LicenceStatus.EXPIRED or self.rental_over(now):
            raise DomainError("This licence has expired; it can no longer be used on a device.",
                              code=LicenceStateErrorCode.LICENCE_EXPIRED, field=["input", "licenceId"])

    def check_slot_free(self, devices_in_use: int) -> None:
        """A new device needs a free slot: at most `device_limit` devices use a licence at once
        (a deregistered device's slot is free again)."""
        if devices_in_use >= self.device_limit:
            raise DomainError(f"This title is already on {self.device_limit} devices, its limit; remove it from "
                              "one of them (deactivateLicence) or deregister a device first.",
                              code=LicenceErrorCode.DEVICE_LIMIT_REACHED, field=["input", "deviceId"],
                              extensions={"deviceLimit": self.device_limit})


@dataclass(slots=True)
class Activation:
    """A device using one of a licence's slots."""

    licence_id: int
    device_id: int
    activated_at: datetime


@dataclass(slots=True)
class LibraryChange:
    """One entry of an account's change log, with the licence as it is now, the device whose
    write it was (None: the service's own change), and for ANNOTATION_CHANGED the annotations
    whose stored version this change wrote (an annotation written again later comes with the
    later change instead)."""

    seq: int
    kind: str
    licence: Licence
    origin_device_id: int | None = None
    annotations: list = field(default_factory=list)


@dataclass(slots=True)
class SyncPage:
    """A page of changes after the caller's token; `next_token` resumes after the last one
    (it is the token given when the page is empty)."""

    changes: list[LibraryChange]
    next_token: str
    has_more: bool
    # Per change, the token resuming right after it (a connection edge's cursor).
    cursors: list[str] = field(default_factory=list)
