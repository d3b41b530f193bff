"""Keeping what is derived from offers (the search documents' price, stock and Prime facts)
in step with them, inside the transaction that changed the offers.

The search document of a product is computed from all its offers and their sellers'
standing. Two transactions refreshing the same product's document could each compute it
from a snapshot missing the other's change, and the later commit would win with stale
facts. So every marketplace write that changes a product's offers first takes a lock on the
product's row (`FOR NO KEY UPDATE`, which does not block offers referencing the product, nor
readers), in product id order: such writes on one product run one after the other, and each
refresh runs after the previous writer committed.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketplace import search_index


async def lock_products(session: AsyncSession, product_ids: Sequence[int]) -> dict[int, bool]:
    """Lock these products' rows in id order; {product id: archived} for those that exist."""
    rows = (await session.execute(text(
        "SELECT id, archived_at IS NOT NULL AS archived FROM products"
        " WHERE id = ANY(CAST(:ids AS bigint[])) ORDER BY id FOR NO KEY UPDATE"),
        {"ids": sorted(set(product_ids))})).all()
    return {r.id: r.archived for r in rows}


async def refresh_search(session: AsyncSession, product_ids: Sequence[int]) -> None:
    """Refresh the search documents of these products in the caller's transaction (after its
    offer writes, which the refresh must see)."""
    ids = sorted(set(product_ids))
    if not ids:
        return
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    await search_index.refresh(raw.driver_connection, ids)
