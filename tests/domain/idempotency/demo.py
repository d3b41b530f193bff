"""A stand-in for `placeOrder`, in tables of the test's own: an idempotent use case that writes an
order and reserves stock in one transaction, the way the real one will use the idempotency API."""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg
from sqlalchemy import text

from domain.idempotency import service as idempotency
from domain.shared.db import Database
from domain.shared.errors import DomainError
from domain.shared.unit_of_work import UnitOfWork

OPERATION = "demo.placeOrder"
STOCK = 100
# The chaos gate: the use case reserves stock after writing its order, so a test holding this
# row stops it with the key claimed and the order written, before the commit.
STOCK_LOCK = "SELECT 1 FROM demo_stock WHERE id = 1 FOR UPDATE"


class Declined(DomainError):
    code = "PAYMENT_DECLINED"


@dataclass(frozen=True)
class Answer:
    order_id: int
    replayed: bool


async def create_tables(database: Database) -> None:
    conn = await asyncpg.connect(database.url)
    try:
        await conn.execute(f"""
            CREATE TABLE demo_stock (id int PRIMARY KEY, available int NOT NULL CHECK (available >= 0));
            INSERT INTO demo_stock VALUES (1, {STOCK});
            CREATE TABLE demo_orders (id bigserial PRIMARY KEY, scope text NOT NULL, item text NOT NULL,
                                      quantity int NOT NULL)""")
    finally:
        await conn.close()


async def place_order(database: Database, *, key: str = "key-1", scope: str = "account:1", item: str = "book",
                      quantity: int = 1, fail: bool = False, keep_changes: bool = False, release: bool = False,
                      steps: list[str] | None = None, pause: Callable[[], Awaitable[None]] | None = None) -> Answer:
    """Runs like a mutation (`api.core.mutations.run`): one transaction, committed on success, rolled
    back on a domain error unless it keeps its changes. `fail` declines after the writes;
    `steps` records how far it got; `pause` is awaited between the last write and the commit."""
    steps = steps if steps is not None else []
    async with UnitOfWork(database) as uow:
        session = uow.session
        try:
            outcome = await idempotency.claim(session, scope, OPERATION, key, {"item": item, "quantity": quantity})
            if isinstance(outcome, idempotency.Replay):
                steps.append("replayed")
                return Answer(outcome.response["orderId"], replayed=True)
            steps.append("claimed")
            order_id = (await session.execute(
                text("INSERT INTO demo_orders (scope, item, quantity) VALUES (:scope, :item, :quantity) RETURNING id"),
                {"scope": scope, "item": item, "quantity": quantity})).scalar_one()
            steps.append("order written")
            await session.execute(text("UPDATE demo_stock SET available = available - :q WHERE id = 1"),
                                  {"q": quantity})
            steps.append("stock reserved")
            if fail:
                if release:
                    await idempotency.release(session, outcome)
                raise Declined("The card was declined.", keep_changes=keep_changes)
            await idempotency.complete(session, outcome, {"orderId": order_id})
            if pause is not None:
                await pause()
        except DomainError as error:
            if error.keep_changes:
                await uow.commit()
            raise
        await uow.commit()
        steps.append("committed")
    return Answer(order_id, replayed=False)


async def state(database: Database) -> dict:
    """What the database kept: orders, stock left, and idempotency keys."""
    conn = await asyncpg.connect(database.url)
    try:
        orders = [tuple(r) for r in await conn.fetch("SELECT id, scope, item, quantity FROM demo_orders ORDER BY id")]
        available = await conn.fetchval("SELECT available FROM demo_stock WHERE id = 1")
        keys = [dict(r) for r in await conn.fetch(
            "SELECT scope, operation, key, status, response, request_hash FROM idempotency_keys ORDER BY scope, key")]
    finally:
        await conn.close()
    for key in keys:  # asyncpg returns jsonb as text
        key["response"] = None if key["response"] is None else json.loads(key["response"])
    return {"orders": orders, "available": available, "keys": keys}
