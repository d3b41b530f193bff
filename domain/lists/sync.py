"""Shopping-list sync between devices, modelled on the e-reader library sync.

A device keeps the list as it last saw it and a sync token (the list's change number then).
Each sync sends the device's changes, each with an id the device made (a retried batch is
answered from the stored receipts and applies nothing twice), and returns every item changed
after the device's token (removed ones as tombstones) with a new token. Changes of one batch
are one transaction, applied in the order sent, all or none.

Items are named by a key (a UUID) the device makes when it adds one, so an item added offline
is edited in the same batch before the server has numbered it.

Concurrent changes settle by these rules (`base` is the change number the device had seen):
- Quantity and note: the last writer in server order wins, per field (a late batch from an
  offline device overwrites an earlier value; the value it set is what it meant last).
- Check-off wins over un-check: an UNCHECK applies only when the device had seen the item's
  latest check-off (its number is <= base); otherwise it is STALE. Checking off is never stale.
- An added item is never lost: an ADD of a product already on the list goes into that item
  (MERGED, the device adopts its key): quantity becomes the larger of the two, the newer
  non-empty note wins, and an item that was checked off comes back unchecked with the added
  quantity (somebody needs it again). A REMOVE of an item something was added into after
  `base` is STALE, so a removal never swallows an add its device had not seen.
- A change to an item removed meanwhile is GONE (the device learns of the removal in the answer).
Changes are numbered with the list locked, in commit order, so "changed after n" never misses
a change committed later (see `tables`)."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.lists import repository, texts
from domain.lists.access import next_seq, open_list
from domain.lists.entities import MAX_ITEMS_PER_CALL, ListItem
from domain.lists.errors import ListErrorCode
from domain.lists.repository import ITEM_COLUMNS, item_of
from domain.lists.statuses import ListChangeKind as Kind
from domain.lists.statuses import ListChangeOutcome as Outcome
from domain.lists.writes import check_room, recount
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal

_TOKEN_VERSION = "sl1"
_MAX_TOKEN = 200


@dataclass(frozen=True, slots=True)
class SyncChange:
    change_id: uuid.UUID
    kind: str
    key: uuid.UUID
    product_id: int | None = None
    quantity: int | None = None
    note: str | None = None


@dataclass(slots=True)
class ChangeResult:
    change_id: uuid.UUID
    outcome: str
    key: uuid.UUID


@dataclass(slots=True)
class SyncResult:
    list_id: int
    results: list[ChangeResult]
    items: list[ListItem]
    sync_token: str


@dataclass(slots=True)
class _Item:
    id: int | None
    key: uuid.UUID
    product_id: int
    quantity: int
    note: str
    checked: bool
    checked_seq: int
    added_seq: int
    removed: bool
    dirty: bool = False


def _key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), b"tributary shopping list sync token", hashlib.sha256).digest()


def _mac(secret_key: str, list_id: int, seq: int) -> str:
    return hmac.new(_key(secret_key), f"{_TOKEN_VERSION}.{list_id}.{seq}".encode(), hashlib.sha256).hexdigest()[:32]


def sync_token(secret_key: str, list_id: int, seq: int) -> str:
    raw = f"{_TOKEN_VERSION}.{list_id}.{seq}.{_mac(secret_key, list_id, seq)}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def read_sync_token(secret_key: str, list_id: int, token: str, last_seq: int) -> int:
    """The change number a token of this list resumes after; SYNC_TOKEN_INVALID otherwise."""
    invalid = DomainError("This sync token is not valid for this list; sync again from the beginning (since: null).",
                          code=ListErrorCode.SYNC_TOKEN_INVALID, field=["input", "since"])
    if not isinstance(token, str) or not token or len(token) > _MAX_TOKEN:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        version, listed, seq, mac = raw.split(".")
        list_number, seq_number = int(listed), int(seq)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid from None
    if version != _TOKEN_VERSION or list_number != list_id or str(seq_number) != seq or not 0 <= seq_number <= last_seq:
        raise invalid
    if not hmac.compare_digest(mac, _mac(secret_key, list_number, seq_number)):
        raise invalid
    return seq_number


def _check(changes: Sequence[SyncChange]) -> None:
    if len(changes) > MAX_ITEMS_PER_CALL:
        raise DomainError(f"At most {MAX_ITEMS_PER_CALL} changes per sync; send the rest in another.",
                          code=ListErrorCode.INVALID, field=["input", "changes"])
    seen = set()
    for index, change in enumerate(changes):
        path = ["input", "changes", str(index)]
        if change.change_id in seen:
            raise DomainError("Each change id may appear once per sync.", code=ListErrorCode.INVALID,
                              field=[*path, "changeId"])
        seen.add(change.change_id)
        if change.kind == Kind.ADD and change.product_id is None:
            raise DomainError("ADD needs productId.", code=ListErrorCode.INVALID, field=[*path, "productId"])
        if change.kind in (Kind.ADD, Kind.SET_QUANTITY):
            if change.quantity is None and change.kind == Kind.SET_QUANTITY:
                raise DomainError("SET_QUANTITY needs quantity.", code=ListErrorCode.INVALID, field=[*path, "quantity"])
            if change.quantity is not None:
                texts.quantity(change.quantity, [*path, "quantity"])
        if change.kind == Kind.SET_NOTE and change.note is None:
            raise DomainError("SET_NOTE needs note.", code=ListErrorCode.INVALID, field=[*path, "note"])
        if change.note is not None:
            texts.note(change.note, [*path, "note"])


async def _load(session: AsyncSession, list_id: int, keys: set, products: set) -> list[_Item]:
    rows = await session.execute(text(
        "SELECT id, key, product_id, quantity, note, checked, checked_seq, added_seq, removed_at IS NOT NULL"
        " FROM list_items WHERE list_id = :l AND (key = ANY(CAST(:k AS uuid[]))"
        " OR (removed_at IS NULL AND product_id = ANY(CAST(:p AS bigint[]))))"),
        {"l": list_id, "k": [str(k) for k in keys], "p": list(products)})
    return [_Item(*r) for r in rows]


class _Batch:
    """The list's items named by one batch, changed in memory, then written in two statements."""

    def __init__(self, items: list[_Item], base: int, seq: int) -> None:
        self.by_key = {i.key: i for i in items}
        self.live = {i.product_id: i for i in items if not i.removed}
        self.base, self.seq = base, seq
        # Items whose latest add or check-off this device made (in this batch): it has seen them.
        self.own: set[uuid.UUID] = set()
        self.new: list[_Item] = []

    def apply(self, change: SyncChange, index: int) -> tuple[str, uuid.UUID]:
        item = self.by_key.get(change.key)
        if change.kind == Kind.ADD:
            return self._add(change, item)
        if item is None:
            raise NotFound("No such item on this list.", code=ListErrorCode.NOT_FOUND,
                           field=["input", "changes", str(index), "key"])
        if item.removed:
            return Outcome.GONE, item.key
        if change.kind == Kind.SET_QUANTITY:
            item.quantity = change.quantity
        elif change.kind == Kind.SET_NOTE:
            item.note = texts.note(change.note, [])
        elif change.kind == Kind.CHECK:
            if not item.checked:
                item.checked, item.checked_seq = True, self.seq
            self.own.add(item.key)
        elif change.kind == Kind.UNCHECK:
            if item.checked:
                if item.checked_seq > self.base and item.key not in self.own:
                    return Outcome.STALE, item.key
                item.checked, item.checked_seq = False, self.seq
        elif change.kind == Kind.REMOVE:
            if item.added_seq > self.base and item.key not in self.own:
                return Outcome.STALE, item.key
            item.removed = True
            self.live.pop(item.product_id, None)
        item.dirty = True
        return Outcome.APPLIED, item.key

    def _add(self, change: SyncChange, item: _Item | None) -> tuple[str, uuid.UUID]:
        quantity, note = change.quantity or 1, texts.note(change.note or "", [])
        if item is not None:
            self.own.add(item.key)
            return (Outcome.GONE if item.removed else Outcome.APPLIED), item.key
        existing = self.live.get(change.product_id)
        if existing is not None:
            if existing.checked:
                existing.checked, existing.checked_seq, existing.quantity = False, self.seq, quantity
            else:
                existing.quantity = max(existing.quantity, quantity)
            existing.note = note or existing.note
            existing.added_seq, existing.dirty = self.seq, True
            self.own.add(existing.key)
            return Outcome.MERGED, existing.key
        item = _Item(None, change.key, change.product_id, quantity, note, False, 0, self.seq, False, True)
        self.by_key[item.key] = self.live[item.product_id] = item
        self.new.append(item)
        self.own.add(item.key)
        return Outcome.APPLIED, item.key

    def mark_seen(self, key: uuid.UUID | None) -> None:
        if key is not None:
            self.own.add(key)


async def _write(session: AsyncSession, list_id: int, account_id: int, batch: _Batch) -> None:
    changed = [i for i in batch.by_key.values() if i.dirty and i.id is not None]
    if changed:
        await session.execute(text(
            "UPDATE list_items i SET quantity = u.q, note = u.n, checked = u.c,"
            " checked_at = CASE WHEN NOT u.c THEN NULL WHEN i.checked THEN i.checked_at ELSE now() END,"
            " checked_seq = u.cs, added_seq = u.a, removed_at = CASE WHEN u.r THEN coalesce(i.removed_at, now()) END,"
            " seq = :s, updated_at = now()"
            " FROM unnest(CAST(:ids AS bigint[]), CAST(:qs AS integer[]), CAST(:ns AS text[]), CAST(:cs AS boolean[]),"
            " CAST(:css AS bigint[]), CAST(:as AS bigint[]), CAST(:rs AS boolean[])) AS u(id, q, n, c, cs, a, r)"
            " WHERE i.id = u.id"),
            {"s": batch.seq, "ids": [i.id for i in changed], "qs": [i.quantity for i in changed],
             "ns": [i.note for i in changed], "cs": [i.checked for i in changed],
             "css": [i.checked_seq for i in changed], "as": [i.added_seq for i in changed],
             "rs": [i.removed for i in changed]})
    if batch.new:
        new = batch.new
        await session.execute(text(
            "INSERT INTO list_items (list_id, key, product_id, quantity, note, checked, checked_at, checked_seq,"
            " added_by, seq, added_seq, removed_at)"
            " SELECT :l, k, p, q, n, c, CASE WHEN c THEN now() END, cs, :a, :s, :s, CASE WHEN r THEN now() END"
            " FROM unnest(CAST(:ks AS uuid[]), CAST(:ps AS bigint[]), CAST(:qs AS integer[]), CAST(:ns AS text[]),"
            " CAST(:cs AS boolean[]), CAST(:css AS bigint[]), CAST(:rs AS boolean[])) WITH ORDINALITY"
            " AS t(k, p, q, n, c, cs, r, o) ORDER BY o"),
            {"l": list_id, "a": account_id, "s": batch.seq, "ks": [str(i.key) for i in new],
             "ps": [i.product_id for i in new], "qs": [i.quantity for i in new], "ns": [i.note for i in new],
             "cs": [i.checked for i in new], "css": [i.checked_seq for i in new], "rs": [i.removed for i in new]})


async def _apply(session: AsyncSession, principal: Principal, lst, base: int,
                 changes: Sequence[SyncChange]) -> list[ChangeResult]:
    list_id = lst.id
    receipts = {r[0]: (r[1], r[2]) for r in await session.execute(text(
        "SELECT change_id, outcome::text, item_key FROM list_sync_receipts WHERE list_id = :l"
        " AND change_id = ANY(CAST(:c AS uuid[]))"), {"l": list_id, "c": [str(c.change_id) for c in changes]})}
    fresh = [c for c in changes if c.change_id not in receipts]
    results: list[ChangeResult | None] = [None] * len(changes)
    batch = None
    if fresh:
        adds = {c.product_id for c in fresh if c.kind == Kind.ADD}
        if adds:
            live = {r[0] for r in await session.execute(text(
                "SELECT id FROM products WHERE id = ANY(CAST(:p AS bigint[])) AND archived_at IS NULL"),
                {"p": list(adds)})}
            for index, change in enumerate(changes):
                if change.kind == Kind.ADD and change.product_id not in live and change.change_id not in receipts:
                    raise NotFound("No such product on sale.", code=ListErrorCode.NOT_FOUND,
                                   field=["input", "changes", str(index), "productId"])
        seq = await next_seq(session, list_id)
        items = await _load(session, list_id, {c.key for c in changes} | {k for _, k in receipts.values() if k},
                            adds)
        batch = _Batch(items, base, seq)
    for index, change in enumerate(changes):
        if change.change_id in receipts:
            outcome, key = receipts[change.change_id]
            results[index] = ChangeResult(change.change_id, Outcome.DUPLICATE, key or change.key)
            if batch is not None and outcome in (Outcome.APPLIED, Outcome.MERGED):
                batch.mark_seen(key)
            continue
        outcome, key = batch.apply(change, index)
        results[index] = ChangeResult(change.change_id, outcome, key)
    if batch is not None:
        check_room(lst.item_count - sum(1 for i in batch.by_key.values() if i.removed and i.dirty and i.id),
                   sum(1 for i in batch.new if not i.removed), "changes")
        await _write(session, list_id, principal.account_id, batch)
        await session.execute(text(
            "INSERT INTO list_sync_receipts (list_id, change_id, outcome, item_key)"
            " SELECT :l, c, CAST(o AS list_change_outcome), k"
            " FROM unnest(CAST(:cs AS uuid[]), CAST(:os AS text[]), CAST(:ks AS uuid[])) AS t(c, o, k)"),
            {"l": list_id, "cs": [str(r.change_id) for r, c in zip(results, changes) if c in fresh],
             "os": [str(r.outcome) for r, c in zip(results, changes) if c in fresh],
             "ks": [str(r.key) for r, c in zip(results, changes) if c in fresh]})
        await recount(session, list_id)
    return results


async def shopping_list_sync(session: AsyncSession, principal: Principal, secret_key: str, list_id: int,
                             since: str | None, changes: Sequence[SyncChange]) -> SyncResult:
    """Applies a device's changes to a shopping list (its owner's or a household member's) and
    returns every item changed after `since` (from the beginning when null, removed ones
    included) with the token to pass next time. See the module for how conflicts settle."""
    lst = await open_list(session, principal, list_id)
    if not lst.is_shopping:
        raise DomainError("Only shopping lists sync between devices.", code=ListErrorCode.NOT_SHOPPING_LIST,
                          field=["input", "listId"])
    base = 0 if since is None else read_sync_token(secret_key, list_id, since, lst.last_seq)
    _check(changes)
    results = await _apply(session, principal, lst, base, changes) if changes else []
    rows = await session.execute(text(
        f"SELECT {ITEM_COLUMNS}, l.last_seq FROM lists l LEFT JOIN list_items i ON i.list_id = l.id AND i.seq > :b"
        " LEFT JOIN products p ON p.id = i.product_id WHERE l.id = :l ORDER BY i.seq, i.id"), {"l": list_id, "b": base})
    rows = rows.all()
    last = rows[0][-1]
    items = [item_of(r) for r in rows if r[0] is not None]
    return SyncResult(list_id, results, items, sync_token(secret_key, list_id, last))


async def shopping_list_changes(reader, principal: Principal, secret_key: str, list_id: int,
                                since: str | None) -> SyncResult:
    """Read-only sync: every item of a shopping list the caller shares changed after `since` (from
    the beginning when null, removed ones included), and the token to pass next time. NOT_FOUND
    for a list that is not theirs (top-level errors: this is a query)."""
    account_id = principal.require_signed_in()
    lst = (await repository.lists_by_ids(reader, account_id, [list_id])).get(list_id)
    if lst is None or not (lst.viewer_is_owner or lst.viewer_is_member) or not lst.is_shopping:
        raise NotFound("No such shopping list of yours.", code=ListErrorCode.NOT_FOUND, field=["listId"])
    base = 0 if since is None else read_sync_token(secret_key, list_id, since, lst.last_seq)
    items = await changed_items_upto(reader, list_id, base, lst.last_seq)
    return SyncResult(list_id, [], items, sync_token(secret_key, list_id, lst.last_seq))


async def changed_items_upto(reader, list_id: int, after_seq: int, upto: int) -> list[ListItem]:
    # Bounded by the list's number as read: a change committed after that read is for next time.
    rows = await reader.fetch(
        f"SELECT {ITEM_COLUMNS} FROM list_items i JOIN products p ON p.id = i.product_id"
        " WHERE i.list_id = $1 AND i.seq > $2 AND i.seq <= $3 ORDER BY i.seq, i.id", list_id, after_seq, upto)
    return [item_of(r) for r in rows]
