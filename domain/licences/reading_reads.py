"""What a customer reads back of their reading: positions and annotations of their own licences
(nobody else's, administrators included)."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

from domain.licences.annotations import ANNOTATION_COLUMNS, Annotation, annotation_from_row
from domain.licences.reading import ReadingState, reading_states_by_licence_ids
from domain.shared.db import Reader, SessionReader
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal


async def annotations_by_ids(reader: Reader, principal: Principal, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Annotation]:
    """The caller's own annotations (tombstones included); nobody else's, administrators included."""
    if principal.account_id is None or not ids:
        return {}
    rows = await reader.fetch(
        f"SELECT {ANNOTATION_COLUMNS} FROM annotations a JOIN licences l ON l.id = a.licence_id"
        " WHERE a.id = ANY($1::uuid[]) AND l.account_id = $2", list(ids), principal.account_id)
    return {annotation.id: annotation for annotation in map(annotation_from_row, rows)}


async def reading_state(reader: Reader, principal: Principal, licence_id: int) -> ReadingState | None:
    return (await reading_states_by_licence_ids(reader, principal, [licence_id])).get(licence_id)


async def annotations_for_licences(reader: Reader | SessionReader, principal: Principal, licence_ids: Sequence[int],
                                   include_deleted: bool, page: PageRequest) -> dict[int, Page[Annotation]]:
    """One page of the annotations of each of the caller's own licences, in reading order (by
    start, then end position, then id), with each list's total; tombstones only when asked
    for. Other callers' licences get nothing."""
    if principal.account_id is None or not licence_ids:
        return {}
    rows = await reader.fetch(
        f"SELECT * FROM (SELECT {ANNOTATION_COLUMNS},"
        " row_number() OVER w AS n, count(*) OVER (PARTITION BY a.licence_id) AS total"
        " FROM annotations a JOIN licences l ON l.id = a.licence_id"
        " WHERE a.licence_id = ANY($1::bigint[]) AND l.account_id = $2 AND ($3 OR NOT a.deleted)"
        " WINDOW w AS (PARTITION BY a.licence_id ORDER BY a.start_position, a.end_position, a.id)) listed"
        " WHERE n > $4 AND n <= $4 + $5 + 1 ORDER BY licence_id, n",
        list(licence_ids), principal.account_id, include_deleted, page.offset, page.limit)
    found: dict[int, list] = {}
    totals: dict[int, int] = {}
    for row in rows:
        found.setdefault(row[1], []).append(annotation_from_row(row))
        totals[row[1]] = row["total"]
    if page.offset and len(totals) < len(set(licence_ids)):
        # Past the end of a list the window saw no rows to count.
        totals.update({r[0]: r[1] for r in await reader.fetch(
            "SELECT a.licence_id, count(*) FROM annotations a JOIN licences l ON l.id = a.licence_id"
            " WHERE a.licence_id = ANY($1::bigint[]) AND l.account_id = $2 AND ($3 OR NOT a.deleted)"
            " GROUP BY a.licence_id", [i for i in licence_ids if i not in totals], principal.account_id,
            include_deleted)})
    pages = {}
    for licence_id in licence_ids:
        items = found.get(licence_id, [])
        pages[licence_id] = Page(items[: page.limit], page.offset, len(items) > page.limit, totals.get(licence_id, 0))
    return pages


async def annotations(reader: Reader, principal: Principal, licence_id: int, include_deleted: bool,
                      page: PageRequest) -> Page[Annotation]:
    """A page of the annotations of one of the caller's own licences; an empty page otherwise."""
    found = await annotations_for_licences(reader, principal, [licence_id], include_deleted, page)
    return found.get(licence_id) or Page([], page.offset, False, 0)
