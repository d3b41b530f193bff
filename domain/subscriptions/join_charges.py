"""The first charge of a Prime join, safe to retry.

A join asks the provider to save the card and charge the first period, then commits the
membership; the provider commits on its own. A join whose transaction dies after the charge (a
crash, a lost connection, a failure in a later statement) must neither leave the money taken
with no membership nor charge twice when the customer tries again. So, before the provider is
asked, the charge is recorded in `prime_join_charges` in a transaction of its own, committed at
once, with its idempotency key:

- the join settles it (JOINED) in its own transaction, with the membership;
- a join retried after a failure (same account, same plan) takes the unsettled record and its
  key: the provider answers with the first charge (`charging.charge_once` reads it back when
  the card differs, as every retry saves the card anew), and that charge pays the membership;
  a first answer that was a decline is settled DECLINED and the retry charges its own card
  under a key of its own;
- what no join claimed within `SETTLE_AFTER` (the customer gave up, or joined on the other plan)
  is settled by the worker's sweep: a charge the provider made is refunded in full (REFUNDED),
  else there is nothing to undo (NOT_CHARGED, DECLINED).

We complete on retry rather than refund at once because the customer retrying wants exactly
that membership, paid once; the refund is for the charge nobody came back for. The record's row
lock orders a join and the sweep: the join holds it until its commit, the sweep skips locked
rows and re-reads the outcome."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from domain.payments.provider import PaymentProvider, PaymentProviderError
from domain.shared.money import Money

log = logging.getLogger("tributary.memberships")

# A join takes seconds; an hour leaves any join still running (or retried at once) alone.
SETTLE_AFTER = timedelta(hours=1)

_UNSETTLED = text("SELECT idempotency_key, amount_minor, currency FROM prime_join_charges WHERE account_id = :a"
                  " AND plan = CAST(:p AS membership_plan) AND settled_at IS NULL ORDER BY created_at LIMIT 1"
                  " FOR UPDATE")
_RECORD = text("INSERT INTO prime_join_charges (idempotency_key, account_id, plan, amount_minor, currency, created_at)"
               " VALUES (:k, :a, CAST(:p AS membership_plan), :m, :c, :at)")
_LOCK = text("SELECT idempotency_key FROM prime_join_charges WHERE idempotency_key = :k FOR UPDATE")
_SETTLE = text("UPDATE prime_join_charges SET settled_at = :at, outcome = :o, membership_id = :mid,"
               " provider_refund_id = :r WHERE idempotency_key = :k")
_FORSAKEN = text("SELECT idempotency_key FROM prime_join_charges WHERE settled_at IS NULL AND created_at <= :cutoff"
                 " ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED")


async def key_for(session: AsyncSession, account_id: int, plan: str, price: Money, now: datetime) -> str:
    """The key to charge the join's first period under, locked until the caller's commit: the
    unsettled one a failed join of this plan left, or a new one, recorded and committed first."""
    row = (await session.execute(_UNSETTLED, {"a": account_id, "p": plan})).first()
    if row is not None:
        return row.idempotency_key
    key = f"prime-join:{account_id}:{uuid.uuid4().hex}"
    bind = session.bind
    engine = bind.engine if isinstance(bind, AsyncConnection) else bind
    # Its own transaction, committed before the provider is asked: whatever becomes of the
    # caller's, the record of what we asked the provider stays.
    async with engine.begin() as own:
        await own.execute(_RECORD, {"k": key, "a": account_id, "p": plan, "m": price.minor, "c": price.currency,
                                    "at": now})
    await session.execute(_LOCK, {"k": key})
    return key


async def settle(session: AsyncSession, key: str, outcome: str, now: datetime, *, membership_id: int | None = None,
                 refund_id: str | None = None) -> None:
    await session.execute(_SETTLE, {"k": key, "o": outcome, "at": now, "mid": membership_id, "r": refund_id})


async def settle_forsaken(session: AsyncSession, provider: PaymentProvider, now: datetime, limit: int) -> int:
    """The worker's part: settles join charges no join claimed within SETTLE_AFTER, refunding
    what the provider charged. Returns how many were refunded; a provider failure leaves the
    record for the next run."""
    refunded = 0
    keys = (await session.execute(_FORSAKEN, {"cutoff": now - SETTLE_AFTER, "limit": limit})).scalars().all()
    for key in keys:
        try:
            async with session.begin_nested():
                first = await provider.find_charge(key)
                if first is None or first.charge_id is None:
                    await settle(session, key, "NOT_CHARGED" if first is None else "DECLINED", now)
                    continue
                refund = await provider.refund(first.charge_id, first.amount, f"{key}:refund")
                await settle(session, key, "REFUNDED", now, refund_id=refund.id)
                refunded += 1
        except PaymentProviderError:
            log.warning("a forsaken Prime join charge: the payment provider failed; left for the next run")
    return refunded
