"""Watching videos: starting playback (a rental's play window starts then) and the playback
quality reports clients send, with the rule that says a rental played badly.

Rentals: a RENTAL licence must be started within RENTAL_START_DAYS of renting; the first
`start_playback` starts its play window of RENTAL_PLAY_HOURS (a METADATA_CHANGED in the
library's change log, so the customer's other devices learn when it ends), and its expiry is
scheduled for the window's end. Starting again inside the window changes nothing.

The poor-playback rule, over every report of a licence added up (so short sessions count
together), is met by any of:
- REBUFFERING: at least MIN_EVIDENCE_SECONDS of playback (watched plus stalled), of which at
  least REBUFFERING_PERCENT percent was spent stalled, rebuffering;
- LOW_BITRATE: at least LOW_BITRATE_MIN_WATCHED_SECONDS watched at an average bitrate
  (weighted by the seconds watched in each report) below LOW_BITRATE_KBPS;
- ERRORS: at least MAX_ERRORS playback errors reported.
Orders refund a rental meeting it, once (`domain.orders.playback_refunds`).
"""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.licences import changes, downloads, repository
from domain.licences.entities import Licence
from domain.licences.errors import LicenceStateErrorCode, PlaybackErrorCode
from domain.licences.issuance import RENTAL_PLAY_HOURS, schedule_expiry
from domain.licences.reading import require_device
from domain.licences.statuses import LicenceKind, LicenceStatus, PlaybackProblem
from domain.shared import clock
from domain.shared.db import SessionReader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal

MIN_EVIDENCE_SECONDS = 120
REBUFFERING_PERCENT = 10
LOW_BITRATE_KBPS = 1000
LOW_BITRATE_MIN_WATCHED_SECONDS = 600
MAX_ERRORS = 3

MAX_REPORT_SECONDS = 86_400
MAX_BITRATE_KBPS = 1_000_000
MAX_ERRORS_PER_REPORT = 20
MAX_ERROR_LENGTH = 100
_FIELD = ["input", "licenceId"]


@dataclass(frozen=True, slots=True)
class PlaybackReport:
    """One playback session as the client measured it. `id` is the client's UUID for the
    report: sending it again counts it once."""

    id: uuid.UUID | str
    watched_seconds: int
    rebuffering_seconds: int
    average_bitrate_kbps: int
    errors: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class PlaybackQuality:
    """Every report of a licence added up, and what the rule finds in them."""

    report_count: int
    watched_seconds: int
    rebuffering_seconds: int
    average_bitrate_kbps: int  # weighted by seconds watched; 0 before anything was watched
    error_count: int

    @property
    def problems(self) -> list[str]:
        """REBUFFERING, LOW_BITRATE and ERRORS, those the totals meet (see the module docstring)."""
        found = []
        played = self.watched_seconds + self.rebuffering_seconds
        if played >= MIN_EVIDENCE_SECONDS and self.rebuffering_seconds * 100 >= REBUFFERING_PERCENT * played:
            found.append(PlaybackProblem.REBUFFERING)
        if self.watched_seconds >= LOW_BITRATE_MIN_WATCHED_SECONDS and self.average_bitrate_kbps < LOW_BITRATE_KBPS:
            found.append(PlaybackProblem.LOW_BITRATE)
        if self.error_count >= MAX_ERRORS:
            found.append(PlaybackProblem.ERRORS)
        return found

    @property
    def poor(self) -> bool:
        return bool(self.problems)

    def describe(self) -> str:
        """The problems in words, for the customer and the order's history."""
        words = {
            PlaybackProblem.REBUFFERING: f"it stalled to rebuffer for {self.rebuffering_seconds} of"
                           f" {self.watched_seconds + self.rebuffering_seconds} seconds",
            PlaybackProblem.LOW_BITRATE: f"it played at {self.average_bitrate_kbps} kbps on average",
            PlaybackProblem.ERRORS: f"{self.error_count} playback errors",
        }
        return "; ".join(words[p] for p in self.problems)


@dataclass(frozen=True, slots=True)
class Playback:
    """A started playback: the licence as it is now, and the signed stream URL."""

    licence: Licence
    stream: downloads.Download


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """A report recorded (or recognized as sent before), with what orders need to decide on
    a refund: the licence's kind, order line and whether it was refunded for playback before."""

    kind: str
    title: str
    order_line_id: int | None
    refunded_before: bool
    quality: PlaybackQuality

    @property
    def refund_due(self) -> bool:
        return (self.kind == LicenceKind.RENTAL and self.order_line_id is not None and not self.refunded_before
                and self.quality.poor)


@dataclass(frozen=True, slots=True)
class LicenceOwner:
    account_id: int
    order_line_id: int | None


async def licence_owner(session: AsyncSession, licence_id: int) -> LicenceOwner | None:
    """Whose licence it is and which order line it came from (read without a lock: both never
    change), for a use case that locks the order before the licence."""
    row = (await session.execute(text("SELECT account_id, order_line_id FROM licences WHERE id = :id"),
                                 {"id": licence_id})).one_or_none()
    return None if row is None else LicenceOwner(*row)


def _not_found() -> NotFound:
    return NotFound("No such licence in your library.", field=_FIELD)


async def _lock_own(session: AsyncSession, account_id: int, licence_id: int):
    row = (await session.execute(text(
        "SELECT l.id, l.account_id, l.kind::text AS kind, l.status::text AS status, l.order_line_id,"
        " l.first_played_at, l.playback_refunded_at, p.kind::text AS product_kind, p.title"
        " FROM licences l JOIN products p ON p.id = l.product_id WHERE l.id = :id AND l.account_id = :account"
        " FOR UPDATE OF l"), {"id": licence_id, "account": account_id})).one_or_none()
    if row is None:
        raise _not_found()
    if row.product_kind != "VIDEO":
        raise DomainError("Only a video is played; an e-book is read (requestDownload).", code=PlaybackErrorCode.NOT_PLAYABLE,
                          field=_FIELD)
    return row


async def start_playback(session: AsyncSession, principal: Principal, secret: str, licence_id: int,
                         device_id: int, ttl: timedelta) -> Playback:
    """Starts watching one of the caller's videos on one of the caller's devices, and returns
    a signed stream URL valid for `ttl`. The licence is locked, so two devices starting a
    rental at once start one window. Codes: NOT_FOUND, NOT_PLAYABLE (not a video),
    LICENCE_REVOKED, LICENCE_EXPIRED (a rental over, or not started in time),
    DEVICE_NOT_REGISTERED, LICENCE_NOT_ACTIVATED, NOT_DOWNLOADABLE (no content)."""
    account_id = principal.require_signed_in()
    locked = await _lock_own(session, account_id, licence_id)
    reader = SessionReader(session)
    grant = await downloads.grant_row(reader, licence_id, device_id)
    downloads.check_grant(grant, account_id)
    if locked.kind == LicenceKind.RENTAL and locked.first_played_at is None:
        started = clock.now()
        ends = started + timedelta(hours=RENTAL_PLAY_HOURS)
        await session.execute(text(
            "UPDATE licences SET first_played_at = :started, play_window_ends_at = :ends, updated_at = now()"
            " WHERE id = :id"), {"started": started, "ends": ends, "id": licence_id})
        await schedule_expiry(session, licence_id, ends)
        # The customer's other devices learn when the window ends at their next sync.
        await changes.record(session, account_id, [(licence_id, "METADATA_CHANGED")])
    licence = (await repository.licences_by_ids(reader, [licence_id]))[licence_id]
    return Playback(licence, downloads.signed_link(secret, grant, licence_id, device_id, ttl))


def _check_report(report: PlaybackReport) -> PlaybackReport:
    try:
        report_id = str(uuid.UUID(str(report.id)))
    except ValueError:
        raise InvalidInput("reportId is a UUID made by the client for each report.", field=["input", "reportId"]) \
            from None
    for name, value, top in (("watchedSeconds", report.watched_seconds, MAX_REPORT_SECONDS),
                             ("rebufferingSeconds", report.rebuffering_seconds, MAX_REPORT_SECONDS),
                             ("averageBitrateKbps", report.average_bitrate_kbps, MAX_BITRATE_KBPS)):
        if not 0 <= value <= top:
            raise InvalidInput(f"{name} is 0 to {top}; got {value}.", field=["input", name])
    errors = list(report.errors)
    if len(errors) > MAX_ERRORS_PER_REPORT:
        raise InvalidInput(f"A report names at most {MAX_ERRORS_PER_REPORT} errors; send the rest in another.",
                           field=["input", "errors"])
    for index, error in enumerate(errors):
        if not 1 <= len(error.strip()) <= MAX_ERROR_LENGTH:
            raise InvalidInput(f"An error is a code of 1 to {MAX_ERROR_LENGTH} characters.",
                               field=["input", "errors", str(index)])
    return PlaybackReport(report_id, report.watched_seconds, report.rebuffering_seconds,
                          report.average_bitrate_kbps, [e.strip() for e in errors])


_TOTALS = text(
    "SELECT count(*) AS reports, coalesce(sum(watched_seconds), 0) AS watched,"
    " coalesce(sum(rebuffering_seconds), 0) AS rebuffering,"
    " coalesce(round(sum(average_bitrate_kbps::bigint * watched_seconds) / nullif(sum(watched_seconds), 0)), 0)"
    " AS bitrate, coalesce(sum(cardinality(errors)), 0) AS errors FROM playback_reports WHERE licence_id = :id")


async def record_playback_report(session: AsyncSession, principal: Principal, licence_id: int, device_id: int,
                                 report: PlaybackReport) -> ReportOutcome:
    """Records how a playback of one of the caller's videos went, from one of the caller's
    registered devices, and adds up the licence's reports. The licence stays locked until
    commit, so reports racing on one licence are counted one after the other. A report id
    received before counts once (its first version stands). A revoked licence takes no
    reports (LICENCE_REVOKED); a rental never started has nothing to report
    (PLAYBACK_NOT_STARTED); an expired one still takes the reports of its window."""
    account_id = principal.require_signed_in()
    report = _check_report(report)
    locked = await _lock_own(session, account_id, licence_id)
    await require_device(session, principal, account_id, device_id)
    if locked.status == LicenceStatus.REVOKED:
        raise DomainError("This licence was revoked; its playback is no longer reported.", code=LicenceStateErrorCode.LICENCE_REVOKED,
                          field=_FIELD)
    if locked.kind == LicenceKind.RENTAL and locked.first_played_at is None:
        raise DomainError("This rental was never started (startPlayback): there is no playback to report.",
                          code=PlaybackErrorCode.PLAYBACK_NOT_STARTED, field=_FIELD)
    recorded = (await session.execute(text(
        "INSERT INTO playback_reports (id, licence_id, device_id, watched_seconds, rebuffering_seconds,"
        " average_bitrate_kbps, errors) VALUES (:id, :licence, :device, :watched, :rebuffering, :bitrate,"
        " CAST(:errors AS text[])) ON CONFLICT (id) DO NOTHING RETURNING licence_id"),
        {"id": report.id, "licence": licence_id, "device": device_id, "watched": report.watched_seconds,
         "rebuffering": report.rebuffering_seconds, "bitrate": report.average_bitrate_kbps,
         "errors": list(report.errors)})).scalar()
    if recorded is None:
        owner = (await session.execute(text("SELECT licence_id FROM playback_reports WHERE id = :id"),
                                       {"id": report.id})).scalar()
        if owner != licence_id:
            raise InvalidInput("This report id was used for another licence; make a new UUID per report.",
                               field=["input", "reportId"])
    totals = (await session.execute(_TOTALS, {"id": licence_id})).one()
    quality = PlaybackQuality(totals.reports, totals.watched, totals.rebuffering, int(totals.bitrate), totals.errors)
    return ReportOutcome(locked.kind, locked.title, locked.order_line_id, locked.playback_refunded_at is not None,
                         quality)


async def mark_playback_refunded(session: AsyncSession, licence_id: int, refund_id: int | None) -> None:
    """Records that the licence (locked by the caller) was refunded for poor playback; the
    licence stays playable for the rest of its window."""
    await session.execute(text(
        "UPDATE licences SET playback_refunded_at = now(), playback_refund_id = :refund, updated_at = now()"
        " WHERE id = :id"), {"id": licence_id, "refund": refund_id})
