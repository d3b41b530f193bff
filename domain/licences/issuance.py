"""Licences coming and going: issued when a digital order line is paid, revoked (a refund, a
withdrawn title), expired (a rental past its window). Each runs in the caller's transaction and
appends to the account's change log, so e-readers learn of it at their next sync."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import service as jobs
from domain.licences import changes
from domain.shared.config import get_settings

EXPIRY_JOB = "licences.expire_rental"

# What a licence is issued for: e-books, and videos bought to stream (discs are shipped).
LICENSABLE = "(p.kind = 'EBOOK' OR (p.kind = 'VIDEO' AND p.format = 'STREAMING'))"

# A line bought from a RENT offer (streaming videos only) is a rental: it must be started
# within RENTAL_START_DAYS, then plays for RENTAL_PLAY_HOURS (`playback.start_playback`).
RENTAL_START_DAYS = 30
RENTAL_PLAY_HOURS = 48

_ISSUE = text(
    "INSERT INTO licences (account_id, product_id, order_line_id, kind, device_limit, rental_expires_at)"
    " SELECT :account, line.product_id, line.id,"
    " CASE o.purchase_option WHEN 'RENT' THEN 'RENTAL' ELSE 'PURCHASE' END::licence_kind, :limit,"
    f" CASE o.purchase_option WHEN 'RENT' THEN now() + interval '{RENTAL_START_DAYS} days' END"
    " FROM unnest(CAST(:lines AS bigint[]), CAST(:products AS bigint[])) WITH ORDINALITY AS line(id, product_id, n)"
    " JOIN products p ON p.id = line.product_id"
    " JOIN order_lines ol ON ol.id = line.id JOIN offers o ON o.id = ol.offer_id"
    f" WHERE {LICENSABLE} ORDER BY line.n"
    " ON CONFLICT (order_line_id) WHERE order_line_id IS NOT NULL DO NOTHING"
    " RETURNING id, rental_expires_at")


async def issue_licences(session: AsyncSession, account_id: int, lines: Iterable[tuple[int, int]], *,
                         device_limit: int | None = None) -> list[int]:
    """Issues a licence to the account for each (order line id, product id) whose product is
    an e-book or a streaming video: a RENTAL (to start within RENTAL_START_DAYS; its expiry is
    scheduled) when the line was bought from a RENT offer, a PURCHASE otherwise; and records
    LICENCE_ADDED for each. An order line gets at most one licence ever: issuing again (a
    retried capture) issues nothing. Returns the ids of the licences issued now.
    `device_limit` defaults to the TRIBUTARY_LICENCE_DEVICE_LIMIT setting."""
    lines = list(lines)
    if not lines:
        return []
    limit = device_limit if device_limit is not None else get_settings().licence_device_limit
    rows = sorted((await session.execute(_ISSUE, {
        "account": account_id, "limit": limit, "lines": [line for line, _ in lines],
        "products": [product for _, product in lines]})).all())
    issued = [row.id for row in rows]
    await changes.record(session, account_id, [(licence_id, "LICENCE_ADDED") for licence_id in issued])
    for row in rows:
        if row.rental_expires_at is not None:
            await schedule_expiry(session, row.id, row.rental_expires_at)
    return issued


# Purchases loaded in bulk rather than paid through checkout: each delivered digital line from
# $1 on that was bought (not rented) gets its licence, dated when it was delivered, and its
# LICENCE_ADDED numbered after whatever the account's log holds, all in one statement.
_ISSUE_PAST = f"""
WITH issued AS (
  INSERT INTO licences (account_id, product_id, order_line_id, kind, device_limit, created_at, updated_at)
  SELECT o.account_id, line.product_id, line.id, 'PURCHASE', $2, s.delivered_at, s.delivered_at
  FROM order_lines line JOIN orders o ON o.id = line.order_id JOIN shipments s ON s.id = line.shipment_id
  JOIN products p ON p.id = line.product_id JOIN offers ofr ON ofr.id = line.offer_id
  WHERE line.id >= $1 AND s.status = 'DELIVERED' AND ofr.purchase_option = 'BUY' AND {LICENSABLE}
  ORDER BY o.account_id, line.id
  ON CONFLICT (order_line_id) WHERE order_line_id IS NOT NULL DO NOTHING
  RETURNING id, account_id, created_at),
logged AS (
  INSERT INTO library_changes (account_id, seq, licence_id, kind, created_at)
  SELECT i.account_id, coalesce(st.last_seq, 0) + row_number() OVER (PARTITION BY i.account_id ORDER BY i.id),
         i.id, 'LICENCE_ADDED', i.created_at
  FROM issued i LEFT JOIN library_sync_states st ON st.account_id = i.account_id
  RETURNING account_id, seq),
numbered AS (
  INSERT INTO library_sync_states (account_id, last_seq)
  SELECT account_id, max(seq) FROM logged GROUP BY account_id
  ON CONFLICT (account_id) DO UPDATE SET last_seq = excluded.last_seq)
SELECT count(*) FROM logged
"""


async def issue_past_purchases(conn: asyncpg.Connection, first_line_id: int, device_limit: int) -> int:
    """Issues what a purchase would have issued for the delivered e-book and streaming-video lines
    bought (not rented) from order line `first_line_id` on, loaded in bulk rather than paid
    through checkout (the demo customers' past orders): a PURCHASE licence per line, dated at its
    delivery, and its LICENCE_ADDED in the owner's change log, so the library and its sync show
    it. A line that has a licence gets no other. One statement on an asyncpg connection, in the
    caller's transaction; returns how many licences were issued. The accounts' change logs are
    numbered without the turn-taking of `changes.record`: only for accounts nobody else writes
    to meanwhile (customers being seeded)."""
    return await conn.fetchval(_ISSUE_PAST, first_line_id, device_limit)


async def schedule_expiry(session: AsyncSession, licence_id: int, at: datetime) -> None:
    """Queues the expiry of a rental at `at` (its deadline to start, or the end of its play
    window), in the caller's transaction; one job per licence and time."""
    await jobs.enqueue(session, EXPIRY_JOB, {"licenceId": licence_id}, run_at=at,
                       dedupe_key=f"{EXPIRY_JOB}:{licence_id}@{at.isoformat()}")


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


async def expire_licences(session: AsyncSession, now: datetime, licence_ids: Iterable[int] | None = None) -> int:
    """Expires the ACTIVE rentals that are over at `now` (the play window ended, or never started
    before the rental's deadline), all of them or those of `licence_ids`, and records
    LICENCE_EXPIRED for each; returns how many."""
    ids = None if licence_ids is None else sorted(set(licence_ids))
    rows = (await session.execute(text(
        "UPDATE licences SET status = 'EXPIRED', updated_at = now()"
        " WHERE kind = 'RENTAL' AND status = 'ACTIVE'"
        " AND (play_window_ends_at <= :now OR (play_window_ends_at IS NULL AND rental_expires_at <= :now))"
        " AND (CAST(:ids AS bigint[]) IS NULL OR id = ANY(CAST(:ids AS bigint[])))"
        " RETURNING id, account_id"), {"now": now, "ids": ids})).all()
    by_account: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_account[row.account_id].append(row.id)
    # Accounts in a fixed order: two expiry runs lock the accounts' change counters alike.
    for account_id in sorted(by_account):
        await changes.record(session, account_id,
                             [(licence_id, "LICENCE_EXPIRED") for licence_id in sorted(by_account[account_id])])
    return len(rows)


async def run_expiry_job(session: AsyncSession, licence_id: int) -> int:
    """The `licences.expire_rental` job: expires the rental if it is over by the database's
    clock, the one the job was due by. A rental started after this job was queued is not over
    yet: the job queued when its window started expires it."""
    now = (await session.execute(text("SELECT clock_timestamp()"))).scalar_one()
    return await expire_licences(session, now, [licence_id])
