"""Migrations upgrade from empty to head, downgrade back to empty, and match the models."""
import asyncio
import uuid

import asyncpg
import pytest
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


_BEFORE_DISCS_PHYSICAL = "3c5e7a9b1d2f"
_DISC_ROWS = """
INSERT INTO categories (id, name, slug, path) VALUES (1, 'Movies', 'movies', '1');
INSERT INTO products (id, slug, title, kind, format, category_id) VALUES
  (1, 'a-dvd', 'A DVD', 'VIDEO', 'DVD', 1), (2, 'a-stream', 'A Stream', 'VIDEO', 'STREAMING', 1);
INSERT INTO sellers (id, slug, name) VALUES (1, 'one', 'One'), (2, 'two', 'Two');
INSERT INTO offers (seller_id, product_id, condition, fulfilment, price_minor, quantity) VALUES
  (1, 1, 'USED', 'MERCHANT', 100, 3), (2, 1, 'NEW', 'MERCHANT', 1500, 3);
INSERT INTO search_documents (product_id, title, kind, format, category_path, min_price_minor, created_at, document)
SELECT id, title, kind, format, '1', CASE id WHEN 1 THEN 100 END, now(), to_tsvector(title) FROM products;
"""


async def test_discs_become_physical_and_documents_get_the_featured_price_and_back():
    name = f"tributary_migr_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    try:
        await asyncio.to_thread(upgrade, url, _BEFORE_DISCS_PHYSICAL)
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(_DISC_ROWS)
            await asyncio.to_thread(upgrade, url)
            kinds = await conn.fetch("SELECT p.kind::text, d.kind::text, d.price_minor FROM products p"
                                     " JOIN search_documents d ON d.product_id = p.id ORDER BY p.id")
            with pytest.raises(asyncpg.CheckViolationError):
                await conn.execute("UPDATE products SET kind = 'VIDEO' WHERE id = 1")
            await asyncio.to_thread(downgrade, url, _BEFORE_DISCS_PHYSICAL)
            back = await conn.fetch("SELECT p.kind::text, d.kind::text, d.min_price_minor FROM products p"
                                    " JOIN search_documents d ON d.product_id = p.id ORDER BY p.id")
        finally:
            await conn.close()
    finally:
        await drop_database(name)
    # the DVD ships: PHYSICAL, priced at its new featured offer (not the used copy); the stream stays VIDEO
    assert [tuple(r) for r in kinds] == [("PHYSICAL", "PHYSICAL", 1500), ("VIDEO", "VIDEO", None)]
    assert [tuple(r) for r in back] == [("VIDEO", "VIDEO", 100), ("VIDEO", "VIDEO", None)]
