"""Reading sync: where a customer is in each title and their bookmarks, highlights and notes,
kept the same across the customer's devices, which write in batches when they come back online.

Rules:
- The last position is the newest write by the writing device's own clock (`client_time`);
  the furthest position is the largest ever reported. An older write never replaces a newer
  last position, but it can still raise the furthest.
- An annotation (client-made UUID) keeps its newest write by the client's clock; a deletion is
  a tombstone, so an older edit from a device that was offline never brings it back, and
  edits to different annotations never touch each other.
- Writes of the same time are ordered by the writing device's public id (its global ID,
  compared byte by byte: the larger wins), an order every client can compute itself, so every
  server and every device applying the same writes in any order ends in the same state; the
  same device writing again at the same time replaces its own write.
- A client clock more than 5 minutes ahead of the server's is refused: such a write would
  shadow every honest write until real time caught up with it.
- Every batch is one transaction, and every entry gets its own result: APPLIED, STALE (a newer
  write is kept) or REFUSED with the code of its fault (a title returned meanwhile, a position
  out of range...); a refused entry changes nothing and the others are still applied. Only a
  fault of the batch itself (empty, too large, an unregistered device) refuses it whole.
- Concurrent batches upsert with a conditional `ON CONFLICT ... DO UPDATE ... WHERE`, which
  PostgreSQL evaluates against the newest committed row, so the newest write wins whichever
  commits first; rows are written in key order so two batches never deadlock.
- Each change logged names the writing device (`origin_device_id`), and each annotation the
  log entry that wrote its stored version (`change_seq`), so the log carries changed notes.

Annotations are synced by `annotations` under the same rules; the other reads of positions and
annotations are in `reading_reads`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import outbox
from domain.events.kinds import EventKind
from domain.identity import service as identity
from domain.licences.changes import record
from domain.licences.errors import LicenceStateErrorCode, ReadingErrorCode
from domain.licences.statuses import LicenceStatus, SyncOutcome
from domain.shared import clock
from domain.shared.db import Reader, SessionReader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal

MAX_STATE_BATCH = 500
CLOCK_SKEW = timedelta(minutes=5)
# Before this, a clock was never set (and far-off dates cannot be stored exactly).
EARLIEST_CLIENT_TIME = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(slots=True)
class ReadingState:
    licence_id: int
    last_position: int
    last_position_device_id: int | None
    last_position_at: datetime
    furthest_position: int
    location_count: int
    updated_at: datetime

    @property
    def percent_read(self) -> float:
        """How much of the title has been reached (the furthest position), 0-100, one decimal."""
        # A title's content can be replaced by a shorter one after positions were reported.
        return min(100.0, round(100 * self.furthest_position / self.location_count, 1))


@dataclass(frozen=True, slots=True)
class PositionWrite:
    """One reported position: where the device was in a title, by its own clock."""

    licence_id: int
    position: int
    client_time: datetime


@dataclass(slots=True)
class PositionResult:
    """What became of one reported position: APPLIED (it is the last position now), STALE (a
    newer position is kept; it may still have raised the furthest) or REFUSED (`error`)."""

    index: int
    licence_id: int
    outcome: str
    error: DomainError | None = None


@dataclass(slots=True)
class PositionSync:
    results: list[PositionResult]
    # The reading state of each title of an entry not refused, as stored now, by licence id.
    states: list[ReadingState]

    @property
    def refusals(self) -> list[DomainError]:
        return [r.error for r in self.results if r.error is not None]


@dataclass(slots=True)
class OwnedLicence:
    id: int
    account_id: int
    status: str
    location_count: int | None


STATE_COLUMNS = ("s.licence_id, s.last_position, s.last_position_device_id, s.last_position_at, s.furthest_position,"
                 " c.location_count, s.updated_at")


def as_utc(moment: datetime) -> datetime:
    """A client time without an offset is taken as UTC (the API speaks UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def check_batch(size: int, limit: int, field: list[str], what: str) -> None:
    if size == 0:
        raise InvalidInput(f"Send 1 to {limit:,} {what}.", field=field)
    if size > limit:
        raise InvalidInput(f"At most {limit:,} {what} per call; got {size:,}. Send them in several calls.",
                           code=ReadingErrorCode.BATCH_TOO_LARGE, field=field)


async def licences_of(session: AsyncSession, licence_ids: set[int]) -> dict[int, OwnedLicence]:
    # FOR SHARE: a licence revoked while this batch runs is revoked either before it (the batch
    # sees REVOKED) or after it commits, never in between.
    rows = (await session.execute(text(
        "SELECT l.id, l.account_id, l.status::text, c.location_count FROM licences l"
        " LEFT JOIN digital_contents c ON c.product_id = l.product_id"
        " WHERE l.id = ANY(CAST(:ids AS bigint[])) ORDER BY l.id FOR SHARE OF l"),
        {"ids": sorted(licence_ids)})).all()
    return {r[0]: OwnedLicence(*r) for r in rows}


async def require_device(session: AsyncSession, principal: Principal, account_id: int, device_id: int) -> None:
    """The device must be the account's and still registered (DEVICE_NOT_REGISTERED)."""
    found = (await identity.devices_by_ids(SessionReader(session), principal, [device_id])).get(device_id)
    if found is None or found.account_id != account_id or found.deregistered_at is not None:
        raise InvalidInput("This device is not registered to your account (or was deregistered); register it first.",
                           code=ReadingErrorCode.DEVICE_NOT_REGISTERED, field=["input", "deviceId"])


def check_licence(licence: OwnedLicence | None, account_id: int, field: list[str]) -> OwnedLicence:
    """The caller's own ACTIVE licence of a title with readable content."""
    if licence is None or licence.account_id != account_id:
        raise NotFound("No such licence in your library.", field=field)
    if licence.status == LicenceStatus.REVOKED:
        raise InvalidInput("This licence was revoked (refunded or withdrawn); it can no longer be synced.",
                           code=LicenceStateErrorCode.LICENCE_REVOKED, field=field)
    if licence.status == LicenceStatus.SUSPENDED:
        raise InvalidInput("This e-book is lent to someone else; it comes back when the loan ends.",
                           code=LicenceStateErrorCode.LICENCE_SUSPENDED, field=field)
    if licence.status != LicenceStatus.ACTIVE:
        raise InvalidInput("This licence has expired; it can no longer be synced.", code=LicenceStateErrorCode.LICENCE_EXPIRED,
                           field=field)
    if licence.location_count is None:
        raise InvalidInput("This title has no readable content to keep a position in.", code=ReadingErrorCode.CONTENT_UNAVAILABLE,
                           field=field)
    return licence


def check_position(position: int, licence: OwnedLicence, field: list[str]) -> None:
    if not 0 <= position <= licence.location_count:
        raise InvalidInput(f"A position in this title is 0 to {licence.location_count:,}; got {position:,}.",
                           code=ReadingErrorCode.POSITION_OUT_OF_RANGE, field=field)


def check_client_time(moment: datetime, now: datetime, field: list[str]) -> datetime:
    moment = as_utc(moment)
    if moment < EARLIEST_CLIENT_TIME:
        raise InvalidInput("The device's clock is not set (the time is before 1970); set the clock and send again.",
                           code=ReadingErrorCode.CLIENT_TIME_INVALID, field=field)
    if moment > now + CLOCK_SKEW:
        raise InvalidInput("The device's clock is more than 5 minutes ahead of the server's; set the clock and"
                           " send again.", code=ReadingErrorCode.CLIENT_TIME_INVALID, field=field)
    return moment


def public_device_id(column: str) -> str:
    """SQL: the device's global ID (base64url of "Device:<id>", unpadded, as api/core/ids spells
    it), in byte order ("C" collation), which is the order clients compare device ids in. Short
    enough that PostgreSQL's base64 never breaks the line."""
    return (f"rtrim(translate(encode(convert_to('Device:' || {column}, 'UTF8'), 'base64'), '+/', '-_'), '=')"
            ' COLLATE "C"')


def newer_write(new_at: str, new_device: str, old_at: str, old_device: str) -> str:
    """SQL: the new write (time, device) is at least as new as the stored one, a tie going to the
    larger public device id; a stored write whose device row is gone ranks below every device."""
    return (f"({new_at}, {public_device_id(new_device)})"
            f" >= ({old_at}, COALESCE({public_device_id(old_device)}, ''))")


_NEWER_STATE = newer_write("excluded.last_position_at", "excluded.last_position_device_id", "s.last_position_at",
                      "s.last_position_device_id")
_UPSERT_STATES = text(
    "INSERT INTO reading_states AS s (licence_id, last_position, last_position_device_id, last_position_at,"
    " furthest_position)"
    " SELECT * FROM unnest(CAST(:licences AS bigint[]), CAST(:lasts AS integer[]), CAST(:devices AS bigint[]),"
    " CAST(:ats AS timestamptz[]), CAST(:furthests AS integer[]))"
    " ON CONFLICT (licence_id) DO UPDATE SET"
    f" last_position = CASE WHEN {_NEWER_STATE} THEN excluded.last_position ELSE s.last_position END,"
    f" last_position_device_id = CASE WHEN {_NEWER_STATE} THEN excluded.last_position_device_id"
    " ELSE s.last_position_device_id END,"
    f" last_position_at = CASE WHEN {_NEWER_STATE} THEN excluded.last_position_at ELSE s.last_position_at END,"
    " furthest_position = GREATEST(s.furthest_position, excluded.furthest_position), updated_at = now()"
    # Only a real change is written (and logged): a retried batch changes nothing.
    f" WHERE ({_NEWER_STATE} AND (excluded.last_position, excluded.last_position_device_id,"
    " excluded.last_position_at) IS DISTINCT FROM (s.last_position, s.last_position_device_id, s.last_position_at))"
    " OR excluded.furthest_position > s.furthest_position"
    " RETURNING s.licence_id")


async def update_reading_states(session: AsyncSession, principal: Principal, device_id: int,
                                writes: Sequence[PositionWrite]) -> PositionSync:
    """Applies a device's reported positions (1 to 500) to the caller's own ACTIVE licences from
    a device registered to the caller: per licence, the newest by client time becomes the last
    position (unless a newer one is stored) and the largest raises the furthest. An entry at
    fault is REFUSED alone (its licence returned meanwhile, a position out of range...); the
    others are applied. Returns each entry's outcome, in order, and the reading state of each
    licence of an entry not refused, as stored now."""
    account_id = principal.require_signed_in()
    check_batch(len(writes), MAX_STATE_BATCH, ["input", "states"], "positions")
    licences = await licences_of(session, {w.licence_id for w in writes})
    await require_device(session, principal, account_id, device_id)
    now = clock.now()
    refused: dict[int, DomainError] = {}
    moments: dict[int, datetime] = {}
    # Per licence: the newest write (the later one in the batch on a tie) and the largest position.
    newest: dict[int, tuple[datetime, int, int]] = {}
    furthest: dict[int, int] = {}
    for index, write in enumerate(writes):
        at = ["input", "states", index]
        try:
            licence = check_licence(licences.get(write.licence_id), account_id, [*at, "licenceId"])
            check_position(write.position, licence, [*at, "position"])
            moment = check_client_time(write.client_time, now, [*at, "clientTime"])
        except DomainError as error:
            refused[index] = error
            continue
        moments[index] = moment
        if write.licence_id not in newest or moment >= newest[write.licence_id][0]:
            newest[write.licence_id] = (moment, write.position, index)
        furthest[write.licence_id] = max(furthest.get(write.licence_id, 0), write.position)
    order = sorted(newest)
    states: dict[int, ReadingState] = {}
    if order:
        changed = (await session.execute(_UPSERT_STATES, {
            "licences": order, "lasts": [newest[i][1] for i in order], "devices": [device_id] * len(order),
            "ats": [newest[i][0] for i in order], "furthests": [furthest[i] for i in order]})).scalars().all()
        await record(session, account_id, [(licence_id, "READING_STATE_CHANGED") for licence_id in sorted(changed)],
                     origin_device_id=device_id)
        await outbox.publish_many(session, EventKind.READING_STATE_CHANGED, changed, customer_id=account_id)
        states = await reading_states_by_licence_ids(SessionReader(session), principal, order)
    results = []
    for index, write in enumerate(writes):
        if index in refused:
            results.append(PositionResult(index, write.licence_id, SyncOutcome.REFUSED, refused[index]))
            continue
        state = states[write.licence_id]
        # The stored last position is this entry's when it carries its clock, device and place
        # (an identical retry included), and the entry was the batch's last word on the title.
        mine = (newest[write.licence_id][2] == index and state.last_position_at == moments[index]
                and state.last_position_device_id == device_id and state.last_position == write.position)
        results.append(PositionResult(index, write.licence_id, SyncOutcome.APPLIED if mine else SyncOutcome.STALE))
    return PositionSync(results, [states[i] for i in order])


async def reading_states_by_licence_ids(reader: Reader | SessionReader, principal: Principal,
                                        licence_ids: Sequence[int]) -> dict[int, ReadingState]:
    """Reading states of the caller's own licences (nobody else's, administrators included: where
    a customer is in a book is theirs alone). A licence never read has none."""
    if principal.account_id is None or not licence_ids:
        return {}
    rows = await reader.fetch(
        f"SELECT {STATE_COLUMNS} FROM reading_states s JOIN licences l ON l.id = s.licence_id"
        " JOIN digital_contents c ON c.product_id = l.product_id"
        " WHERE s.licence_id = ANY($1::bigint[]) AND l.account_id = $2", list(licence_ids), principal.account_id)
    return {r[0]: ReadingState(*r) for r in rows}
