"""Annotations (bookmarks, highlights, notes) synced across a customer's devices, under the rules
of `reading`: the newest write by the client's clock wins, a deletion is a tombstone, every entry
gets its own result. The title's log entry that wrote an annotation's stored version
(`change_seq`) is what carries the note to the other devices."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.licences.changes import record
from domain.licences.errors import ReadingErrorCode
from domain.licences.reading import (
    OwnedLicence,
    as_utc,
    check_batch,
    check_client_time,
    check_licence,
    check_position,
    licences_of,
    newer_write,
    require_device,
)
from domain.licences.statuses import AnnotationKind, SyncOutcome
from domain.shared import clock
from domain.shared.db import Reader, SessionReader
from domain.shared.errors import DomainError, InvalidInput
from domain.shared.principal import Principal

MAX_ANNOTATION_BATCH = 1000
MAX_TEXT = 10_000

ANNOTATION_COLUMNS = ("a.id, a.licence_id, a.kind::text, a.start_position, a.end_position, a.highlighted_text, a.note,"
                      " a.deleted, a.client_updated_at, a.device_id, a.created_at, a.updated_at")


@dataclass(slots=True)
class Annotation:
    id: uuid.UUID
    licence_id: int
    kind: str
    start_position: int
    end_position: int
    highlighted_text: str
    note: str
    deleted: bool
    client_updated_at: datetime
    device_id: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AnnotationChange:
    """One annotation as the device has it now (or its deletion), by the device's clock."""

    id: uuid.UUID
    licence_id: int
    kind: str
    start_position: int
    end_position: int
    client_time: datetime | None
    highlighted_text: str = ""
    note: str = ""
    deleted: bool = False
    # The former name of `client_time`, still taken: when both come they must agree.
    client_updated_at: datetime | None = None

    def moment(self, at: list) -> datetime:
        """The change's client time, from either name (INVALID when missing or disagreeing)."""
        given = [as_utc(m) for m in (self.client_time, self.client_updated_at) if m is not None]
        if not given:
            raise InvalidInput("Send when the device made the change (clientTime).", field=[*at, "clientTime"])
        if given[0] != given[-1]:
            raise InvalidInput("clientTime and clientUpdatedAt (its former name) give different times; send"
                               " clientTime alone.", field=[*at, "clientUpdatedAt"])
        return given[0]


@dataclass(slots=True)
class AnnotationResult:
    """What became of one change: APPLIED (it is the stored version now), STALE (a newer
    write of that annotation is kept) or REFUSED (`error` says why; nothing of it was written)."""

    id: uuid.UUID
    outcome: str
    index: int = 0
    error: DomainError | None = None


@dataclass(slots=True)
class AnnotationSync:
    results: list[AnnotationResult]
    annotations: list[Annotation]

    @property
    def refusals(self) -> list[DomainError]:
        return [r.error for r in self.results if r.error is not None]


_NEWER_ANNOTATION = newer_write("excluded.client_updated_at", "excluded.device_id", "a.client_updated_at", "a.device_id")
_UPSERT_ANNOTATIONS = text(
    "INSERT INTO annotations AS a (id, licence_id, kind, start_position, end_position, highlighted_text, note,"
    " deleted, client_updated_at, device_id)"
    " SELECT c.id, c.licence, CAST(c.kind AS annotation_kind), c.start_at, c.end_at, c.quoted, c.note, c.deleted,"
    " c.at, :device"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:licences AS bigint[]), CAST(:kinds AS text[]),"
    " CAST(:starts AS integer[]), CAST(:ends AS integer[]), CAST(:quoted AS text[]), CAST(:notes AS text[]),"
    " CAST(:deleted AS boolean[]), CAST(:ats AS timestamptz[]))"
    " AS c(id, licence, kind, start_at, end_at, quoted, note, deleted, at)"
    " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, start_position = excluded.start_position,"
    " end_position = excluded.end_position, highlighted_text = excluded.highlighted_text, note = excluded.note,"
    " deleted = excluded.deleted, client_updated_at = excluded.client_updated_at, device_id = excluded.device_id,"
    " updated_at = now()"
    # An annotation never moves to another licence (checked before; this keeps it so under any race).
    f" WHERE a.licence_id = excluded.licence_id AND {_NEWER_ANNOTATION}"
    " AND (excluded.kind, excluded.start_position, excluded.end_position, excluded.highlighted_text, excluded.note,"
    " excluded.deleted, excluded.client_updated_at, excluded.device_id) IS DISTINCT FROM (a.kind, a.start_position,"
    " a.end_position, a.highlighted_text, a.note, a.deleted, a.client_updated_at, a.device_id)"
    " RETURNING a.id, a.licence_id")


def _check_change(change: AnnotationChange, licence: OwnedLicence, at: list[str]) -> None:
    if change.kind not in set(AnnotationKind):
        raise InvalidInput(f"An annotation is one of {', '.join(AnnotationKind)}.", field=[*at, "kind"])
    check_position(change.start_position, licence, [*at, "startPosition"])
    check_position(change.end_position, licence, [*at, "endPosition"])
    if change.start_position > change.end_position:
        raise InvalidInput("An annotation's start position cannot be after its end position.",
                           code=ReadingErrorCode.POSITIONS_NOT_ORDERED, field=[*at, "endPosition"])
    for name, value in (("note", change.note), ("highlightedText", change.highlighted_text)):
        if len(value) > MAX_TEXT:
            raise InvalidInput(f"A {'note' if name == 'note' else 'highlighted text'} has at most {MAX_TEXT:,}"
                               f" characters; got {len(value):,}.", code=ReadingErrorCode.TEXT_TOO_LONG, field=[*at, name])


async def sync_annotations(session: AsyncSession, principal: Principal, device_id: int,
                           changes: Sequence[AnnotationChange]) -> AnnotationSync:
    """Applies a device's annotation changes (1 to 1,000) to the caller's own ACTIVE licences
    from a device registered to the caller: each change is kept unless a newer write of that
    annotation is stored (or comes later in the batch); a deletion keeps a tombstone, its texts
    cleared. A change at fault is REFUSED alone; the others are applied. Returns each change's
    outcome, in order, and the stored version of each annotation of a change not refused
    (deleted ones included), so the device can adopt the winners."""
    account_id = principal.require_signed_in()
    check_batch(len(changes), MAX_ANNOTATION_BATCH, ["input", "changes"], "changes")
    licences = await licences_of(session, {c.licence_id for c in changes})
    await require_device(session, principal, account_id, device_id)
    now = clock.now()
    refused: dict[int, DomainError] = {}
    moments: dict[int, datetime] = {}
    for index, change in enumerate(changes):
        at = ["input", "changes", index]
        try:
            licence = check_licence(licences.get(change.licence_id), account_id, [*at, "licenceId"])
            _check_change(change, licence, at)
            sent_as = "clientUpdatedAt" if change.client_time is None else "clientTime"
            moments[index] = check_client_time(change.moment(at), now, [*at, sent_as])
        except DomainError as error:
            refused[index] = error
    stored_licences = {uuid.UUID(str(r[0])): r[1] for r in (await session.execute(text(
        "SELECT id, licence_id FROM annotations WHERE id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": list({changes[i].id for i in moments})})).all()} if moments else {}
    winners: dict[uuid.UUID, int] = {}
    for index in sorted(moments):
        change = changes[index]
        if stored_licences.get(change.id, change.licence_id) != change.licence_id:
            refused[index] = InvalidInput("This annotation id belongs to another title; give a new annotation a new"
                                          " UUID.", code=ReadingErrorCode.ANNOTATION_ID_CONFLICT,
                                          field=["input", "changes", index, "id"])
            continue
        previous = winners.get(change.id)
        if previous is None or moments[index] >= moments[previous]:
            winners[change.id] = index
    current: dict[uuid.UUID, Annotation] = {}
    if winners:
        await _write_annotations(session, account_id, device_id, changes, moments, winners)
        current = {a.id: a for a in await _annotations_by_ids(SessionReader(session), list(winners))}
    results = []
    for index, change in enumerate(changes):
        if index in refused:
            results.append(AnnotationResult(change.id, SyncOutcome.REFUSED, index, refused[index]))
            continue
        stored = current[change.id]
        # The stored version is this change's write when it carries this change's clock and device
        # (an identical retry included), and this change was the batch's last word on the id.
        mine = (winners[change.id] == index and stored.client_updated_at == moments[index]
                and stored.device_id == device_id)
        results.append(AnnotationResult(change.id, SyncOutcome.APPLIED if mine else SyncOutcome.STALE, index))
    return AnnotationSync(results, [current[i] for i in sorted(current, key=str)])


async def _write_annotations(session: AsyncSession, account_id: int, device_id: int,
                             changes: Sequence[AnnotationChange], moments: dict[int, datetime],
                             winners: dict[uuid.UUID, int]) -> None:
    """Upserts each annotation's winning change, logs one ANNOTATION_CHANGED per title written,
    and marks each written annotation with its title's change, which then carries it."""
    order = sorted(winners.values(), key=lambda i: changes[i].id)
    kept = [changes[i] for i in order]
    written = (await session.execute(_UPSERT_ANNOTATIONS, {
        "device": device_id, "ids": [c.id for c in kept], "licences": [c.licence_id for c in kept],
        "kinds": [c.kind for c in kept], "starts": [c.start_position for c in kept],
        "ends": [c.end_position for c in kept],
        "quoted": ["" if c.deleted else c.highlighted_text for c in kept],
        "notes": ["" if c.deleted else c.note for c in kept], "deleted": [c.deleted for c in kept],
        "ats": [moments[i] for i in order]})).all()
    titles = sorted({row[1] for row in written})
    last = await record(session, account_id, [(licence_id, "ANNOTATION_CHANGED") for licence_id in titles],
                        origin_device_id=device_id)
    if titles:
        seqs = {licence_id: last - len(titles) + 1 + n for n, licence_id in enumerate(titles)}
        await session.execute(text(
            "UPDATE annotations a SET change_seq = w.seq"
            " FROM unnest(CAST(:ids AS uuid[]), CAST(:seqs AS bigint[])) AS w(id, seq) WHERE a.id = w.id"),
            {"ids": [row[0] for row in written], "seqs": [seqs[row[1]] for row in written]})


async def _annotations_by_ids(reader: Reader | SessionReader, ids: list[uuid.UUID]) -> list[Annotation]:
    rows = await reader.fetch(f"SELECT {ANNOTATION_COLUMNS} FROM annotations a WHERE a.id = ANY($1::uuid[])", ids)
    return [annotation_from_row(r) for r in rows]


def annotation_from_row(row) -> Annotation:
    # asyncpg's own UUID type hashes like uuid.UUID but is not one; callers key dicts by uuid.UUID.
    return Annotation(uuid.UUID(str(row[0])), *row[1:12])
