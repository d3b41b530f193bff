"""Administrators create, change and archive products; imports go through the same functions.

Rules: only administrators; a product has a title, a kind, a format that kind comes in
(FORMAT_INVALID) and a live category, and optionally a live brand and a work (an existing one,
or a new one made from a title); an ISBN is stored as ISBN-13 after its check digit is verified
(ISBN_INVALID) and belongs to one product only (ISBN_TAKEN); attributes are typed
(ATTRIBUTE_INVALID) and images are https URLs (IMAGE_URL_INVALID). The search document of the
product changes in the same transaction, so a new product is findable the moment it commits and
an archived one disappears from search, listings and lookups at once. A changed release date is
announced in the same transaction (a `catalogue.release_date_changed` job), so whatever waits
for the product (pre-orders) can follow it without the catalogue knowing who does.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import rules
from domain.catalogue.entities import Product
from domain.catalogue.errors import CatalogueErrorCode
from domain.catalogue.management import live_brand, live_category
from domain.catalogue.rules import KEEP
from domain.catalogue.writes import choose_slug, guarded
from domain.jobs import service as jobs
from domain.marketplace import service as marketplace
from domain.shared.errors import InvalidInput, NotFound
from domain.shared.principal import Principal

COLUMNS = """id, slug, title, description, kind::text AS kind, format::text AS format, category_id, brand_id,
  work_id, isbn, authors, attributes, images, release_date, average_rating, ratings_count, created_at,
  updated_at, archived_at, membership_included, subscribe_eligible"""
_FORMAT_SLUG = {"KINDLE": "kindle-edition", "STANDARD": ""}
RELEASE_DATE_CHANGED = "catalogue.release_date_changed"


@dataclass
class ProductFields:
    """What a create or an update sets. KEEP leaves a field as it is (on create: its default);
    None clears an optional field (brand, work, ISBN, release date)."""

    title: Any = KEEP
    slug: Any = KEEP
    description: Any = KEEP
    kind: Any = KEEP
    format: Any = KEEP
    category_id: Any = KEEP
    brand_id: Any = KEEP
    work_id: Any = KEEP
    # A new work with this title, which the product becomes a format of.
    work_title: Any = KEEP
    isbn: Any = KEEP
    authors: Any = KEEP
    attributes: Any = KEEP  # list[rules.AttributeInput]
    images: Any = KEEP  # list[rules.ImageInput]
    release_date: Any = KEEP

    def given(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not KEEP}


def product_from_row(row) -> Product:
    values = list(row)
    for index in (11, 12):  # attributes, images
        if isinstance(values[index], str):
            values[index] = json.loads(values[index])
    return Product(*values)


async def _live_product(session: AsyncSession, product_id: int) -> Product:
    row = (await session.execute(text(
        f"SELECT {COLUMNS} FROM products WHERE id = :id AND archived_at IS NULL FOR UPDATE"),
        {"id": product_id})).one_or_none()
    if row is None:
        raise NotFound("No such product.", field=["input", "id"])
    return product_from_row(row)


def _required(value: Any, what: str, field: str) -> Any:
    if value is KEEP or value is None:
        raise InvalidInput(f"{what} is required.", field=["input", field])
    return value


async def _isbn(session: AsyncSession, raw: str, own_id: int | None) -> str:
    isbn = rules.isbn13(raw)
    row = (await session.execute(text("SELECT id, archived_at IS NOT NULL FROM products WHERE isbn = :isbn"),
                                 {"isbn": isbn})).one_or_none()
    if row is not None and row[0] != own_id:
        archived = " (archived)" if row[1] else ""
        raise InvalidInput(f"ISBN {isbn} belongs to another product{archived}.", code=CatalogueErrorCode.ISBN_TAKEN,
                           field=["input", "isbn"])
    return isbn


async def _work(session: AsyncSession, work_id: Any, work_title: Any) -> tuple[bool, int | None]:
    """(changed, work id) for the work fields of an input."""
    if work_id is not KEEP and work_title is not KEEP and work_id is not None and work_title is not None:
        raise InvalidInput("Give workId or workTitle, not both.", field=["input", "workTitle"])
    if work_title is not KEEP and work_title is not None:
        title = rules.text(work_title, "workTitle", max_length=rules.WORK_TITLE_MAX, what="A work title")
        return True, (await session.execute(text("INSERT INTO works (title) VALUES (:title) RETURNING id"),
                                            {"title": title})).scalar()
    if work_id is not KEEP:
        if work_id is not None:
            found = (await session.execute(text("SELECT id FROM works WHERE id = :id FOR SHARE"),
                                           {"id": work_id})).scalar()
            if found is None:
                raise NotFound("No such work.", field=["input", "workId"])
        return True, work_id
    if work_title is None:  # explicitly null, workId not given: no work
        return True, None
    return False, None


async def _values(session: AsyncSession, given: ProductFields, current: Product | None) -> dict[str, Any]:
    """Validated column values for the given fields, checked against the current product."""
    values: dict[str, Any] = {}
    if given.title is not KEEP:
        values["title"] = rules.text(given.title or "", "title", max_length=rules.PRODUCT_TITLE_MAX,
                                     what="A title")
    if given.description is not KEEP:
        values["description"] = rules.text(given.description or "", "description", multiline=True,
                                           max_length=rules.PRODUCT_DESCRIPTION_MAX, required=False,
                                           what="A description")
    if given.kind is not KEEP or given.format is not KEEP or current is None:
        kind = _required(given.kind, "A kind", "kind") if current is None else (
            current.kind if given.kind is KEEP else _required(given.kind, "A kind", "kind"))
        if given.format is not KEEP and given.format is not None:
            fmt = given.format
        elif current is None or given.format is None:
            fmt = rules.DEFAULT_FORMAT.get(kind, "STANDARD")
        else:
            fmt = current.format
        rules.kind_and_format(kind, fmt)
        values["kind"], values["format"] = kind, fmt
    if given.category_id is not KEEP or current is None:
        category_id = _required(given.category_id, "A category", "categoryId")
        values["category_id"] = (await live_category(session, category_id, field="categoryId",
                                                     lock="FOR SHARE")).id
    if given.brand_id is not KEEP:
        values["brand_id"] = None if given.brand_id is None else (
            await live_brand(session, given.brand_id, field="brandId", lock="FOR SHARE")).id
    changed, work_id = await _work(session, given.work_id, given.work_title)
    if changed:
        values["work_id"] = work_id
    if given.isbn is not KEEP:
        values["isbn"] = None if given.isbn in (None, "") else await _isbn(
            session, given.isbn, current.id if current else None)
    if given.authors is not KEEP:
        values["authors"] = rules.authors(given.authors or [])
    if given.attributes is not KEEP:
        values["attributes"] = json.dumps(rules.attributes(given.attributes or []))
    if given.images is not KEEP:
        values["images"] = json.dumps(rules.images(given.images or []))
    if given.release_date is not KEEP:
        if given.release_date is not None and not isinstance(given.release_date, date):
            raise InvalidInput("A release date is a date, like 2027-03-01.", field=["input", "releaseDate"])
        values["release_date"] = given.release_date
    if given.slug is not KEEP or current is None:
        if given.slug is None and current is not None:
            raise InvalidInput("A product always has a slug.", code=CatalogueErrorCode.SLUG_INVALID, field=["input", "slug"])
        fmt = values.get("format") or current.format
        source = values.get("title") or ""
        suffix = _FORMAT_SLUG.get(fmt, fmt.lower().replace("_", "-"))
        values["slug"] = await choose_slug(
            session, "products", None if given.slug is KEEP else given.slug, f"{source} {suffix}",
            max_length=rules.PRODUCT_SLUG_MAX, fallback="product", own_id=current.id if current else None,
            what="product")
    return values


_CASTS = {"kind": "CAST(:kind AS product_kind)", "format": "CAST(:format AS product_format)",
          "authors": "CAST(:authors AS text[])", "attributes": "CAST(:attributes AS jsonb)",
          "images": "CAST(:images AS jsonb)"}


def _placeholder(column: str) -> str:
    return _CASTS.get(column, f":{column}")


async def create_product(session: AsyncSession, principal: Principal, given: ProductFields, *,
                         refresh_search: bool = True) -> Product:
    """Adds a product (see the module's rules). Administrators only. `refresh_search=False`
    is for imports, which refresh a whole batch at once."""
    principal.require_admin()
    values = await _values(session, given, None)
    columns = ", ".join(values)
    placeholders = ", ".join(_placeholder(c) for c in values)
    row = (await guarded(session.execute(text(
        f"INSERT INTO products ({columns}) VALUES ({placeholders}) RETURNING {COLUMNS}"), values))).one()
    product = product_from_row(row)
    if refresh_search:
        await marketplace.refresh_search_documents(session, [product.id])
    return product


async def update_product(session: AsyncSession, principal: Principal, product_id: int, given: ProductFields, *,
                         refresh_search: bool = True) -> Product:
    """Changes the given fields of a live product; the others stay. Administrators only."""
    principal.require_admin()
    current = await _live_product(session, product_id)
    values = await _values(session, given, current)
    if not values:
        return current
    assignments = ", ".join(f"{c} = {_placeholder(c)}" for c in values)
    row = (await guarded(session.execute(text(
        f"UPDATE products SET {assignments}, updated_at = now() WHERE id = :id RETURNING {COLUMNS}"),
        {**values, "id": current.id}))).one()
    product = product_from_row(row)
    if product.release_date != current.release_date:
        await jobs.enqueue(session, RELEASE_DATE_CHANGED, {
            "productId": product.id, "previousReleaseDate": _iso(current.release_date),
            "releaseDate": _iso(product.release_date)})
    if refresh_search:
        await marketplace.refresh_search_documents(session, [product.id])
    return product


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


async def archive_product(session: AsyncSession, principal: Principal, product_id: int) -> Product:
    """Archives a live product: it leaves search, listings and lookups at once, and its offers
    are archived with it. It keeps its slug and ISBN, which no other product may take.
    Administrators only."""
    principal.require_admin()
    current = await _live_product(session, product_id)
    row = (await session.execute(text(
        f"UPDATE products SET archived_at = now(), updated_at = now() WHERE id = :id RETURNING {COLUMNS}"),
        {"id": current.id})).one()
    await marketplace.archive_offers_of_product(session, current.id)
    await marketplace.refresh_search_documents(session, [current.id])
    return product_from_row(row)


async def find_for_import(session: AsyncSession, *, isbn: str | None, slug: str | None) -> int | None:
    """The live product an import row names by ISBN (first) or slug."""
    for column, value in (("isbn", isbn), ("slug", slug)):
        if value is not None:
            found = (await session.execute(text(
                f"SELECT id FROM products WHERE {column} = :value AND archived_at IS NULL"),
                {"value": value})).scalar()
            if found is not None:
                return found
    return None
