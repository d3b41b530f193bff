"""Reads of memberships, for the API and for other contexts: the benefits an account enjoys
now, the membership as its owner sees it, and its history. Each takes a `Reader` (read paths)
or a use case's `AsyncSession` (read in its transaction) and is one statement."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared import clock
from domain.shared.config import Settings
from domain.shared.db import Reader
from domain.shared.money import Money
from domain.shared.pagination import Page, PageRequest, page_from_rows
from domain.subscriptions import plans
from domain.subscriptions.statuses import MembershipStatus


@dataclass(frozen=True, slots=True)
class MembershipBenefits:
    """What an account's membership gives it now. `free_two_day`: TWO_DAY delivery costs
    nothing on Prime-eligible (platform-fulfilled) items, whatever the order size.
    `benefits_end_at`: when they end if nothing changes (a cancelled membership's end); None
    while the membership renews."""

    is_member: bool = False
    free_two_day: bool = False
    member_prices: bool = False
    digital_catalogue: bool = False
    plan: str | None = None
    benefits_end_at: datetime | None = None


NOT_A_MEMBER = MembershipBenefits()

# A member: trial, paid, in grace (a declined renewal being retried keeps the benefits until it
# lapses), or cancelled and not over yet.
_BENEFITS = ("SELECT plan::text AS plan, ends_at FROM memberships WHERE account_id = $1"
             " AND status IN ('TRIAL', 'ACTIVE', 'GRACE', 'CANCELLED') AND (ends_at IS NULL OR ends_at > $2)")


async def _fetch(reader_or_session: Any, sql: str, *args: Any) -> list:
    """Rows of `sql` (asyncpg placeholders) from a `Reader`, or in a use case's transaction from
    its session (which may not have sent a statement yet)."""
    if not isinstance(reader_or_session, AsyncSession):
        return await reader_or_session.fetch(sql, *args)
    named = re.sub(r"\$(\d+)", r":p\1", sql)
    result = await reader_or_session.execute(text(named), {f"p{n}": arg for n, arg in enumerate(args, 1)})
    return result.mappings().all()


async def _fetchrow(reader_or_session: Any, sql: str, *args: Any):
    rows = await _fetch(reader_or_session, sql, *args)
    return rows[0] if rows else None


async def membership_benefits(reader_or_session: Any, account_id: int | None, *,
                              at: datetime | None = None) -> MembershipBenefits:
    """The benefits the account enjoys at `at` (now by default): a member (see `_BENEFITS`)
    has them all. Anonymous callers cost no statement; others one, on the live-membership
    index."""
    if account_id is None:
        return NOT_A_MEMBER
    row = await _fetchrow(reader_or_session, _BENEFITS, account_id, at or clock.now())
    if row is None:
        return NOT_A_MEMBER
    return MembershipBenefits(is_member=True, free_two_day=True, member_prices=True, digital_catalogue=True,
                              plan=row["plan"], benefits_end_at=row["ends_at"])


@dataclass(frozen=True, slots=True)
class MembershipView:
    """A membership as its owner (or an administrator) sees it."""

    id: int
    plan: str
    next_plan: str | None
    status: str
    in_trial: bool
    trial_ends_at: datetime | None
    current_period_start: datetime
    current_period_end: datetime
    next_charge_at: datetime | None
    next_charge_amount: Money | None
    ends_at: datetime | None
    cancelled_at: datetime | None
    payment_method_brand: str | None
    payment_method_last4: str | None
    created_at: datetime
    is_member: bool


_LATEST = ("SELECT id, plan::text AS plan, next_plan::text AS next_plan, status::text AS status, trial_ends_at,"
           " period_index, current_period_start, current_period_end, next_attempt_at, ends_at, cancelled_at,"
           " payment_method_brand, payment_method_last4, created_at FROM memberships WHERE account_id = $1"
           " ORDER BY id DESC LIMIT 1")


async def membership_of(reader_or_session: Any, settings: Settings, account_id: int) -> MembershipView | None:
    """The account's latest membership (live, or the last one that ended), None if it never
    joined. A cancelled membership past its end shows as ENDED before the worker closes it."""
    row = await _fetchrow(reader_or_session, _LATEST, account_id)
    if row is None:
        return None
    now = clock.now()
    status = row["status"]
    if status == MembershipStatus.CANCELLED and row["ends_at"] <= now:
        status = MembershipStatus.ENDED
    renewing = row["next_attempt_at"] is not None
    amount = plans.plan_of(settings, row["next_plan"] or row["plan"]).price if renewing else None
    return MembershipView(
        id=row["id"], plan=row["plan"], next_plan=row["next_plan"], status=status,
        in_trial=status == MembershipStatus.TRIAL or (
            status == MembershipStatus.CANCELLED and row["period_index"] == 0),
        trial_ends_at=row["trial_ends_at"], current_period_start=row["current_period_start"],
        current_period_end=row["current_period_end"], next_charge_at=row["next_attempt_at"],
        next_charge_amount=amount, ends_at=row["ends_at"], cancelled_at=row["cancelled_at"],
        payment_method_brand=row["payment_method_brand"], payment_method_last4=row["payment_method_last4"],
        created_at=row["created_at"],
        is_member=status in (MembershipStatus.TRIAL, MembershipStatus.ACTIVE, MembershipStatus.GRACE,
                             MembershipStatus.CANCELLED))


@dataclass(frozen=True, slots=True)
class MembershipEventView:
    kind: str
    status: str
    at: datetime
    details: dict


async def history(reader_or_session: Any, membership_id: int) -> list[MembershipEventView]:
    """The membership's history, oldest first (what happened and the status it left)."""
    rows = await _fetch(
        reader_or_session,
        "SELECT kind::text AS kind, status::text AS status, at, details FROM membership_events"
        " WHERE membership_id = $1 ORDER BY id", membership_id)
    return [MembershipEventView(r["kind"], r["status"], r["at"], _json(r["details"])) for r in rows]


async def history_page(reader: Reader, membership_id: int, page: PageRequest) -> Page[MembershipEventView]:
    """One page of the membership's history, newest first (one statement)."""
    rows = await reader.fetch(
        "SELECT kind::text AS kind, status::text AS status, at, details, count(*) OVER () AS total"
        " FROM membership_events WHERE membership_id = $1 ORDER BY id DESC OFFSET $2 LIMIT $3",
        membership_id, page.offset, page.limit + 1)
    events = [MembershipEventView(r["kind"], r["status"], r["at"], _json(r["details"])) for r in rows]
    total = rows[0]["total"] if rows else None
    if total is None:  # an empty page: none at all, or past the end
        total = 0 if page.offset == 0 else (await reader.fetchrow(
            "SELECT count(*) FROM membership_events WHERE membership_id = $1", membership_id))[0]
    return page_from_rows(events, page, total)


def _json(value) -> dict:
    return json.loads(value) if isinstance(value, str) else dict(value)
