"""SQL of Subscribe & Save subscriptions and their deliveries."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.subscriptions.subscribe_and_save.entities import COLUMNS, Subscription

# A per-account transaction lock (advisory, namespaced): the scheduler handles all of an
# account's due deliveries together, so a customer's deliveries of one day become one order
# even with several schedulers running. Accounts another scheduler holds are skipped.
LOCK_NAMESPACE = 0x5A5E
_DUE_ACCOUNTS = text(
    "SELECT account_id FROM (SELECT DISTINCT account_id FROM subscriptions WHERE status = 'ACTIVE'"
    " AND next_delivery_date <= :today AND (payment_retry_at IS NULL OR payment_retry_at <= :now)"
    " ORDER BY account_id) due"
    " WHERE pg_try_advisory_xact_lock(:ns, (account_id % 2147483647)::int) LIMIT :limit")
_DUE_OF = text(f"SELECT {COLUMNS} FROM subscriptions WHERE account_id = :account AND status = 'ACTIVE'"
               " AND next_delivery_date <= :today AND (payment_retry_at IS NULL OR payment_retry_at <= :now)"
               " ORDER BY next_delivery_date, id FOR UPDATE")
_TO_REMIND = text(
    f"SELECT {COLUMNS} FROM subscriptions WHERE status = 'ACTIVE' AND next_delivery_date > :today"
    " AND next_delivery_date <= :until AND reminded_for IS DISTINCT FROM next_delivery_date"
    " ORDER BY account_id, next_delivery_date, id LIMIT :limit FOR UPDATE SKIP LOCKED")


async def create(session: AsyncSession, values: dict) -> int:
    names = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    return (await session.execute(text(f"INSERT INTO subscriptions ({names}) VALUES ({params}) RETURNING id"),
                                  values)).scalar_one()


async def due_accounts(session: AsyncSession, today: date, limit: int, now: datetime) -> list[int]:
    """Up to `limit` accounts with deliveries due by `today` (a declined one: once its retry time
    has come), each locked for this transaction."""
    rows = await session.execute(_DUE_ACCOUNTS, {"today": today, "limit": limit, "ns": LOCK_NAMESPACE, "now": now})
    return list(rows.scalars())


async def due_of(session: AsyncSession, account_id: int, today: date, now: datetime) -> list[Subscription]:
    """The account's subscriptions due by `today`, locked, read after the account's lock: one a
    concurrent scheduler delivered first is no longer due."""
    rows = await session.execute(_DUE_OF, {"account": account_id, "today": today, "now": now})
    return [Subscription(*row) for row in rows]


async def to_remind(session: AsyncSession, today: date, until: date, limit: int) -> list[Subscription]:
    rows = await session.execute(_TO_REMIND, {"today": today, "until": until, "limit": limit})
    return [Subscription(*row) for row in rows]


async def by_id(session: AsyncSession, subscription_id: int, *, lock: bool = False) -> Subscription | None:
    row = (await session.execute(text(f"SELECT {COLUMNS} FROM subscriptions WHERE id = :id"
                                      + (" FOR UPDATE" if lock else "")), {"id": subscription_id})).one_or_none()
    return None if row is None else Subscription(*row)


async def update(session: AsyncSession, subscription_id: int, values: dict) -> None:
    if "next_delivery_date" in values:  # another delivery: its payment has not failed yet
        values = {"payment_failures": 0, "payment_retry_at": None, **values}
    sets = ", ".join(f"{name} = :{name}" for name in values)
    await session.execute(text(f"UPDATE subscriptions SET {sets} WHERE id = :id"), {**values, "id": subscription_id})


async def add_delivery(session: AsyncSession, subscription_id: int, due: date, outcome: str, now: datetime, *,
                       order_id: int | None = None, unit_price_minor: int | None = None,
                       reason: str | None = None) -> int | None:
    """Records what became of one due delivery; None when it was recorded already (the unique
    (subscription, due date) makes a second placement impossible)."""
    return (await session.execute(text(
        "INSERT INTO subscription_deliveries (subscription_id, due_date, outcome, order_id, unit_price_minor, reason,"
        " created_at) VALUES (:subscription, :due, CAST(:outcome AS subscription_delivery_outcome), :order, :unit,"
        " :reason, :now) ON CONFLICT (subscription_id, due_date) DO NOTHING RETURNING id"),
        {"subscription": subscription_id, "due": due, "outcome": outcome, "order": order_id, "unit": unit_price_minor,
         "reason": reason, "now": now})).scalar_one_or_none()


async def delivery_recorded(session: AsyncSession, subscription_id: int, due: date) -> bool:
    return await delivery_outcome(session, subscription_id, due) is not None


async def delivery_outcome(session: AsyncSession, subscription_id: int, due: date) -> str | None:
    """What became of the delivery due that day (PLACED, SKIPPED...), or None before it is recorded."""
    return (await session.execute(text("SELECT outcome::text FROM subscription_deliveries WHERE subscription_id ="
                                       " :subscription AND due_date = :due"),
                                  {"subscription": subscription_id, "due": due})).scalar()
