"""The per-account change log e-readers sync from.

Every write that changes what an e-reader must know (a licence added, revoked or expired, a
title's metadata, reading state or annotations) appends a change in its own transaction with
`record`. Changes are numbered per account through the account's `library_sync_states` row,
locked until commit: two transactions numbering changes for one account take turns, so
numbers are given in commit order. A reader that has seen every change up to n therefore
never finds, later, a committed change numbered n or below: "changes after n" has no gap.

A change made by a device's own write (a reading position, an annotation) names that device
(`origin_device_id`), so the device can skip what it already has; the service's own changes
(a purchase, a refund, a licence expiring) name none.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import outbox
from domain.events.kinds import EventKind
from domain.licences.statuses import LibraryChangeKind

_NEXT = text(
    "INSERT INTO library_sync_states (account_id, last_seq) VALUES (:account, :count)"
    " ON CONFLICT (account_id) DO UPDATE SET last_seq = library_sync_states.last_seq + :count"
    " RETURNING last_seq")


async def record(session: AsyncSession, account_id: int, changes: Iterable[tuple[int, str]],
                 origin_device_id: int | None = None) -> int:
    """Appends changes ((licence id, kind), in order) to the account's log, made by the device
    `origin_device_id` (None: by the service); returns the last number given (0 when there was
    nothing to record): the first change is numbered last - len(changes) + 1."""
    changes = list(changes)
    if not changes:
        return 0
    for _, kind in changes:
        if kind not in set(LibraryChangeKind):
            raise ValueError(f"unknown library change kind {kind!r}")
    last = (await session.execute(_NEXT, {"account": account_id, "count": len(changes)})).scalar_one()
    first = last - len(changes) + 1
    await session.execute(text(
        "INSERT INTO library_changes (account_id, seq, licence_id, kind, origin_device_id)"
        " SELECT :account, :first + n - 1, licence, CAST(kind AS library_change_kind), CAST(:origin AS bigint)"
        " FROM unnest(CAST(:licences AS bigint[]), CAST(:kinds AS text[])) WITH ORDINALITY AS c(licence, kind, n)"),
        {"account": account_id, "first": first, "origin": origin_device_id, "licences": [c[0] for c in changes],
         "kinds": [c[1] for c in changes]})
    await outbox.publish(session, EventKind.LIBRARY_CHANGED, account_id, customer_id=account_id, data={"seq": last})
    return last
