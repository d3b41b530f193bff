"""SQL helpers shared by the catalogue's write use cases: unique slugs, and unique-constraint
violations turned into typed errors."""
from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import rules
from domain.catalogue.errors import CatalogueErrorCode
from domain.shared.errors import InvalidInput

T = TypeVar("T")

# Unique constraints a concurrent writer can win, with the typed error a loser gets.
_TAKEN = {
    "uq_categories_slug": (CatalogueErrorCode.SLUG_TAKEN, "slug", "Another category took this slug at the same time; try again."),
    "uq_brands_slug": (CatalogueErrorCode.SLUG_TAKEN, "slug", "Another brand took this slug at the same time; try again."),
    "uq_products_slug": (CatalogueErrorCode.SLUG_TAKEN, "slug", "Another product took this slug at the same time; try again."),
    "uq_products_isbn": (CatalogueErrorCode.ISBN_TAKEN, "isbn", "Another product took this ISBN at the same time."),
}


async def guarded(statement: Awaitable[T]) -> T:
    """Run a write; a unique slug or ISBN taken by a concurrent transaction is a typed error."""
    try:
        return await statement
    except IntegrityError as error:
        name = getattr(getattr(error.orig, "__cause__", None), "constraint_name", None)
        if name not in _TAKEN:
            raise
        code, field, message = _TAKEN[name]
        raise InvalidInput(message, code=code, field=["input", field]) from None


async def slug_owner(session: AsyncSession, table: str, slug: str) -> tuple[int, bool] | None:
    """(id, archived) of the row of `table` holding this slug, if any."""
    row = (await session.execute(text(f"SELECT id, archived_at IS NOT NULL FROM {table} WHERE slug = :slug"),
                                 {"slug": slug})).one_or_none()
    return None if row is None else (row[0], row[1])


async def choose_slug(session: AsyncSession, table: str, given: str | None, source: str, *, max_length: int,
                      fallback: str, own_id: int | None = None, what: str) -> str:
    """The slug a caller gave (SLUG_INVALID when malformed, SLUG_TAKEN when another row has
    it, archived rows included: URLs are never reused), or one made from `source`, with
    -2, -3... appended when taken."""
    if given is not None:
        slug = rules.given_slug(given, max_length)
        owner = await slug_owner(session, table, slug)
        if owner is not None and owner[0] != own_id:
            archived = " (archived)" if owner[1] else ""
            raise InvalidInput(f"The slug {slug!r} belongs to another {what}{archived}.", code=CatalogueErrorCode.SLUG_TAKEN,
                               field=["input", "slug"])
        return slug
    base = rules.slugify(source, max_length - 6) or fallback
    taken = set((await session.execute(
        text(f"SELECT slug FROM {table} WHERE (slug = :base OR slug LIKE :pattern) AND id IS DISTINCT FROM :own"),
        {"base": base, "pattern": base + "-%", "own": own_id})).scalars())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
