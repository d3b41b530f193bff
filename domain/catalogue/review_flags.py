"""Product review flags: reports that a product's catalogue data may be wrong, for the catalogue
team to check (e.g. a customer received a different item than the product page shows).

Rules:
- A flag names the product, where it came from (`source`, e.g. WRONG_ITEM), why (`reason`,
  1-1000 characters) and what it is about (`reference`, e.g. "order-line:42"). A product has
  at most one open flag per reference: flagging it again returns the first (so a retried use
  case, or two reports of one order line, make one flag). Anything in the platform may
  flag (the use case that calls this has checked its caller).
- Only administrators list flags (`open_flags`, `flags`) and resolve them (`resolve_flag`,
  with a note of 1-1000 characters); a resolved flag stays, with who resolved it, when and
  the note. Resolving it twice is FLAG_ALREADY_RESOLVED.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue.errors import CatalogueErrorCode
from domain.catalogue.statuses import ProductReviewFlagStatus
from domain.shared.db import Reader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.pagination import Page, PageRequest, paged
from domain.shared.principal import Principal

MAX_TEXT = 1000
MAX_SOURCE = 40
MAX_REFERENCE = 200

_COLUMNS = ("id, product_id, source, reason, reference, reported_by, created_at, resolved_at, resolved_by,"
            " resolution_note")


@dataclass(slots=True)
class ReviewFlag:
    id: int
    product_id: int
    source: str
    reason: str
    reference: str | None
    reported_by: int | None
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: int | None
    resolution_note: str | None

    @property
    def status(self) -> str:
        return ProductReviewFlagStatus.OPEN if self.resolved_at is None else ProductReviewFlagStatus.RESOLVED


def _text(value: str, what: str, limit: int, field: list[str] | None = None) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(value) <= limit:
        raise InvalidInput(f"Give {what} of 1 to {limit} characters.", field=field)
    return value


async def flag_product(session: AsyncSession, product_id: int, *, source: str, reason: str, reference: str | None,
                       reported_by: int | None) -> ReviewFlag:
    """Opens a flag on the product, or returns the open flag it already has for `reference`.
    Concurrent flags of one product and reference take turns on the product's row lock."""
    source = _text(source, "a source", MAX_SOURCE)
    reason = _text(reason, "a reason", MAX_TEXT)
    if reference is not None:
        reference = _text(reference, "a reference", MAX_REFERENCE)
    locked = (await session.execute(text("SELECT id FROM products WHERE id = :id FOR NO KEY UPDATE"),
                                    {"id": product_id})).scalar()
    if locked is None:
        raise NotFound("No such product.")
    if reference is not None:
        row = (await session.execute(text(
            f"SELECT {_COLUMNS} FROM product_review_flags WHERE product_id = :product AND reference = :reference"
            f" AND resolved_at IS NULL ORDER BY id LIMIT 1"),
            {"product": product_id, "reference": reference})).one_or_none()
        if row is not None:
            return ReviewFlag(*row)
    row = (await session.execute(text(
        f"INSERT INTO product_review_flags (product_id, source, reason, reference, reported_by)"
        f" VALUES (:product, :source, :reason, :reference, :by) RETURNING {_COLUMNS}"),
        {"product": product_id, "source": source, "reason": reason, "reference": reference,
         "by": reported_by})).one()
    return ReviewFlag(*row)


async def resolve_flag(session: AsyncSession, principal: Principal, flag_id: int, note: str) -> ReviewFlag:
    """Administrators only: closes an open flag with a note saying what was done."""
    principal.require_admin()
    note = _text(note, "a note", MAX_TEXT, ["input", "note"])
    row = (await session.execute(text(f"SELECT {_COLUMNS} FROM product_review_flags WHERE id = :id FOR UPDATE"),
                                 {"id": flag_id})).one_or_none()
    if row is None:
        raise NotFound("No such review flag.", field=["input", "flagId"])
    if row.resolved_at is not None:
        raise DomainError("This flag was already resolved.", code=CatalogueErrorCode.FLAG_ALREADY_RESOLVED, field=["input", "flagId"])
    row = (await session.execute(text(
        f"UPDATE product_review_flags SET resolved_at = now(), resolved_by = :by, resolution_note = :note"
        f" WHERE id = :id RETURNING {_COLUMNS}"), {"id": flag_id, "by": principal.account_id, "note": note})).one()
    return ReviewFlag(*row)


async def flags(reader: Reader, principal: Principal, status: str | None, page: PageRequest) -> Page[ReviewFlag]:
    """Administrators only: flags, open ones oldest first (the order to work them in), resolved
    ones newest first, all of them newest first when no status is given."""
    principal.require_admin()
    if status is not None and status not in set(ProductReviewFlagStatus):
        raise InvalidInput(f"A flag's status is one of {', '.join(ProductReviewFlagStatus)}.")
    where = {ProductReviewFlagStatus.OPEN: "WHERE resolved_at IS NULL",
             ProductReviewFlagStatus.RESOLVED: "WHERE resolved_at IS NOT NULL", None: ""}[status]
    order = "id" if status == ProductReviewFlagStatus.OPEN else "id DESC"
    return await paged(reader, ReviewFlag, f"SELECT {_COLUMNS} FROM product_review_flags {where}", order, page)


async def open_flags(reader: Reader, principal: Principal, page: PageRequest) -> Page[ReviewFlag]:
    """Administrators only: the open flags, oldest first."""
    return await flags(reader, principal, ProductReviewFlagStatus.OPEN, page)


async def flags_by_ids(reader: Reader, principal: Principal, ids: Sequence[int]) -> dict[int, ReviewFlag]:
    """Flags by id for administrators; nobody else sees any."""
    if not principal.is_admin:
        return {}
    rows = await reader.fetch(f"SELECT {_COLUMNS} FROM product_review_flags WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: ReviewFlag(*r) for r in rows}


async def open_flag_counts(reader: Reader, principal: Principal, product_ids: Sequence[int]) -> dict[int, int]:
    """Open flags per product, for administrators (others get nothing)."""
    if not principal.is_admin:
        return {}
    rows = await reader.fetch(
        "SELECT p.id, count(f.id) FROM unnest($1::bigint[]) AS p(id) LEFT JOIN product_review_flags f"
        " ON f.product_id = p.id AND f.resolved_at IS NULL GROUP BY p.id", list(product_ids))
    return {r[0]: r[1] for r in rows}
