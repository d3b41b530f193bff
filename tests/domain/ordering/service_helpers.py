"""Shared steps of customer-service tests: accounts and principals, orders whose shipments
were captured and shipped or delivered (as the shipping use case leaves them), a use case run
in its own committed transaction, and the rows a refused call must leave as they were."""
from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy import text

from domain.ordering import order_events, settlement
from domain.shared.db import Database
from domain.shared.principal import Principal
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import fetch, fetchval

_n = itertools.count(1)



async def new_customer(db: Database, name: str = "buyer") -> Principal:
    account_id = await fetchval(db, "INSERT INTO accounts (email, display_name, password_hash) VALUES ($1, 'A', 'x')"
                                    " RETURNING id", f"{name}-{next(_n)}@example.com")
    return Principal(account_id=account_id)


async def new_admin(db: Database) -> Principal:
    customer = await new_customer(db, "admin")
    return Principal(account_id=customer.account_id, is_admin=True)


async def committed(db: Database, use_case: Callable[..., Awaitable]):
    """Run `use_case(session)` in one unit of work and commit it (a failure rolls back)."""
    async with UnitOfWork(db) as uow:
        result = await use_case(uow.session)
        await uow.commit()
    return result


async def ship(db: Database, provider, shipment_ids: list[int], *, status: str = "DELIVERED",
               delivered_at: datetime | None = None) -> None:
    """Captures the shipments and marks them shipped (or delivered, at `delivered_at`, now by
    default)."""
    async with UnitOfWork(db) as uow:
        s = uow.session
        for shipment_id in shipment_ids:
            await settlement.capture_shipment(s, provider, shipment_id)
            await s.execute(text(
                "UPDATE shipments SET status = CAST(:status AS shipment_status), shipped_at = coalesce(:at, now()),"
                " delivered_at = CASE WHEN :status = 'DELIVERED' THEN coalesce(:at, now()) END WHERE id = :id"),
                {"status": status, "at": delivered_at, "id": shipment_id})
        order_ids = (await s.execute(text("SELECT DISTINCT order_id FROM shipments WHERE id = ANY(:ids)"),
                                     {"ids": shipment_ids})).scalars().all()
        for order_id in order_ids:
            await order_events.refresh_status(s, order_id)
        await uow.commit()


TABLES = ("orders", "shipments", "order_lines", "order_events", "return_requests", "return_request_lines",
          "order_refunds", "payments", "payment_transactions", "seller_ledger_entries", "product_review_flags",
          "jobs", "offers", "test_provider_operations")


async def snapshot(db: Database, tables: Sequence[str] = TABLES) -> dict:
    """Every row a customer-service use case may write (or of `tables`), to compare before and
    after a refusal; rows in the order of their first two columns (the key)."""
    return {table: [dict(r) for r in await fetch(db, f"SELECT * FROM {table} ORDER BY 1, 2")] for table in tables}
