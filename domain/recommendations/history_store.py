"""The browsing history's SQL. Every write first takes the history row's lock (an upsert or
`FOR UPDATE`), then touches its views: so the writes of one history run one at a time, in the
same lock order everywhere, and `entry_count` and the rate limit stay exact under concurrent
requests."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared.db import Reader


@dataclass(frozen=True, slots=True)
class Locked:
    """A history as its lock found it; `allowance` is what the rate limit leaves after this view
    (below zero: refused)."""

    id: int
    paused: bool
    allowance: float
    merged_into_account_id: int | None = None


# The rate limit is a leaky bucket: `allowance` refills at :rate views a second up to :burst, and
# each view takes one. A transaction that waited for the lock may have started (now()) before
# the holder's: it refills nothing, and leaves `allowance_at` where it was, never earlier, so no
# interval is refilled twice.
_REFILL = ("allowance = least(CAST(:burst AS float8), h.allowance"
           " + greatest(0, extract(epoch FROM now() - h.allowance_at)) * :rate) - 1,"
           " allowance_at = greatest(h.allowance_at, now())")
_RETURNING = " RETURNING h.id, h.paused, h.allowance, h.merged_into_account_id"

_TAKE_CUSTOMER = text(
    "INSERT INTO browsing_histories AS h (account_id, allowance) VALUES (:account, :burst - 1)"
    f" ON CONFLICT (account_id) DO UPDATE SET {_REFILL}" + _RETURNING)
_TAKE_GUEST = text(f"UPDATE browsing_histories h SET {_REFILL}"
                   " WHERE token_hash = :hash AND merged_into_account_id IS NULL" + _RETURNING)
_NEW_GUEST = text("INSERT INTO browsing_histories AS h (token_hash, allowance) VALUES (:hash, :burst - 1)"
                  + _RETURNING)
_LOCK_CUSTOMER = text("INSERT INTO browsing_histories AS h (account_id, allowance) VALUES (:account, :burst)"
                      " ON CONFLICT (account_id) DO UPDATE SET updated_at = now()" + _RETURNING)
_LOCK_GUEST = text("SELECT h.id, h.paused, h.allowance, h.merged_into_account_id FROM browsing_histories h"
                   " WHERE token_hash = :hash FOR UPDATE")
_LOCK_EXISTING = text("SELECT h.id, h.paused, h.allowance, h.merged_into_account_id FROM browsing_histories h"
                      " WHERE account_id = :account FOR UPDATE")

# A product viewed again moves to the top: its one row takes a new position. The history's count
# goes up only for a product new to it.
_VIEW = text("""
WITH viewed AS (
  INSERT INTO browsing_history_views AS v (history_id, product_id, position, viewed_at)
  VALUES (:history, :product, nextval('browsing_history_positions'), now())
  ON CONFLICT (history_id, product_id) DO UPDATE SET position = excluded.position, viewed_at = excluded.viewed_at
  RETURNING (xmax = 0) AS inserted
)
UPDATE browsing_histories SET entry_count = entry_count + (SELECT count(*) FROM viewed WHERE inserted),
  updated_at = now()
WHERE id = :history RETURNING entry_count""")

# The oldest views past the limit go, found from the (history_id, position) index.
_TRIM = text("""
WITH gone AS (
  DELETE FROM browsing_history_views WHERE id IN (
    SELECT id FROM browsing_history_views WHERE history_id = :history ORDER BY position LIMIT :excess)
  RETURNING 1
)
UPDATE browsing_histories SET entry_count = entry_count - (SELECT count(*) FROM gone) WHERE id = :history""")

_REMOVE = text("""
WITH gone AS (
  DELETE FROM browsing_history_views WHERE history_id = :history AND product_id = :product RETURNING 1
)
UPDATE browsing_histories SET entry_count = entry_count - (SELECT count(*) FROM gone), updated_at = now()
WHERE id = :history RETURNING (SELECT count(*) FROM gone)""")

_CLEAR = text("""
WITH gone AS (DELETE FROM browsing_history_views WHERE history_id = :history RETURNING 1)
UPDATE browsing_histories SET entry_count = 0, updated_at = now() WHERE id = :history
RETURNING (SELECT count(*) FROM gone)""")

_SET_PAUSED = text("UPDATE browsing_histories SET paused = :paused, updated_at = now() WHERE id = :history")

# A guest's views join the customer's in their places in time (positions come from one
# sequence); a product in both keeps its latest view. The guest history stays, empty, as merged.
_MERGE = text("""
WITH moved AS (
  DELETE FROM browsing_history_views WHERE history_id = :guest RETURNING product_id, position, viewed_at
), merged AS (
  INSERT INTO browsing_history_views AS v (history_id, product_id, position, viewed_at)
  SELECT :customer, product_id, position, viewed_at FROM moved WHERE :keep
  ON CONFLICT (history_id, product_id) DO UPDATE SET position = greatest(v.position, excluded.position),
    viewed_at = greatest(v.viewed_at, excluded.viewed_at)
  RETURNING (xmax = 0) AS inserted
), guest AS (
  UPDATE browsing_histories SET merged_into_account_id = :account, entry_count = 0, updated_at = now()
  WHERE id = :guest
)
UPDATE browsing_histories SET entry_count = entry_count + (SELECT count(*) FROM merged WHERE inserted),
  updated_at = now()
WHERE id = :customer RETURNING entry_count, (SELECT count(*) FROM moved)""")


def _locked(row) -> Locked | None:
    return None if row is None else Locked(row.id, row.paused, float(row.allowance), row.merged_into_account_id)


async def take_customer(session: AsyncSession, account_id: int, burst: int, rate: float) -> Locked:
    """The customer's history (made on first use), locked, with one view taken from its limit."""
    row = (await session.execute(_TAKE_CUSTOMER, {"account": account_id, "burst": burst, "rate": rate})).one()
    return _locked(row)


async def take_guest(session: AsyncSession, token_hash: str, burst: int, rate: float) -> Locked | None:
    """The guest's history, locked, with one view taken from its limit; None when no live guest
    history has this token."""
    row = (await session.execute(_TAKE_GUEST, {"hash": token_hash, "burst": burst, "rate": rate})).first()
    return _locked(row)


async def new_guest(session: AsyncSession, token_hash: str, burst: int) -> Locked:
    row = (await session.execute(_NEW_GUEST, {"hash": token_hash, "burst": burst})).one()
    return _locked(row)


async def lock_customer(session: AsyncSession, account_id: int, burst: int) -> Locked:
    """The customer's history (made on first use), locked until the transaction ends."""
    return _locked((await session.execute(_LOCK_CUSTOMER, {"account": account_id, "burst": burst})).one())


async def lock_existing_customer(session: AsyncSession, account_id: int) -> Locked | None:
    return _locked((await session.execute(_LOCK_EXISTING, {"account": account_id})).first())


async def lock_guest(session: AsyncSession, token_hash: str) -> Locked | None:
    return _locked((await session.execute(_LOCK_GUEST, {"hash": token_hash})).first())


async def record(session: AsyncSession, history_id: int, product_id: int) -> int:
    """Records the view; the history's entry count after it."""
    return (await session.execute(_VIEW, {"history": history_id, "product": product_id})).scalar_one()


async def trim(session: AsyncSession, history_id: int, excess: int) -> None:
    await session.execute(_TRIM, {"history": history_id, "excess": excess})


async def remove(session: AsyncSession, history_id: int, product_id: int) -> bool:
    return (await session.execute(_REMOVE, {"history": history_id, "product": product_id})).scalar_one() > 0


async def clear(session: AsyncSession, history_id: int) -> int:
    return (await session.execute(_CLEAR, {"history": history_id})).scalar_one()


async def set_paused(session: AsyncSession, history_id: int, paused: bool) -> None:
    await session.execute(_SET_PAUSED, {"history": history_id, "paused": paused})


async def merge(session: AsyncSession, guest_id: int, customer_id: int, account_id: int, keep: bool,
                ) -> tuple[int, int]:
    """Moves the guest's views into the customer's history (drops them when not `keep`): the
    customer's entry count after it, and how many views the guest history held."""
    row = (await session.execute(_MERGE, {"guest": guest_id, "customer": customer_id, "account": account_id,
                                          "keep": keep})).one()
    return row[0], row[1]


# The page and the facts about the history in one statement: a history never written has no row.
_PAGE = """
SELECT h.entry_count, h.paused, v.product_id, v.viewed_at FROM browsing_histories h
LEFT JOIN LATERAL (
  SELECT product_id, viewed_at, position FROM browsing_history_views WHERE history_id = h.id
  ORDER BY position DESC OFFSET $2 LIMIT $3
) v ON true
WHERE {owner} ORDER BY v.position DESC"""
_PAGE_OF_CUSTOMER = _PAGE.format(owner="h.account_id = $1")
_PAGE_OF_GUEST = _PAGE.format(owner="h.token_hash = $1 AND h.merged_into_account_id IS NULL")


async def page(reader: Reader, *, account_id: int | None = None, token_hash: str | None = None, offset: int,
               limit: int) -> list:
    """Rows (entry_count, paused, product_id, viewed_at) of one page, newest first; one row with
    no product for an empty page of an existing history; no rows when there is no history."""
    if account_id is not None:
        return await reader.fetch(_PAGE_OF_CUSTOMER, account_id, offset, limit)
    return await reader.fetch(_PAGE_OF_GUEST, token_hash, offset, limit)


async def entry_counts(reader: Reader, account_ids: list[int]) -> dict[int, int]:
    rows = await reader.fetch("SELECT account_id, entry_count FROM browsing_histories"
                              " WHERE account_id = ANY($1::bigint[])", account_ids)
    return {r["account_id"]: r["entry_count"] for r in rows}


async def recent_product_ids(reader, account_id: int, limit: int) -> list[int]:
    rows = await reader.fetch(
        "SELECT v.product_id FROM browsing_histories h JOIN browsing_history_views v ON v.history_id = h.id"
        " WHERE h.account_id = $1 ORDER BY v.position DESC LIMIT $2", account_id, limit)
    return [r["product_id"] for r in rows]
