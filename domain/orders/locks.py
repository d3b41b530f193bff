"""The order row lock every order use case takes first (then its shipments, lines or
requests): use cases on one order run one after the other, and always lock in the same
order, so they never deadlock."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class LockedOrder:
    id: int
    number: str
    account_id: int
    email: str
    currency: str
    status: str


async def lock_order(session: AsyncSession, order_id: int) -> LockedOrder | None:
    """The order's row, locked until the transaction ends (every order use case starts here)."""
    row = (await session.execute(text(
        "SELECT id, number, account_id, email, currency, status::text AS status FROM orders WHERE id = :id"
        " FOR UPDATE"), {"id": order_id})).one_or_none()
    return None if row is None else LockedOrder(*row)


async def lock_order_of_line(session: AsyncSession, order_line_id: int) -> LockedOrder | None:
    """The order an order line belongs to, locked by `lock_order` (None for no such line)."""
    order_id = (await session.execute(text("SELECT order_id FROM order_lines WHERE id = :id"),
                                      {"id": order_line_id})).scalar()
    return None if order_id is None else await lock_order(session, order_id)
