"""What orders need to know to take an e-book back: the licence with its order line, its
title's kind and size in locations, and how far its owner has read (the furthest position
ever reported). Orders decide; licences only answer and revoke (`issuance.revoke_licence`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class LicenceForReturn:
    id: int
    account_id: int
    kind: str
    status: str
    order_line_id: int | None
    product_id: int
    product_kind: str
    created_at: datetime
    furthest_position: int
    location_count: int | None

    @property
    def percent_read(self) -> float:
        """How much of the title was reached, 0-100, one decimal (no reading state: 0)."""
        if not self.location_count:
            return 0.0
        return min(100.0, round(100 * self.furthest_position / self.location_count, 1))

    def read_more_than(self, percent: int) -> bool:
        """Whether the furthest position is past `percent` of the title, compared exactly."""
        if not self.location_count:
            return False
        return self.furthest_position * 100 > percent * self.location_count


_READ = ("SELECT l.id, l.account_id, l.kind::text AS kind, l.status::text AS status, l.order_line_id, l.product_id,"
         " p.kind::text AS product_kind, l.created_at, coalesce(s.furthest_position, 0) AS furthest_position,"
         " c.location_count FROM licences l JOIN products p ON p.id = l.product_id"
         " LEFT JOIN digital_contents c ON c.product_id = l.product_id"
         " LEFT JOIN reading_states s ON s.licence_id = l.id WHERE l.id = :id")


async def licence_for_return(session: AsyncSession, licence_id: int, *, lock: bool = False) -> LicenceForReturn | None:
    """The licence as a return sees it, or None. `lock` holds the licence's row until the
    transaction ends (a revocation or a reading batch on it waits), and reads it after taking
    the lock, so it sees what whoever held it before committed."""
    if lock:
        found = (await session.execute(text("SELECT id FROM licences WHERE id = :id FOR UPDATE"),
                                       {"id": licence_id})).scalar()
        if found is None:
            return None
    row = (await session.execute(text(_READ), {"id": licence_id})).one_or_none()
    return None if row is None else LicenceForReturn(*row)
