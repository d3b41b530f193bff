"""Making, renaming and deleting lists, and adding, changing, checking off and removing items.

Rules:
- A customer has at most one wish list, made on first use (adding to "the wish list" without
  naming a list); it cannot be renamed or made a shopping list (WISH_LIST_FIXED), but it can be
  made public or shared like any list. At most `MAX_LISTS_PER_ACCOUNT` lists (TOO_MANY_LISTS).
- Items are products on sale (not withdrawn). A product is on a list once: adding it again adds
  to its quantity. Quantities are 1-999; check-off is for shopping lists (NOT_SHOPPING_LIST).
- A list holds at most `MAX_ITEMS_PER_LIST` (10,000) live items: a call that would pass it is
  refused whole (LIST_FULL); one call names at most `MAX_ITEMS_PER_CALL` items.
- Every change runs in the caller's transaction with the list locked, numbers its items with the
  list's next change number (so devices sync it: see `sync`) and writes nothing when refused.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.lists import texts
from domain.lists.access import next_seq, open_list
from domain.lists.entities import MAX_ITEMS_PER_CALL, MAX_ITEMS_PER_LIST, MAX_LISTS_PER_ACCOUNT
from domain.lists.errors import ListErrorCode
from domain.lists.statuses import ListKind, ListVisibility
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal


@dataclass(frozen=True, slots=True)
class NewItem:
    product_id: int
    quantity: int = 1
    note: str = ""


@dataclass(frozen=True, slots=True)
class ItemChange:
    item_id: int
    quantity: int | None = None
    note: str | None = None


async def _count_lists(session: AsyncSession, account_id: int) -> int:
    return (await session.execute(text("SELECT count(*) FROM lists WHERE account_id = :a"), {"a": account_id})).scalar()


async def _lock_account_lists(session: AsyncSession, account_id: int) -> None:
    # Two concurrent creations must not both pass the count, nor make two wish lists.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('lists'), CAST(:a AS integer))"),
                          {"a": account_id % 2_147_483_647})


async def create_list(session: AsyncSession, principal: Principal, kind: str, name: str | None,
                      description: str = "", visibility: str = ListVisibility.PRIVATE) -> int:
    """A new NAMED or SHOPPING list of the caller's (PRIVATE or PUBLIC: a list is SHARED through
    `share_list`). Returns its id."""
    account_id = principal.require_signed_in()
    if kind == ListKind.WISH_LIST:
        raise DomainError("Your wish list is made on first use: add items to it without naming a list.",
                          code=ListErrorCode.WISH_LIST_FIXED, field=["input", "kind"])
    if visibility == ListVisibility.SHARED:
        raise DomainError("Share a list with shareList, which gives you its link.", code=ListErrorCode.INVALID,
                          field=["input", "visibility"])
    name = texts.name(name, ["input", "name"])
    description = texts.description(description, ["input", "description"])
    await _lock_account_lists(session, account_id)
    if await _count_lists(session, account_id) >= MAX_LISTS_PER_ACCOUNT:
        raise DomainError(f"A customer has at most {MAX_LISTS_PER_ACCOUNT} lists; delete one first.",
                          code=ListErrorCode.TOO_MANY_LISTS)
    return (await session.execute(text(
        "INSERT INTO lists (account_id, kind, name, description, visibility)"
        " VALUES (:a, CAST(:k AS list_kind), :n, :d, CAST(:v AS list_visibility)) RETURNING id"),
        {"a": account_id, "k": str(kind), "n": name, "d": description, "v": str(visibility)})).scalar_one()


async def wish_list_id(session: AsyncSession, principal: Principal) -> int:
    """The caller's wish list, made now when they have none."""
    account_id = principal.require_signed_in()
    found = (await session.execute(text("SELECT id FROM lists WHERE account_id = :a AND kind = 'WISH_LIST'"),
                                   {"a": account_id})).scalar()
    if found is not None:
        return found
    await _lock_account_lists(session, account_id)
    return (await session.execute(text(
        "INSERT INTO lists (account_id, kind, name) VALUES (:a, 'WISH_LIST', 'Wish list')"
        " ON CONFLICT (account_id) WHERE kind = 'WISH_LIST' DO UPDATE SET updated_at = lists.updated_at"
        " RETURNING id"), {"a": account_id})).scalar_one()


async def update_list(session: AsyncSession, principal: Principal, list_id: int, *, name: str | None = None,
                      description: str | None = None, visibility: str | None = None) -> int:
    """Renames, describes or changes the visibility of the caller's own list (owner only).
    PRIVATE or PUBLIC ends a SHARED list's link; SHARED is set by `share_list`."""
    lst = await open_list(session, principal, list_id, owner_only=True)
    if name is not None and lst.kind == ListKind.WISH_LIST:
        raise DomainError("The wish list keeps its name.", code=ListErrorCode.WISH_LIST_FIXED, field=["input", "name"])
    if visibility == ListVisibility.SHARED:
        raise DomainError("Share a list with shareList, which gives you its link.", code=ListErrorCode.INVALID,
                          field=["input", "visibility"])
    values = {"l": list_id,
              "n": None if name is None else texts.name(name, ["input", "name"]),
              "d": None if description is None else texts.description(description, ["input", "description"]),
              "v": None if visibility is None else str(visibility)}
    await session.execute(text(
        "UPDATE lists SET name = coalesce(:n, name), description = coalesce(:d, description),"
        " visibility = coalesce(CAST(:v AS list_visibility), visibility),"
        " share_token_hash = CASE WHEN CAST(:v AS text) IS NULL THEN share_token_hash END,"
        " last_seq = last_seq + 1, updated_at = now() WHERE id = :l"), values)
    return list_id


async def delete_list(session: AsyncSession, principal: Principal, list_id: int) -> int:
    """Deletes the caller's own list with its items, household and link (owner only)."""
    await open_list(session, principal, list_id, owner_only=True)
    await session.execute(text("DELETE FROM lists WHERE id = :l"), {"l": list_id})
    return list_id


async def _live_products(session: AsyncSession, product_ids: Sequence[int]) -> set[int]:
    rows = await session.execute(text(
        "SELECT id FROM products WHERE id = ANY(CAST(:p AS bigint[])) AND archived_at IS NULL"),
        {"p": list(product_ids)})
    return {r[0] for r in rows}


def check_room(item_count: int, adding: int, field: str = "items") -> None:
    if item_count + adding > MAX_ITEMS_PER_LIST:
        raise DomainError(f"A list holds at most {MAX_ITEMS_PER_LIST:,} items; it has {item_count:,}.",
                          code=ListErrorCode.LIST_FULL, field=["input", field],
                          extensions={"itemLimit": MAX_ITEMS_PER_LIST})


def _check_call_size(count: int, name: str) -> None:
    if not 1 <= count <= MAX_ITEMS_PER_CALL:
        raise DomainError(f"Give 1 to {MAX_ITEMS_PER_CALL} items per call; got {count}.",
                          code=ListErrorCode.INVALID, field=["input", name])


async def add_list_items(session: AsyncSession, principal: Principal, list_id: int | None,
                         items: Sequence[NewItem]) -> int:
    """Adds products to the caller's list (or a household's shopping list), or to their wish list
    when `list_id` is None. A product already on the list gets the quantity added (up to 999) and
    the newer non-empty note. Returns the list's id."""
    _check_call_size(len(items), "items")
    wanted: dict[int, NewItem] = {}
    for index, item in enumerate(items):
        path = ["input", "items", str(index)]
        texts.quantity(item.quantity, [*path, "quantity"])
        note = texts.note(item.note, [*path, "note"])
        if item.product_id in wanted:
            raise DomainError("Each product may appear once per call.", code=ListErrorCode.INVALID,
                              field=[*path, "productId"])
        wanted[item.product_id] = NewItem(item.product_id, item.quantity, note)
    if list_id is None:
        list_id = await wish_list_id(session, principal)
    lst = await open_list(session, principal, list_id)
    live = await _live_products(session, list(wanted))
    for index, product_id in enumerate(wanted):
        if product_id not in live:
            raise NotFound("No such product on sale.", code=ListErrorCode.NOT_FOUND,
                           field=["input", "items", str(index), "productId"])
    present = {r[0] for r in await session.execute(text(
        "SELECT product_id FROM list_items WHERE list_id = :l AND removed_at IS NULL"
        " AND product_id = ANY(CAST(:p AS bigint[]))"), {"l": list_id, "p": list(wanted)})}
    check_room(lst.item_count, sum(1 for p in wanted if p not in present))
    seq = await next_seq(session, list_id)
    ordered = list(wanted.values())
    await session.execute(text(
        "INSERT INTO list_items (list_id, product_id, quantity, note, added_by, seq, added_seq)"
        " SELECT :l, p, q, n, :a, :s, :s FROM unnest(CAST(:ps AS bigint[]), CAST(:qs AS integer[]),"
        " CAST(:ns AS text[])) WITH ORDINALITY AS t(p, q, n, o) ORDER BY o"
        " ON CONFLICT (list_id, product_id) WHERE removed_at IS NULL DO UPDATE SET"
        " quantity = least(list_items.quantity + excluded.quantity, 999),"
        " note = CASE WHEN excluded.note <> '' THEN excluded.note ELSE list_items.note END,"
        " seq = excluded.seq, added_seq = excluded.seq, updated_at = now()"),
        {"l": list_id, "a": principal.account_id, "s": seq, "ps": [i.product_id for i in ordered],
         "qs": [i.quantity for i in ordered], "ns": [i.note for i in ordered]})
    await recount(session, list_id)
    return list_id


async def recount(session: AsyncSession, list_id: int) -> None:
    await session.execute(text(
        "UPDATE lists SET item_count = (SELECT count(*) FROM list_items WHERE list_id = :l AND removed_at IS NULL)"
        " WHERE id = :l"), {"l": list_id})


async def _own_items(session: AsyncSession, list_id: int, item_ids: Sequence[int], name: str) -> None:
    found = {r[0] for r in await session.execute(text(
        "SELECT id FROM list_items WHERE list_id = :l AND removed_at IS NULL AND id = ANY(CAST(:i AS bigint[]))"),
        {"l": list_id, "i": list(item_ids)})}
    for index, item_id in enumerate(item_ids):
        if item_id not in found:
            raise NotFound("No such item on this list.", code=ListErrorCode.NOT_FOUND, field=["input", name, str(index)])


async def _list_of_items(session: AsyncSession, item_ids: Sequence[int], name: str) -> int:
    """The one list the items are on (an item of a list the caller may not change is NOT_FOUND)."""
    rows = (await session.execute(text(
        "SELECT DISTINCT list_id FROM list_items WHERE id = ANY(CAST(:i AS bigint[]))"), {"i": list(item_ids)})).all()
    if len(rows) > 1:
        raise DomainError("All items of one call must be on one list.", code=ListErrorCode.INVALID, field=["input", name])
    if not rows:
        raise NotFound("No such item on a list of yours.", code=ListErrorCode.NOT_FOUND, field=["input", name, "0"])
    return rows[0][0]


async def remove_list_items(session: AsyncSession, principal: Principal, item_ids: Sequence[int]) -> int:
    """Takes items off their list (kept as removed so devices learn it). Returns the list's id."""
    _check_call_size(len(item_ids), "itemIds")
    list_id = await _list_of_items(session, item_ids, "itemIds")
    await open_list(session, principal, list_id, field=["input", "itemIds", "0"])
    await _own_items(session, list_id, item_ids, "itemIds")
    seq = await next_seq(session, list_id)
    await session.execute(text(
        "UPDATE list_items SET removed_at = now(), seq = :s, updated_at = now()"
        " WHERE id = ANY(CAST(:i AS bigint[])) AND removed_at IS NULL"), {"i": sorted(set(item_ids)), "s": seq})
    await recount(session, list_id)
    return list_id


async def update_list_items(session: AsyncSession, principal: Principal, changes: Sequence[ItemChange]) -> int:
    """Sets the quantity and/or note of items of one list. Returns the list's id."""
    _check_call_size(len(changes), "items")
    ids = [c.item_id for c in changes]
    list_id = await _list_of_items(session, ids, "items")
    await open_list(session, principal, list_id, field=["input", "items", "0", "itemId"])
    await _own_items(session, list_id, ids, "items")
    if len(set(ids)) != len(ids):
        raise DomainError("Each item may appear once per call.", code=ListErrorCode.INVALID, field=["input", "items"])
    checked = []
    for index, change in enumerate(changes):
        path = ["input", "items", str(index)]
        quantity = None if change.quantity is None else texts.quantity(change.quantity, [*path, "quantity"])
        note = None if change.note is None else texts.note(change.note, [*path, "note"])
        checked.append((change.item_id, quantity, note))
    seq = await next_seq(session, list_id)
    for item_id, quantity, note in checked:
        await session.execute(text(
            "UPDATE list_items SET quantity = coalesce(:q, quantity), note = coalesce(:n, note), seq = :s,"
            " updated_at = now() WHERE id = :i"), {"i": item_id, "q": quantity, "n": note, "s": seq})
    return list_id


async def check_off_list_items(session: AsyncSession, principal: Principal, item_ids: Sequence[int],
                               checked: bool) -> int:
    """Checks items of a shopping list off (or back on). Returns the list's id."""
    _check_call_size(len(item_ids), "itemIds")
    list_id = await _list_of_items(session, item_ids, "itemIds")
    lst = await open_list(session, principal, list_id, field=["input", "itemIds", "0"])
    if not lst.is_shopping:
        raise DomainError("Only a shopping list's items are checked off.", code=ListErrorCode.NOT_SHOPPING_LIST,
                          field=["input", "itemIds"])
    await _own_items(session, list_id, item_ids, "itemIds")
    seq = await next_seq(session, list_id)
    await session.execute(text(
        "UPDATE list_items SET checked = :c, checked_at = CASE WHEN :c THEN now() END, checked_seq = :s, seq = :s,"
        " updated_at = now() WHERE id = ANY(CAST(:i AS bigint[])) AND checked <> :c"),
        {"i": sorted(set(item_ids)), "c": checked, "s": seq})
    return list_id
