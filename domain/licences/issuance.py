"""Licences coming and going: issued when a digital order line is paid, revoked (a refund, a
withdrawn title), expired (a rental past its window). Each runs in the caller's transaction and
appends to the account's change log, so e-readers learn of it at their next sync."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.licences import changes
from domain.shared.config import get_settings

# What a licence is issued for: e-books, and videos bought to stream (discs are shipped).
LICENSABLE = "(p.kind = 'EBOOK' OR (p.kind = 'VIDEO' AND p.format = 'STREAMING'))"

_ISSUE = text(
    "INSERT INTO licences (account_id, product_id, order_line_id, kind, device_limit)"
    " SELECT :account, line.product_id, line.id, 'PURCHASE', :limit"
    " FROM unnest(CAST(:lines AS bigint[]), CAST(:products AS bigint[])) WITH ORDINALITY AS line(id, product_id, n)"
    f" JOIN products p ON p.id = line.product_id WHERE {LICENSABLE}"
    " ORDER BY line.n"
    " ON CONFLICT (order_line_id) WHERE order_line_id IS NOT NULL DO NOTHING RETURNING id")


async def issue_licences(session: AsyncSession, account_id: int, lines: Iterable[tuple[int, int]], *,
                         device_limit: int | None = None) -> list[int]:
    """Issues a PURCHASE licence to the account for each (order line id, product id) whose
    product is an e-book or a streaming video, and records LICENCE_ADDED for each. An order
    line gets at most one licence ever: issuing again (a retried capture) issues nothing.
    Returns the ids of the licences issued now. `device_limit` defaults to the
    TRIBUTARY_LICENCE_DEVICE_LIMIT setting."""
    lines = list(lines)
    if not lines:
        return []
    limit = device_limit if device_limit is not None else get_settings().licence_device_limit
    issued = sorted((await session.execute(_ISSUE, {
        "account": account_id, "limit": limit, "lines": [line for line, _ in lines],
        "products": [product for _, product in lines]})).scalars().all())
    await changes.record(session, account_id, [(licence_id, "LICENCE_ADDED") for licence_id in issued])
    return issued


async def revoke_licence(session: AsyncSession, licence_id: int, reason: str) -> bool:
    """Revokes a licence (a refund, a title withdrawn): it stops working on every device, whose
    slots are freed, and devices drop it at their next sync (LICENCE_REVOKED). Revoking a
    revoked licence changes nothing; returns whether it was revoked now."""
    row = (await session.execute(text(
        "UPDATE licences SET status = 'REVOKED', revoked_at = now(), revoke_reason = :reason, updated_at = now()"
        " WHERE id = :id AND status <> 'REVOKED' RETURNING account_id"),
        {"id": licence_id, "reason": reason})).one_or_none()
    if row is None:
        return False
    await session.execute(text(
        "UPDATE licence_activations SET deactivated_at = now() WHERE licence_id = :id AND deactivated_at IS NULL"),
        {"id": licence_id})
    await changes.record(session, row.account_id, [(licence_id, "LICENCE_REVOKED")])
    return True


async def expire_licences(session: AsyncSession, now: datetime) -> int:
    """Expires the ACTIVE rentals that are over at `now` (the play window ended, or never started
    before the rental's deadline) and records LICENCE_EXPIRED for each; returns how many."""
    rows = (await session.execute(text(
        "UPDATE licences SET status = 'EXPIRED', updated_at = now()"
        " WHERE kind = 'RENTAL' AND status = 'ACTIVE'"
        " AND (play_window_ends_at <= :now OR (play_window_ends_at IS NULL AND rental_expires_at <= :now))"
        " RETURNING id, account_id"), {"now": now})).all()
    by_account: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_account[row.account_id].append(row.id)
    # Accounts in a fixed order: two expiry runs lock the accounts' change counters alike.
    for account_id in sorted(by_account):
        await changes.record(session, account_id,
                             [(licence_id, "LICENCE_EXPIRED") for licence_id in sorted(by_account[account_id])])
    return len(rows)
