"""Subscriptions use cases, as other contexts call them (Prime membership, Subscribe & Save).

Memberships do not exist yet: every account is "not a member", which other contexts ask about
through `membership_benefits` so that the day memberships arrive, only this module changes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class MembershipBenefits:
    """What an account's membership gives it now. `free_two_day`: TWO_DAY delivery costs
    nothing on Prime-eligible (platform-fulfilled) items, whatever the order size."""

    is_member: bool = False
    free_two_day: bool = False
    member_prices: bool = False
    digital_catalogue: bool = False
    plan: str | None = None
    benefits_end_at: datetime | None = None


NOT_A_MEMBER = MembershipBenefits()
MEMBER = MembershipBenefits(is_member=True, free_two_day=True, member_prices=True, digital_catalogue=True,
                            plan="PRIME_MONTHLY")


async def membership_benefits(reader_or_session: Any, account_id: int | None) -> MembershipBenefits:
    """The benefits the account enjoys now (a `Reader` on read paths, the caller's
    `AsyncSession` inside a use case). Anonymous callers and, until memberships exist, every
    account are not members; this costs no statement."""
    return NOT_A_MEMBER
