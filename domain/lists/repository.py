"""Reads of lists and their items, in `Reader` SQL (asyncpg placeholders): each is one statement
whatever the number of lists or items asked for, so the API's loaders batch them."""
from __future__ import annotations

from collections.abc import Sequence

from domain.lists.entities import CustomerList, ListEntry, ListItem, PublicListBlock
from domain.lists.visibility import owner_shows_lists
from domain.shared.db import Reader
from domain.shared.pagination import Page, PageRequest, paged

LIST_COLUMNS = ("l.id, l.account_id, l.kind::text, l.name, l.description, l.visibility::text, l.item_count,"
                " l.last_seq, l.created_at, l.updated_at")
ITEM_COLUMNS = ("i.id, i.list_id, i.key, i.product_id, p.work_id, i.quantity, i.note, i.checked, i.checked_at,"
                " i.created_at, i.updated_at, i.removed_at, i.seq")
_N_LIST = 10
_N_ITEM = 13
# Formats of one work are one entry of a list's page; a product of no work is its own entry
# (work ids are positive, so a negated product id never meets one).
GROUP_KEY = "coalesce(p.work_id, -i.product_id)"


def list_of(row, offset: int = 0, viewer_id: int | None = None) -> CustomerList:
    found = CustomerList(*row[offset:offset + _N_LIST])
    if viewer_id is not None:
        found.viewer_is_owner = found.account_id == viewer_id
    return found


def item_of(row, offset: int = 0) -> ListItem:
    return ListItem(*row[offset:offset + _N_ITEM])


async def lists_by_ids(reader: Reader, viewer_id: int | None, ids: Sequence[int]) -> dict[int, CustomerList]:
    """Lists by id with whether `viewer_id` belongs to each one's household and whether the owner's
    profile shows its lists to `viewer_id` (the caller decides with `visibility.may_view_list`)."""
    rows = await reader.fetch(
        f"SELECT {LIST_COLUMNS}, EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = l.id AND m.account_id = $2),"
        f" coalesce({owner_shows_lists('p', '$2::bigint')}, false)"
        " FROM lists l LEFT JOIN profiles p ON p.account_id = l.account_id WHERE l.id = ANY($1::bigint[])",
        list(ids), viewer_id)
    found = {}
    for r in rows:
        found[r["id"]] = lst = list_of(r, viewer_id=viewer_id)
        lst.viewer_is_member, lst.owner_shows_lists = r[_N_LIST], r[_N_LIST + 1]
    return found


async def list_by_share_hash(reader: Reader, token_hash: str) -> CustomerList | None:
    row = await reader.fetchrow(
        f"SELECT {LIST_COLUMNS} FROM lists l WHERE l.share_token_hash = $1 AND l.visibility = 'SHARED'", token_hash)
    return None if row is None else list_of(row)


async def wish_list_of(reader: Reader, account_id: int) -> CustomerList | None:
    row = await reader.fetchrow(f"SELECT {LIST_COLUMNS} FROM lists l WHERE l.account_id = $1 AND l.kind = 'WISH_LIST'",
                                account_id)
    return None if row is None else list_of(row, viewer_id=account_id)


async def account_lists(reader: Reader, account_id: int, kind: str | None, page: PageRequest) -> Page[CustomerList]:
    """Lists `account_id` owns or shares as a household member: the wish list first, then the
    most recently changed."""
    select = (f"SELECT {LIST_COLUMNS}, l.kind = 'WISH_LIST' AS wish FROM lists l"
              " WHERE (l.account_id = $1 OR l.id IN (SELECT list_id FROM list_members WHERE account_id = $1))"
              " AND ($2::list_kind IS NULL OR l.kind = $2::list_kind)")
    found = await paged(reader, _ListRow, select, "wish DESC, updated_at DESC, id DESC", page, account_id, kind)
    found.items = [row.to_list(account_id) for row in found.items]
    return found


class _ListRow:
    def __init__(self, *values) -> None:
        self.values = values

    def to_list(self, viewer_id: int) -> CustomerList:
        found = CustomerList(*self.values[:_N_LIST])
        found.viewer_is_owner = found.account_id == viewer_id
        found.viewer_is_member = not found.viewer_is_owner
        return found


async def entry_pages(reader: Reader, list_ids: Sequence[int], page: PageRequest) -> dict[int, Page[ListEntry]]:
    """A page of entries (a work with its formats on the list, or a product of no work) of each
    list, in the order their first item was added, with the list's count of entries."""
    rows = await reader.fetch(
        f"""
        WITH groups AS (
          SELECT i.list_id, {GROUP_KEY} AS gk, min(i.id) AS first_id
          FROM list_items i JOIN products p ON p.id = i.product_id
          WHERE i.list_id = ANY($1::bigint[]) AND i.removed_at IS NULL GROUP BY 1, 2
        ), ranked AS (
          SELECT g.*, row_number() OVER (PARTITION BY g.list_id ORDER BY g.first_id) AS rn,
                 count(*) OVER (PARTITION BY g.list_id) AS total FROM groups g
        )
        SELECT {ITEM_COLUMNS}, r.rn, r.total FROM ranked r
        JOIN list_items i ON i.list_id = r.list_id AND i.removed_at IS NULL
        JOIN products p ON p.id = i.product_id AND {GROUP_KEY} = r.gk
        WHERE r.rn > $2 AND r.rn <= $2 + $3 + 1
        ORDER BY r.list_id, r.rn, i.id
        """, list(list_ids), page.offset, page.limit)
    by_list: dict[int, dict[int, ListEntry]] = {pk: {} for pk in list_ids}
    totals: dict[int, int] = {}
    for r in rows:
        item = item_of(r)
        totals[item.list_id] = r["total"]
        entry = by_list[item.list_id].setdefault(r["rn"], ListEntry(item.work_id))
        entry.items.append(item)
    pages = {}
    for pk, entries in by_list.items():
        ordered = [entries[k] for k in sorted(entries)]
        pages[pk] = Page(ordered[:page.limit], page.offset, len(ordered) > page.limit, totals.get(pk, 0))
    return pages


async def item_pages(reader: Reader, list_ids: Sequence[int], page: PageRequest) -> dict[int, Page[ListItem]]:
    """A page of each list's live items, in the order they were added, with the list's count."""
    rows = await reader.fetch(
        f"""
        SELECT * FROM (
          SELECT {ITEM_COLUMNS}, row_number() OVER (PARTITION BY i.list_id ORDER BY i.id) AS rn,
                 count(*) OVER (PARTITION BY i.list_id) AS total
          FROM list_items i JOIN products p ON p.id = i.product_id
          WHERE i.list_id = ANY($1::bigint[]) AND i.removed_at IS NULL
        ) listed WHERE rn > $2 AND rn <= $2 + $3 + 1 ORDER BY list_id, rn
        """, list(list_ids), page.offset, page.limit)
    by_list: dict[int, list] = {pk: [] for pk in list_ids}
    totals: dict[int, int] = {}
    for r in rows:
        by_list[r["list_id"]].append(item_of(r))
        totals[r["list_id"]] = r["total"]
    return {pk: Page(items[:page.limit], page.offset, len(items) > page.limit, totals.get(pk, 0))
            for pk, items in by_list.items()}


async def items_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, ListItem]:
    rows = await reader.fetch(
        f"SELECT {ITEM_COLUMNS} FROM list_items i JOIN products p ON p.id = i.product_id WHERE i.id = ANY($1::bigint[])",
        list(ids))
    return {r["id"]: item_of(r) for r in rows}


async def changed_items(reader: Reader, list_id: int, after_seq: int) -> list[ListItem]:
    """Every item of the list (removed ones included) changed after number `after_seq`, in the
    order of their changes."""
    rows = await reader.fetch(
        f"SELECT {ITEM_COLUMNS} FROM list_items i JOIN products p ON p.id = i.product_id"
        " WHERE i.list_id = $1 AND i.seq > $2 ORDER BY i.seq, i.id", list_id, after_seq)
    return [item_of(r) for r in rows]


async def public_lists_of_owners(conn, owner_ids: Sequence[int], first_lists: int = 5,
                                 first_items: int = 4) -> dict[int, list[PublicListBlock]]:
    """Each owner's newest-changed PUBLIC lists (at most `first_lists`) with the first item of
    each of their first `first_items` entries (a work once, whatever its formats), in ONE
    statement for any number of owners: the profile page's block. `conn` is anything with an
    asyncpg-style `fetch` (a `Reader`, a `SessionReader` or a connection). Visibility rules
    beyond PUBLIC (`visibility.public_owners_visible_to`) are the caller's to apply."""
    lists = """
        FROM unnest($1::bigint[]) AS o(id)
        CROSS JOIN LATERAL (
          SELECT * FROM lists WHERE account_id = o.id AND visibility = 'PUBLIC'
          ORDER BY updated_at DESC, id DESC LIMIT $2) l"""
    if first_items == 0:  # the lists alone (a profile's `lists` field): no items to join
        rows = await conn.fetch(f"SELECT {LIST_COLUMNS}, NULL AS id {lists} ORDER BY o.id, l.updated_at DESC, l.id DESC",
                                list(owner_ids), first_lists)
    else:
        rows = await conn.fetch(
            f"""
            SELECT {LIST_COLUMNS}, e.* {lists}
            LEFT JOIN LATERAL (
              SELECT {ITEM_COLUMNS} FROM (
                SELECT min(i.id) AS first_id FROM list_items i JOIN products p ON p.id = i.product_id
                WHERE i.list_id = l.id AND i.removed_at IS NULL GROUP BY {GROUP_KEY} ORDER BY 1 LIMIT $3) f
              JOIN list_items i ON i.id = f.first_id JOIN products p ON p.id = i.product_id) e ON true
            ORDER BY o.id, l.updated_at DESC, l.id DESC, e.id
            """, list(owner_ids), first_lists, first_items)
    blocks: dict[int, list[PublicListBlock]] = {pk: [] for pk in owner_ids}
    current: dict[int, PublicListBlock] = {}
    for r in rows:
        lst = list_of(r)
        block = current.get(lst.id)
        if block is None:
            block = current[lst.id] = PublicListBlock(lst, [])
            blocks[lst.account_id].append(block)
        if r[_N_LIST] is not None:
            block.items.append(item_of(r, _N_LIST))
    return blocks
