"""Database access: the declarative base, the write engine, and the lean read path.

Writes go through SQLAlchemy (`UnitOfWork`, one `AsyncSession` per use case). Hot read paths
use plain asyncpg rows through `Reader`, mapped straight into entity dataclasses, which skips
the ORM's per-row identity map and attribute instrumentation that a read-only page never needs.
"""
from __future__ import annotations

import asyncio
import contextvars
import json
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import orjson
from sqlalchemy import MetaData, event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from domain.shared.database_url import asyncpg_url, sqlalchemy_url

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@dataclass
class StatementCounter:
    """Counts SQL statements sent while it is the current counter (tests assert on it)."""

    count: int = 0
    statements: list[str] = field(default_factory=list)
    # The read statements' parameters, beside their text (benchmarks explain them again).
    arguments: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        self.count += 1
        self.statements.append(sql)
        self.arguments.append(args)


current_counter: contextvars.ContextVar[StatementCounter | None] = contextvars.ContextVar(
    "current_counter", default=None
)


def _count(sql: str, args: tuple[Any, ...] = ()) -> None:
    counter = current_counter.get()
    if counter is not None:
        counter.add(sql, args)


class Reader:
    """One read connection per request, taken from the pool on first use.

    GraphQL resolves sibling fields and DataLoader batches as concurrent tasks, and one
    connection cannot run two statements at once, so statements are serialized by a lock.
    """

    __slots__ = ("_pool", "_conn", "_lock")

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._conn: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        async with self._lock:
            if self._conn is None:
                self._conn = await self._pool.acquire()
            _count(sql, args)
            return await self._conn.fetch(sql, *args)

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        rows = await self.fetch(sql, *args)
        return rows[0] if rows else None

    @property
    def pool(self) -> asyncpg.Pool:
        return self._pool

    async def close(self) -> None:
        """Gives the connection back; a later statement takes one again."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await self._pool.release(conn)


class SessionReader:
    """Runs `Reader`-style SQL (asyncpg placeholders) on the connection of a use case's
    session, inside its transaction: the same read functions (ours and other contexts'
    services) serve the API's reads and the use cases, and see what the transaction wrote.
    The transaction must have started (the use case ran a statement through the session)."""

    __slots__ = ("_session", "_conn")

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._conn = None

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        if self._conn is None:
            connection = await self._session.connection()
            self._conn = (await connection.get_raw_connection()).driver_connection
        if not self._conn.is_in_transaction():
            raise RuntimeError("SessionReader used before the session's transaction started")
        _count(sql)
        return await self._conn.fetch(sql, *args)

    async def fetchrow(self, sql: str, *args: Any):
        rows = await self.fetch(sql, *args)
        return rows[0] if rows else None


class Database:
    """The engine (writes) and the asyncpg pool (reads) of one process."""

    def __init__(self, url: str, pool_size: int = 10, statement_timeout_ms: int = 5000) -> None:
        self.url = url
        self.pool_size = pool_size
        # A runaway statement is cancelled by the server instead of holding a connection.
        self.server_settings = {"statement_timeout": str(statement_timeout_ms),
                                "application_name": "tributary"}
        # hide_parameters: a statement's values (e-mails, password hashes) never reach an
        # exception's text, and so never a log or a stack trace.
        self.engine: AsyncEngine = create_async_engine(
            sqlalchemy_url(url), pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
            connect_args={"server_settings": self.server_settings}, hide_parameters=True,
        )
        event.listen(self.engine.sync_engine, "before_cursor_execute", _count_sqlalchemy)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._pool: asyncpg.Pool | None = None
        # Requests arriving together at a new process must share one pool: each making its own
        # would leave all but the last unreferenced and never closed, each keeping a connection
        # (and reconnecting it for ever once its database is gone).
        self._pool_lock = asyncio.Lock()

    async def read_pool(self) -> asyncpg.Pool:
        async with self._pool_lock:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    asyncpg_url(self.url), min_size=1, max_size=self.pool_size, init=_init_connection,
                    server_settings=self.server_settings, reset=_keep_session,
                )
        return self._pool

    async def reader(self) -> Reader:
        return Reader(await self.read_pool())

    async def ping(self) -> bool:
        pool = await self.read_pool()
        async with pool.acquire() as conn:
            return await conn.fetchval("SELECT 1") == 1

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
        await self.engine.dispose()


async def _keep_session(conn: asyncpg.Connection) -> None:
    """What the read pool does to a connection given back, besides what asyncpg always does (roll
    back a transaction left open, drop listener callbacks): nothing. Its connections only run
    single SELECTs (`Reader`), which leave no session state behind (no SET, LISTEN, cursor or
    advisory lock), so asyncpg's default reset, four statements in a round trip to the server
    before every request's connection is free again, had nothing to undo."""


async def _init_connection(conn: asyncpg.Connection) -> None:
    # orjson reads a page's JSON columns (a product's images and attributes, 100 products: 200
    # documents) in a third of the standard library's time.
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=orjson.loads, schema="pg_catalog")


def _count_sqlalchemy(conn, cursor, statement, parameters, context, executemany) -> None:
    _count(statement)
