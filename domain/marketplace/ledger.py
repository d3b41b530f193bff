"""The seller ledger: every sale, commission, refund, commission reversal, payout and
adjustment of a seller, as one signed amount each (money owed to the seller is positive).

A seller's balance is the sum of its entries, by definition: it is computed from them, never
stored beside them, so it cannot drift. Entries are append-only (the database refuses UPDATE,
DELETE and TRUNCATE); a mistake is corrected by a new entry.

- A sale (`record_sale`, when an order line is sold) is a SALE of +gross and, for third-party
  sellers, a COMMISSION of -fee at the category's rate (see `commission`); the platform's own
  (first-party) seller pays no commission. One sale per seller and reference (the order line):
  recording it again returns the first (SALE_ALREADY_RECORDED if the amount differs).
- A refund (`record_refund`) is a REFUND of -amount against a sale, never more than what is
  left of the sale (REFUND_EXCEEDS_SALE), and a COMMISSION_REVERSAL giving back the same share
  of the fee: after refunds totalling r of a sale g with fee f, the reversals total
  round-half-up(f x r / g), so a sale refunded in full, in any number of parts, gives back
  exactly its fee. The sale's row lock makes concurrent refunds of one sale take turns.
- A payout (`payout`, administrators only) moves money out: a PAYOUT of -amount, never more
  than the balance (INSUFFICIENT_BALANCE). Payouts lock the seller's row (FOR NO KEY UPDATE)
  and refunds share-lock it, so a payout sees every refund in flight and concurrent payouts
  take turns: they never overdraw. A refund may still take the balance below zero (the
  seller then owes the platform; no payout happens until it is positive again).
- Only the seller's staff and administrators see a balance or ledger (others get nothing).

Amounts are USD (CURRENCY_MISMATCH) and above zero (INVALID_AMOUNT); references (the order
line, the refund, the payout) are 1-200 characters. `order_id` is a plain reference until the
orders table exists.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketplace import commission
from domain.marketplace.errors import MarketplaceErrorCode, SaleLedgerErrorCode
from domain.marketplace.offers_management import Amount
from domain.shared.db import Reader
from domain.shared.errors import CommonErrorCode, DomainError, InvalidInput, NotFound
from domain.shared.money import Money
from domain.shared.pagination import Page, PageRequest, page_from_rows
from domain.shared.principal import Principal

CURRENCY = "USD"
MAX_REFERENCE = 200
# A sanity bound on one movement: $100,000,000,000.00.
MAX_AMOUNT_MINOR = 10**13

_COLUMNS = ("id, seller_id, kind::text AS kind, amount_minor, currency, reference, order_id, sale_entry_id,"
            " rate_bps, created_at")


@dataclass(slots=True)
class LedgerEntry:
    id: int
    seller_id: int
    kind: str
    amount_minor: int
    currency: str
    reference: str
    order_id: int | None
    sale_entry_id: int | None
    rate_bps: int | None
    created_at: datetime

    @property
    def amount(self) -> Money:
        """Signed: positive adds to the seller's balance, negative takes from it."""
        return Money(self.amount_minor, self.currency)

    @property
    def rate_percent(self) -> Decimal | None:
        """The commission rate a COMMISSION entry was taken at."""
        return None if self.rate_bps is None else Decimal(self.rate_bps).scaleb(-2)


@dataclass(slots=True)
class Sale:
    """A recorded sale: the SALE entry and its COMMISSION (None when no fee is due)."""

    sale: LedgerEntry
    commission: LedgerEntry | None

    @property
    def fee(self) -> Money:
        return Money(-self.commission.amount_minor if self.commission else 0, self.sale.currency)

    @property
    def net(self) -> Money:
        return Money(self.sale.amount_minor - self.fee.minor, self.sale.currency)


@dataclass(slots=True)
class SaleRefund:
    """A recorded refund: the REFUND entry and its COMMISSION_REVERSAL (None when no fee is
    given back)."""

    refund: LedgerEntry
    reversal: LedgerEntry | None


def _positive_minor(amount: Money, field: list[str] | None = None) -> int:
    if amount.currency != CURRENCY:
        raise InvalidInput(f"Seller balances are in {CURRENCY}, not {amount.currency}.", code=CommonErrorCode.CURRENCY_MISMATCH,
                           field=field)
    if not 0 < amount.minor <= MAX_AMOUNT_MINOR:
        raise InvalidInput(f"The amount must be above zero; got {amount.amount}.", code=CommonErrorCode.INVALID_AMOUNT, field=field)
    return amount.minor


def _reference(value: str) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(value) <= MAX_REFERENCE:
        raise InvalidInput(f"A ledger reference has 1 to {MAX_REFERENCE} characters.", code=CommonErrorCode.INVALID)
    return value


def _show(minor: int) -> str:
    return f"{Money(minor, CURRENCY).amount} {CURRENCY}"


async def _insert(session: AsyncSession, seller_id: int, kind: str, minor: int, reference: str, *,
                  order_id: int | None = None, sale_entry_id: int | None = None, rate_bps: int | None = None,
                  created_by: int | None = None) -> LedgerEntry | None:
    """The new entry; None when the seller already has one of this kind and reference."""
    row = (await session.execute(text(
        f"INSERT INTO seller_ledger_entries (seller_id, kind, amount_minor, currency, reference, order_id,"
        f" sale_entry_id, rate_bps, created_by) VALUES (:seller, CAST(:kind AS seller_ledger_entry_kind), :amount,"
        f" :currency, :reference, :order, :sale, :rate, :by)"
        f" ON CONFLICT (seller_id, kind, reference) DO NOTHING RETURNING {_COLUMNS}"),
        {"seller": seller_id, "kind": kind, "amount": minor, "currency": CURRENCY, "reference": reference,
         "order": order_id, "sale": sale_entry_id, "rate": rate_bps, "by": created_by})).one_or_none()
    return None if row is None else LedgerEntry(*row)


async def _entry(session: AsyncSession, seller_id: int, kind: str, reference: str, *,
                 lock: bool = False) -> LedgerEntry | None:
    row = (await session.execute(text(
        f"SELECT {_COLUMNS} FROM seller_ledger_entries WHERE seller_id = :seller"
        f" AND kind = CAST(:kind AS seller_ledger_entry_kind) AND reference = :reference"
        f"{' FOR UPDATE' if lock else ''}"),
        {"seller": seller_id, "kind": kind, "reference": reference})).one_or_none()
    return None if row is None else LedgerEntry(*row)


async def _linked(session: AsyncSession, sale_entry_id: int, kind: str, reference: str) -> LedgerEntry | None:
    row = (await session.execute(text(
        f"SELECT {_COLUMNS} FROM seller_ledger_entries WHERE sale_entry_id = :sale"
        f" AND kind = CAST(:kind AS seller_ledger_entry_kind) AND reference = :reference"),
        {"sale": sale_entry_id, "kind": kind, "reference": reference})).one_or_none()
    return None if row is None else LedgerEntry(*row)


# -- sales and refunds ----------------------------------------------------------------------

async def record_sale(session: AsyncSession, seller_id: int, category_id: int, gross: Money, reference: str, *,
                      order_id: int | None = None) -> Sale:
    """Credit the seller with a sale of `gross` in `category_id` (the product's category) for
    `reference` (the order line) and debit the commission at the category's rate; the
    first-party seller pays none."""
    minor = _positive_minor(gross)
    reference = _reference(reference)
    first_party = (await session.execute(text("SELECT is_first_party FROM sellers WHERE id = :id"),
                                         {"id": seller_id})).scalar()
    if first_party is None:
        raise NotFound("No such seller.")
    rate = None
    if not first_party:
        rate = (await commission.rates_in_session(session, [category_id])).get(category_id)
        if rate is None:
            raise NotFound("No such category.")
    sale = await _insert(session, seller_id, "SALE", minor, reference, order_id=order_id)
    if sale is None:  # recorded before: the same sale again is the first one
        sale = await _entry(session, seller_id, "SALE", reference)
        if sale.amount_minor != minor:
            raise DomainError(f"A sale {reference!r} of {_show(sale.amount_minor)} is already recorded.",
                              code=SaleLedgerErrorCode.SALE_ALREADY_RECORDED)
        return Sale(sale, await _linked(session, sale.id, "COMMISSION", reference))
    fee = 0 if rate is None else commission.fee_minor(minor, rate.rate_bps)
    entry = None
    if fee:
        entry = await _insert(session, seller_id, "COMMISSION", -fee, reference, order_id=order_id,
                              sale_entry_id=sale.id, rate_bps=rate.rate_bps)
    return Sale(sale, entry)


async def record_refund(session: AsyncSession, seller_id: int, sale_reference: str, amount: Money, reference: str, *,
                        order_id: int | None = None) -> SaleRefund:
    """Debit the seller with `amount` refunded on the sale `sale_reference`, for `reference`
    (the refund), and give back the same share of the sale's commission. Recording the same
    refund again returns the first (REFUND_ALREADY_RECORDED if it differs)."""
    minor = _positive_minor(amount)
    sale_reference, reference = _reference(sale_reference), _reference(reference)
    await _share_lock_seller(session, seller_id)
    sale = await _entry(session, seller_id, "SALE", sale_reference, lock=True)
    if sale is None:
        raise NotFound(f"The seller has no sale {sale_reference!r}.")
    done = await _entry(session, seller_id, "REFUND", reference)
    if done is not None:
        if (done.sale_entry_id, done.amount_minor) != (sale.id, -minor):
            raise DomainError(f"A different refund {reference!r} is already recorded.", code=SaleLedgerErrorCode.REFUND_ALREADY_RECORDED)
        return SaleRefund(done, await _linked(session, sale.id, "COMMISSION_REVERSAL", reference))
    totals = dict((await session.execute(text(
        "SELECT kind::text, sum(amount_minor)::bigint FROM seller_ledger_entries WHERE sale_entry_id = :sale"
        " GROUP BY kind"), {"sale": sale.id})).all())
    refunded, fee, reversed_ = -totals.get("REFUND", 0), -totals.get("COMMISSION", 0), totals.get(
        "COMMISSION_REVERSAL", 0)
    left = sale.amount_minor - refunded
    if minor > left:
        raise DomainError(f"Only {_show(left)} of the sale {sale_reference!r} is left to refund (sold"
                          f" {_show(sale.amount_minor)}, refunded {_show(refunded)}); asked for {_show(minor)}.",
                          code=SaleLedgerErrorCode.REFUND_EXCEEDS_SALE)
    # round-half-up(fee x refunded / gross), cumulated over the sale's refunds
    reversal = (2 * fee * (refunded + minor) + sale.amount_minor) // (2 * sale.amount_minor) - reversed_
    entry = await _insert(session, seller_id, "REFUND", -minor, reference, order_id=order_id, sale_entry_id=sale.id)
    back = None
    if reversal:
        back = await _insert(session, seller_id, "COMMISSION_REVERSAL", reversal, reference, order_id=order_id,
                             sale_entry_id=sale.id)
    return SaleRefund(entry, back)


async def _share_lock_seller(session: AsyncSession, seller_id: int) -> None:
    found = (await session.execute(text("SELECT id FROM sellers WHERE id = :id FOR SHARE"), {"id": seller_id})).scalar()
    if found is None:
        raise NotFound("No such seller.")


# -- payouts and adjustments ----------------------------------------------------------------

def _payout_minor(amount: Amount, field: list[str]) -> int:
    if amount.currency != CURRENCY:
        raise InvalidInput(f"Payouts are in {CURRENCY}, not {amount.currency}.", code=CommonErrorCode.CURRENCY_MISMATCH,
                           field=[*field, "currencyCode"])
    try:
        value = Decimal(amount.amount)
        scaled = value.scaleb(2) if value.is_finite() else None
    except (InvalidOperation, TypeError, ValueError):
        scaled = None
    if scaled is None or scaled != scaled.to_integral_value() or not 0 < scaled <= MAX_AMOUNT_MINOR:
        raise InvalidInput(f"A payout is above zero with at most two decimals; got {amount.amount}.",
                           code=CommonErrorCode.INVALID_AMOUNT, field=[*field, "amount"])
    return int(scaled)


async def _lock_seller(session: AsyncSession, seller_id: int) -> None:
    found = (await session.execute(text("SELECT id FROM sellers WHERE id = :id FOR NO KEY UPDATE"),
                                   {"id": seller_id})).scalar()
    if found is None:
        raise NotFound("No such seller.", field=["input", "sellerId"])


async def payout(session: AsyncSession, principal: Principal, seller_id: int, amount: Amount) -> LedgerEntry:
    """Administrators only: pay `amount` of the seller's balance out to the seller (never more
    than the balance). The payout's reference is its new id ("payout:<uuid>")."""
    principal.require_admin()
    minor = _payout_minor(amount, ["input", "amount"])
    await _lock_seller(session, seller_id)
    balance = await balance_in_session(session, seller_id)
    if minor > balance.minor:
        raise DomainError(f"The seller's balance is {_show(balance.minor)}; a payout of {_show(minor)} would"
                          " exceed it.", code=MarketplaceErrorCode.INSUFFICIENT_BALANCE, field=["input", "amount", "amount"])
    return await _insert(session, seller_id, "PAYOUT", -minor, f"payout:{uuid.uuid4()}",
                         created_by=principal.account_id)


async def adjust(session: AsyncSession, principal: Principal, seller_id: int, amount: Money,
                 reference: str) -> LedgerEntry:
    """Administrators only: correct a seller's balance by a signed, non-zero `amount` for
    `reference` (e.g. the support case), one adjustment per reference."""
    principal.require_admin()
    if amount.currency != CURRENCY or amount.minor == 0 or abs(amount.minor) > MAX_AMOUNT_MINOR:
        raise InvalidInput(f"An adjustment is a non-zero amount in {CURRENCY}.", code=CommonErrorCode.INVALID_AMOUNT)
    reference = _reference(reference)
    await _lock_seller(session, seller_id)
    entry = await _insert(session, seller_id, "ADJUSTMENT", amount.minor, reference, created_by=principal.account_id)
    if entry is None:
        raise DomainError(f"An adjustment {reference!r} is already recorded.", code=CommonErrorCode.INVALID)
    return entry


# -- reads ----------------------------------------------------------------------------------

async def balance_in_session(session: AsyncSession, seller_id: int) -> Money:
    """The seller's balance as the caller's transaction sees it: the sum of its entries."""
    total = (await session.execute(text(
        "SELECT coalesce(sum(amount_minor), 0)::bigint FROM seller_ledger_entries WHERE seller_id = :id"),
        {"id": seller_id})).scalar()
    return Money(total, CURRENCY)


async def balance(reader: Reader, seller_id: int) -> Money:
    """The seller's balance: the sum of its ledger entries."""
    row = await reader.fetchrow(
        "SELECT coalesce(sum(amount_minor), 0)::bigint FROM seller_ledger_entries WHERE seller_id = $1", seller_id)
    return Money(row[0], CURRENCY)


def _visible(principal: Principal, seller_ids: Sequence[int]) -> list[int]:
    return [pk for pk in seller_ids if principal.is_admin or principal.is_staff_of(pk)]


async def balances_for(reader: Reader, principal: Principal, seller_ids: Sequence[int]) -> dict[int, Money]:
    """The balance of each seller the caller may see (its staff, administrators), in one
    statement; other sellers are left out."""
    visible = _visible(principal, seller_ids)
    if not visible:
        return {}
    rows = await reader.fetch(
        "SELECT s.id, coalesce(sum(e.amount_minor), 0)::bigint FROM unnest($1::bigint[]) AS s(id)"
        " LEFT JOIN seller_ledger_entries e ON e.seller_id = s.id GROUP BY s.id", visible)
    return {r[0]: Money(r[1], CURRENCY) for r in rows}


async def entries_for(reader: Reader, principal: Principal, seller_ids: Sequence[int],
                      page: PageRequest) -> dict[int, Page[LedgerEntry]]:
    """One page of each visible seller's ledger, newest first, in one statement; other
    sellers are left out."""
    visible = _visible(principal, seller_ids)
    if not visible:
        return {}
    rows = await reader.fetch(
        f"""
        SELECT * FROM (
          SELECT {_COLUMNS},
            row_number() OVER (PARTITION BY seller_id ORDER BY id DESC) AS n,
            count(*) OVER (PARTITION BY seller_id) AS total
          FROM seller_ledger_entries WHERE seller_id = ANY($1::bigint[])
        ) ranked
        WHERE n > $2 AND n <= $2 + $3 + 1
        ORDER BY seller_id, n
        """,
        visible, page.offset, page.limit)
    grouped: dict[int, list[LedgerEntry]] = defaultdict(list)
    totals: dict[int, int] = {}
    for r in rows:
        grouped[r["seller_id"]].append(LedgerEntry(*r[:10]))
        totals[r["seller_id"]] = r["total"]
    return {pk: page_from_rows(grouped.get(pk, []), page, totals.get(pk, 0)) for pk in visible}
