"""Migrations upgrade from empty to head, downgrade back to empty, and match the models."""
import asyncio
import uuid

import asyncpg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from domain.models import metadata
from domain.shared.database_url import sqlalchemy_url
from migrations.runner import downgrade, upgrade
from tests.conftest import create_database, drop_database


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        types = await conn.fetch(
            "SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
            " WHERE n.nspname = 'public' AND t.typtype = 'e'")
    finally:
        await conn.close()
    return {r[0] for r in rows} | {f"type:{r[0]}" for r in types}


async def _pending_diff(url: str) -> list:
    engine = create_async_engine(sqlalchemy_url(url), hide_parameters=True)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    finally:
        await engine.dispose()


async def test_upgrade_to_head_then_downgrade_to_base_leaves_nothing():
    name = f"tributary_migr_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    try:
        await asyncio.to_thread(upgrade, url)
        assert {"products", "offers", "sellers", "search_documents"} <= await _tables(url)
        assert await _pending_diff(url) == []
        await asyncio.to_thread(downgrade, url, "base")
        assert await _tables(url) == {"alembic_version"}
        await asyncio.to_thread(upgrade, url)
        assert "products" in await _tables(url)
    finally:
        await drop_database(name)
