"""SQL of memberships: the live membership of an account (locked for a change), its charges
and its history. Times come from the caller (`clock.now()`), never from SQL's now(), so the
rules can be tested at any date."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.subscriptions.entities import Membership
from domain.subscriptions.statuses import LIVE, MembershipEventKind

_COLUMNS = ("id, account_id, plan::text AS plan, next_plan::text AS next_plan, status::text AS status, provider,"
            " payment_method_id, payment_method_brand, payment_method_last4, anchor_at, period_index,"
            " current_period_start, current_period_end, trial_ends_at, trial_reminded_at, next_attempt_at,"
            " failed_attempts, grace_started_at, cancelled_at, ends_at, benefit_used_at, created_at")
_LIVE_SQL = "status IN ({})".format(", ".join(f"'{s}'" for s in LIVE))


def _row(mapping) -> Membership:
    return Membership(**dict(mapping))


async def live_locked(session: AsyncSession, account_id: int) -> Membership | None:
    """The account's live membership, locked for the caller's change (changes of one account's
    membership run one after the other, the worker's renewal included)."""
    row = (await session.execute(text(f"SELECT {_COLUMNS} FROM memberships WHERE account_id = :a AND {_LIVE_SQL}"
                                      " FOR UPDATE"), {"a": account_id})).mappings().first()
    return None if row is None else _row(row)


async def locked_by_id(session: AsyncSession, membership_id: int) -> Membership:
    row = (await session.execute(text(f"SELECT {_COLUMNS} FROM memberships WHERE id = :id FOR UPDATE"),
                                 {"id": membership_id})).mappings().one()
    return _row(row)


async def had_trial(session: AsyncSession, account_id: int) -> bool:
    return bool((await session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM memberships WHERE account_id = :a AND trial_ends_at IS NOT NULL)"),
        {"a": account_id})).scalar())


async def insert(session: AsyncSession, values: dict) -> int | None:
    """A new live membership; None when the account has one already (a concurrent join that
    committed first: the unique index waits for it, then refuses this one)."""
    columns = ", ".join(values)
    params = ", ".join(f":{k}" if k not in ("plan", "status") else f"CAST(:{k} AS membership_{k})" for k in values)
    return (await session.execute(text(
        f"INSERT INTO memberships ({columns}) VALUES ({params}) ON CONFLICT (account_id) WHERE {_LIVE_SQL}"
        " DO NOTHING RETURNING id"), values)).scalar()


async def update(session: AsyncSession, membership_id: int, values: dict) -> None:
    casts = {"plan": "membership_plan", "next_plan": "membership_plan", "status": "membership_status"}
    sets = ", ".join(f"{k} = CAST(:{k} AS {casts[k]})" if k in casts else f"{k} = :{k}" for k in values)
    await session.execute(text(f"UPDATE memberships SET {sets} WHERE id = :id"), {**values, "id": membership_id})


async def add_event(session: AsyncSession, membership_id: int, kind: MembershipEventKind, status: str,
                    at: datetime, details: dict | None = None) -> None:
    await session.execute(text(
        "INSERT INTO membership_events (membership_id, kind, status, details, at) VALUES (:m,"
        " CAST(:k AS membership_event_kind), CAST(:s AS membership_status), CAST(:d AS jsonb), :at)"),
        {"m": membership_id, "k": kind.value, "s": status, "d": json.dumps(details or {}), "at": at})


async def add_charge(session: AsyncSession, values: dict) -> int:
    return (await session.execute(text(
        "INSERT INTO membership_charges (membership_id, plan, period_start, period_end, attempt, idempotency_key,"
        " amount_minor, currency, outcome, decline_code, provider_charge_id, created_at) VALUES (:membership_id,"
        " CAST(:plan AS membership_plan), :period_start, :period_end, :attempt, :idempotency_key, :amount_minor,"
        " :currency, CAST(:outcome AS membership_charge_outcome), :decline_code, :provider_charge_id, :created_at)"
        " RETURNING id"), values)).scalar_one()


async def paid_charge(session: AsyncSession, membership_id: int, period_start: datetime):
    """The successful charge of the period, if any."""
    return (await session.execute(text(
        "SELECT id, amount_minor, currency, refunded_minor, provider_charge_id, created_at FROM membership_charges"
        " WHERE membership_id = :m AND period_start = :p AND outcome = 'SUCCEEDED'"),
        {"m": membership_id, "p": period_start})).mappings().first()


async def record_refund(session: AsyncSession, charge_id: int, amount_minor: int, refund_id: str) -> None:
    await session.execute(text("UPDATE membership_charges SET refunded_minor = refunded_minor + :a,"
                               " provider_refund_id = :r WHERE id = :id"),
                          {"a": amount_minor, "r": refund_id, "id": charge_id})
