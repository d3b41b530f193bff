"""Which sellers offer a product: those concerned by what happens to it (a review written of it
reaches their webhooks)."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def sellers_offering(session: AsyncSession, product_id: int) -> list[int]:
    """The sellers with a live offer of the product, in the caller's transaction."""
    rows = await session.execute(text(
        "SELECT DISTINCT seller_id FROM offers WHERE product_id = :product AND archived_at IS NULL ORDER BY seller_id"),
        {"product": product_id})
    return [r.seller_id for r in rows]
