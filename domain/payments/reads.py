"""Reading payments: in the caller's transaction, and in batches for the API's loaders."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.entities import PAYMENT_COLUMNS, TRANSACTION_COLUMNS, Payment, PaymentTransaction
from domain.shared.db import Reader


async def payment_in_session(session: AsyncSession, payment_id: int) -> Payment | None:
    row = (await session.execute(text(f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = :id"),
                                 {"id": payment_id})).one_or_none()
    return None if row is None else Payment(*row)


async def payments_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Payment]:
    """Payments by id, for loaders; whoever shows them checks who may see them (the order's
    customer, administrators)."""
    rows = await reader.fetch(f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: Payment(*r) for r in rows}


async def payments_for_orders(reader: Reader, order_ids: Sequence[int]) -> dict[int, list[Payment]]:
    rows = await reader.fetch(f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE order_id = ANY($1::bigint[]) ORDER BY id",
                              list(order_ids))
    found: dict[int, list[Payment]] = {pk: [] for pk in order_ids}
    for r in rows:
        found[r["order_id"]].append(Payment(*r))
    return found


async def transactions_of(session: AsyncSession, payment_id: int) -> list[PaymentTransaction]:
    """A payment's operations, oldest first."""
    rows = (await session.execute(text(
        f"SELECT {TRANSACTION_COLUMNS} FROM payment_transactions WHERE payment_id = :id ORDER BY id"),
        {"id": payment_id})).all()
    return [PaymentTransaction(*r) for r in rows]
