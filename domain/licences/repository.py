"""SQL for licence reads. Every function takes ids in bulk, so a page costs a fixed number of
statements whatever its size.

A licence row comes with what the library shows of its title, read from the catalogue's
tables in the same statement (archived titles included: a bought book stays in the library
after the product leaves the catalogue), and with the number of devices using it now (a
deregistered device's activation does not count)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from domain.licences.annotations import ANNOTATION_COLUMNS, annotation_from_row
from domain.licences.entities import Activation, LibraryChange, Licence
from domain.licences.statuses import LibraryChangeKind
from domain.shared.pagination import Page, PageRequest, page_from_rows

ACTIVE_DEVICES = ("licence_activations a JOIN devices v ON v.id = a.device_id"
                  " WHERE a.deactivated_at IS NULL AND v.deregistered_at IS NULL")

LICENCE_COLUMNS = f"""l.id, l.account_id, l.product_id, l.order_line_id, l.kind::text AS kind, l.status::text AS status,
  l.device_limit, l.rental_expires_at, l.first_played_at, l.play_window_ends_at, l.revoked_at, l.created_at,
  l.updated_at, p.title, p.authors, p.images->0->>'url' AS cover_image_url, p.format::text AS format,
  p.kind::text AS product_kind, d.file_size,
  (SELECT count(*) FROM {ACTIVE_DEVICES} AND a.licence_id = l.id)::int AS active_device_count,
  l.playback_refunded_at"""
LICENCE_FROM = ("licences l JOIN products p ON p.id = l.product_id"
                " LEFT JOIN digital_contents d ON d.product_id = l.product_id")
_LICENCE = f"SELECT {LICENCE_COLUMNS} FROM {LICENCE_FROM}"
_FIELDS = len(Licence.__slots__)


def licence_from_row(row) -> Licence:
    return Licence(*row[:_FIELDS])


async def licences_by_ids(db, ids: Sequence[int]) -> dict[int, Licence]:
    rows = await db.fetch(f"{_LICENCE} WHERE l.id = ANY($1::bigint[])", list(ids))
    return {r["id"]: licence_from_row(r) for r in rows}


async def licences_of_account(db, account_id: int, kind: str | None, page: PageRequest) -> Page[Licence]:
    """The account's licences, newest first (one statement; the total comes from a window count)."""
    rows = await db.fetch(
        f"SELECT {LICENCE_COLUMNS}, count(*) OVER () AS total FROM {LICENCE_FROM}"
        " WHERE l.account_id = $1 AND ($2::licence_kind IS NULL OR l.kind = $2::licence_kind)"
        " ORDER BY l.created_at DESC, l.id DESC OFFSET $3 LIMIT $4", account_id, kind, page.offset, page.limit + 1)
    total = rows[0]["total"] if rows else None
    if total is None:
        total = 0 if page.offset == 0 else (await db.fetchrow(
            "SELECT count(*) FROM licences WHERE account_id = $1 AND ($2::licence_kind IS NULL"
            " OR kind = $2::licence_kind)", account_id, kind))[0]
    return page_from_rows([licence_from_row(r) for r in rows], page, total)


async def active_activations(db, licence_ids: Sequence[int]) -> dict[int, list[Activation]]:
    """The devices using each licence now, first activated first."""
    rows = await db.fetch(
        f"SELECT a.licence_id, a.device_id, a.activated_at FROM {ACTIVE_DEVICES}"
        " AND a.licence_id = ANY($1::bigint[]) ORDER BY a.licence_id, a.activated_at, a.device_id",
        list(licence_ids))
    found: dict[int, list[Activation]] = defaultdict(list)
    for r in rows:
        found[r["licence_id"]].append(Activation(*r))
    return found


async def changes_after(db, account_id: int, after_seq: int, limit: int) -> list[LibraryChange]:
    """Up to `limit` changes of the account numbered above `after_seq`, in order, each with its
    licence as it is now and, for ANNOTATION_CHANGED, the annotations it wrote (two statements,
    the second only when the page has such a change)."""
    rows = await db.fetch(
        f"SELECT {LICENCE_COLUMNS}, c.seq, c.kind::text AS change_kind, c.origin_device_id FROM library_changes c"
        f" JOIN ({LICENCE_FROM}) ON l.id = c.licence_id"
        " WHERE c.account_id = $1 AND c.seq > $2 ORDER BY c.seq LIMIT $3", account_id, after_seq, limit)
    found = [LibraryChange(r["seq"], r["change_kind"], licence_from_row(r), r["origin_device_id"]) for r in rows]
    noted = {(c.licence.id, c.seq): c for c in found if c.kind == LibraryChangeKind.ANNOTATION_CHANGED}
    if noted:
        # The licences are the account's (the changes are), so these are its annotations only.
        for row in await db.fetch(
                f"SELECT {ANNOTATION_COLUMNS}, a.change_seq FROM annotations a"
                " WHERE a.licence_id = ANY($1::bigint[]) AND a.change_seq = ANY($2::bigint[])"
                " ORDER BY a.start_position, a.end_position, a.id",
                sorted({k[0] for k in noted}), sorted({k[1] for k in noted})):
            change = noted.get((row["licence_id"], row["change_seq"]))
            if change is not None:
                change.annotations.append(annotation_from_row(row))
    return found
