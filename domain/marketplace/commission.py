"""Commission (referral fee) on third-party sales: a rate per category, 6% to 20%.

A category's rate is its own, else that of its nearest ancestor with one (rates are inherited
down the category tree), else the platform default of 15%. Rates are held in basis points
(1/100 of a percent): 8.5% is 850. Administrators set or clear a category's rate
(`set_rate`); rates outside 6-20% or with more than two decimals are INVALID_RATE, and the
database refuses them too.

Rounding rule: the fee on a sale is gross x rate, rounded half-up to a whole minor unit (cent):
$19.99 at 15% is 299.85 cents, a fee of $3.00; $0.10 at 15% is 1.5 cents, a fee of $0.02; $12.34
at 8% is 98.72 cents, a fee of $0.99. The seller's net is gross minus fee. Integer arithmetic
only, never a float.

The product spec's example rates (computers 6%, electronics 8%, books 15%, apparel 17%,
jewellery 20%) are given to the categories of those slugs by the migration and the seed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketplace.errors import MarketplaceErrorCode
from domain.shared.db import Reader
from domain.shared.errors import InvalidInput, NotFound
from domain.shared.principal import Principal

DEFAULT_RATE_BPS = 1500
MIN_RATE_BPS = 600
MAX_RATE_BPS = 2000
BASIS_POINTS = 10_000
# `set_rate` with this leaves the category's rate as it is.
UNCHANGED = object()
# The product spec's examples, by category slug.
SPEC_RATES = {"computers": 600, "electronics": 800, "books": 1500, "apparel": 1700, "jewellery": 2000}


@dataclass(frozen=True, slots=True)
class CommissionRate:
    """The rate that applies in a category, and where it comes from: `set_on_id` is the category
    whose rate it is (the category itself or an ancestor), None for the platform default."""

    category_id: int
    rate_bps: int
    set_on_id: int | None

    @property
    def percent(self) -> Decimal:
        return Decimal(self.rate_bps).scaleb(-2)


def fee_minor(gross_minor: int, rate_bps: int) -> int:
    """The commission on `gross_minor` at `rate_bps`, rounded half-up to a whole minor unit."""
    if gross_minor < 0 or not 0 <= rate_bps <= BASIS_POINTS:
        raise ValueError("a fee is taken on a non-negative amount at 0-100%")
    return (gross_minor * rate_bps + BASIS_POINTS // 2) // BASIS_POINTS


def rate_bps_from_percent(percent: Decimal, field: list[str]) -> int:
    """Basis points of a percentage such as 8.5 (INVALID_RATE unless 6-20 with at most two
    decimals)."""
    try:
        value = Decimal(percent)
        scaled = value.scaleb(2) if value.is_finite() else None
    except (InvalidOperation, TypeError, ValueError):
        scaled = None
    if scaled is None or scaled != scaled.to_integral_value() or not MIN_RATE_BPS <= scaled <= MAX_RATE_BPS:
        raise InvalidInput(f"A commission rate is a percentage from {MIN_RATE_BPS // 100} to {MAX_RATE_BPS // 100}"
                           f" with at most two decimals; got {percent}.", code=MarketplaceErrorCode.INVALID_RATE, field=field)
    return int(scaled)


# The rate of each category: its nearest ancestor-or-self with a rate (the deepest path).
_RATES = """
SELECT c.id, r.rate_bps, r.set_on
FROM categories c LEFT JOIN LATERAL (
  SELECT cr.rate_bps, a.id AS set_on FROM categories a JOIN commission_rates cr ON cr.category_id = a.id
  WHERE a.path @> c.path ORDER BY nlevel(a.path) DESC LIMIT 1
) r ON true
WHERE c.id = ANY({ids}){live}
"""


def _rates(rows, category_ids: Sequence[int]) -> dict[int, CommissionRate]:
    found = {}
    for category_id, rate_bps, set_on in rows:
        if rate_bps is None:
            found[category_id] = CommissionRate(category_id, DEFAULT_RATE_BPS, None)
        else:
            found[category_id] = CommissionRate(category_id, rate_bps, set_on)
    return {pk: found[pk] for pk in category_ids if pk in found}


async def rates_for_categories(reader: Reader, category_ids: Sequence[int]) -> dict[int, CommissionRate]:
    """The rate in effect in each live category (unknown and archived ones are left out), in
    one statement."""
    rows = await reader.fetch(_RATES.format(ids="$1::bigint[]", live=" AND c.archived_at IS NULL"), list(category_ids))
    return _rates(rows, category_ids)


async def rates_in_session(session: AsyncSession, category_ids: Sequence[int]) -> dict[int, CommissionRate]:
    """The rate in effect in each category as the caller's transaction sees it, archived ones
    included (a sale of a product whose category was archived still pays its commission)."""
    rows = (await session.execute(text(_RATES.format(ids="CAST(:ids AS bigint[])", live="")),
                                  {"ids": list(category_ids)})).all()
    return _rates(rows, category_ids)


async def set_rate(session: AsyncSession, principal: Principal, category_id: int,
                   percent: Decimal | None | object) -> CommissionRate:
    """Administrators only: give a live category its own rate (6-20%), or clear it with None
    so it inherits again (UNCHANGED leaves it). Applies to sales recorded from now on;
    recorded commissions keep the rate they were taken at."""
    principal.require_admin()
    rate_bps = None
    if percent is not None and percent is not UNCHANGED:
        rate_bps = rate_bps_from_percent(percent, ["input", "ratePercent"])
    live = (await session.execute(text("SELECT archived_at IS NULL FROM categories WHERE id = :id FOR SHARE"),
                                  {"id": category_id})).scalar()
    if not live:
        raise NotFound("No such category.", field=["input", "categoryId"])
    if percent is UNCHANGED:
        pass
    elif rate_bps is None:
        await session.execute(text("DELETE FROM commission_rates WHERE category_id = :id"), {"id": category_id})
    else:
        await session.execute(text(
            "INSERT INTO commission_rates (category_id, rate_bps, updated_by) VALUES (:id, :rate, :by)"
            " ON CONFLICT (category_id) DO UPDATE SET rate_bps = excluded.rate_bps, updated_by = excluded.updated_by,"
            " updated_at = now()"), {"id": category_id, "rate": rate_bps, "by": principal.account_id})
    return (await rates_in_session(session, [category_id]))[category_id]


async def seed_default_rates(conn: asyncpg.Connection) -> int:
    """Give the categories of the spec's example slugs their rates (the seed calls it after
    the category tree); rates already set stay. Returns how many were set."""
    result = await conn.execute(
        "INSERT INTO commission_rates (category_id, rate_bps) SELECT c.id, r.rate_bps FROM categories c"
        " JOIN unnest($1::text[], $2::int[]) AS r(slug, rate_bps) ON r.slug = c.slug ON CONFLICT DO NOTHING",
        list(SPEC_RATES), list(SPEC_RATES.values()))
    return int(result.rsplit(" ", 1)[-1])
