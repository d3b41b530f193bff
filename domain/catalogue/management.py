"""Administrators manage the category tree and the brands.

Rules: only administrators; a slug is generated from the name when none is given, and a
given slug must be free (SLUG_TAKEN); a category's `path` holds the ids from the root down,
and moving a category moves its whole subtree (never under itself: CATEGORY_CYCLE); a
category is archived only once it has no live products and no live subcategories, a brand
only once it has no live products (CATEGORY_NOT_EMPTY, BRAND_NOT_EMPTY); archived ones are
hidden from every reader and cannot be used or changed (NOT_FOUND).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import rules
from domain.catalogue.entities import Brand, ManagedCategory
from domain.catalogue.errors import CatalogueErrorCode
from domain.catalogue.rules import KEEP
from domain.catalogue.writes import choose_slug, guarded
from domain.marketplace import service as marketplace
from domain.shared.errors import Forbidden, InvalidInput, NotFound
from domain.shared.principal import Principal

_CATEGORY = "id, parent_id, name, slug, description, path::text AS path, position, archived_at"
_BRAND = "id, name, slug, description, logo_url, archived_at"


async def _lock_tree(session: AsyncSession) -> None:
    # Category writes are rare: serializing them keeps every path consistent (a child added
    # while its parent moves, two categories moved under each other at once).
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('tributary.category_tree'))"))


async def live_category(session: AsyncSession, category_id: int, *, field: str = "id",
                        lock: str = "FOR UPDATE") -> ManagedCategory:
    """A live category, locked (FOR SHARE by writers that only refer to it, so it cannot be
    archived or moved under them); NotFound otherwise."""
    row = (await session.execute(text(
        f"SELECT {_CATEGORY} FROM categories WHERE id = :id AND archived_at IS NULL {lock}"),
        {"id": category_id})).one_or_none()
    if row is None:
        raise NotFound("No such category.", field=["input", field])
    return ManagedCategory(*row)


async def live_brand(session: AsyncSession, brand_id: int, *, field: str = "id",
                     lock: str = "FOR UPDATE") -> Brand:
    row = (await session.execute(text(
        f"SELECT {_BRAND} FROM brands WHERE id = :id AND archived_at IS NULL {lock}"),
        {"id": brand_id})).one_or_none()
    if row is None:
        raise NotFound("No such brand.", field=["input", field])
    return Brand(*row)


def _position(position: int) -> int:
    if not 0 <= position <= rules.CATEGORY_POSITION_MAX:
        raise InvalidInput(f"A position is 0-{rules.CATEGORY_POSITION_MAX}.", field=["input", "position"])
    return position


def _category_name(name: str) -> str:
    return rules.text(name, "name", max_length=rules.CATEGORY_NAME_MAX, what="A category name")


def _category_description(description: str | None) -> str:
    return rules.text(description or "", "description", max_length=rules.CATEGORY_DESCRIPTION_MAX,
                      required=False, multiline=True, what="A description")


async def create_category(session: AsyncSession, principal: Principal, *, name: str, slug: str | None = None,
                          parent_id: int | None = None, description: str = "", position: int = 0) -> ManagedCategory:
    """Adds a category at the top level or under a live parent. Administrators only."""
    principal.require_admin()
    name = _category_name(name)
    description = _category_description(description)
    position = _position(position)
    await _lock_tree(session)
    parent = await live_category(session, parent_id, field="parentId", lock="FOR SHARE") if parent_id else None
    slug = await choose_slug(session, "categories", slug, name, max_length=rules.CATEGORY_SLUG_MAX,
                             fallback="category", what="category")
    new_id = (await session.execute(text("SELECT nextval(pg_get_serial_sequence('categories', 'id'))"))).scalar()
    path = f"{parent.path}.{new_id}" if parent else str(new_id)
    row = (await guarded(session.execute(text(
        "INSERT INTO categories (id, parent_id, name, slug, description, path, position)"
        " VALUES (:id, :parent, :name, :slug, :description, CAST(:path AS ltree), :position)"
        f" RETURNING {_CATEGORY}"),
        {"id": new_id, "parent": parent_id, "name": name, "slug": slug, "description": description,
         "path": path, "position": position}))).one()
    return ManagedCategory(*row)


async def update_category(session: AsyncSession, principal: Principal, category_id: int, *, name: Any = KEEP,
                          slug: Any = KEEP, parent_id: Any = KEEP, description: Any = KEEP,
                          position: Any = KEEP) -> ManagedCategory:
    """Changes a live category; fields left as KEEP stay. `parent_id` None moves it to the top
    level; moving it under another category moves its whole subtree, and the products in it
    are found under the new ancestors at once. Administrators only."""
    principal.require_admin()
    await _lock_tree(session)
    category = await live_category(session, category_id)
    values: dict[str, Any] = {}
    if name is not KEEP:
        values["name"] = _category_name(name or "")
    if description is not KEEP:
        values["description"] = _category_description(description)
    if position is not KEEP:
        values["position"] = _position(0 if position is None else position)
    if slug is not KEEP:
        if slug is None:
            raise InvalidInput("A category always has a slug.", code=CatalogueErrorCode.SLUG_INVALID, field=["input", "slug"])
        values["slug"] = await choose_slug(session, "categories", slug, "", max_length=rules.CATEGORY_SLUG_MAX,
                                           fallback="category", own_id=category.id, what="category")
    if parent_id is not KEEP and parent_id != category.parent_id:
        await _move(session, category, parent_id)
    if values:
        assignments = ", ".join(f"{column} = :{column}" for column in values)
        await guarded(session.execute(text(f"UPDATE categories SET {assignments} WHERE id = :id"),
                                      {**values, "id": category.id}))
    row = (await session.execute(text(f"SELECT {_CATEGORY} FROM categories WHERE id = :id"),
                                 {"id": category.id})).one()
    return ManagedCategory(*row)


async def _move(session: AsyncSession, category: ManagedCategory, parent_id: int | None) -> None:
    if parent_id is None:
        new_path = str(category.id)
    else:
        parent = await live_category(session, parent_id, field="parentId", lock="FOR SHARE")
        if parent.id == category.id or parent.path.startswith(category.path + "."):
            raise InvalidInput("A category cannot move under itself or one of its own subcategories.",
                               code=CatalogueErrorCode.CATEGORY_CYCLE, field=["input", "parentId"])
        new_path = f"{parent.path}.{category.id}"
    await session.execute(text(
        "UPDATE categories SET path = CASE WHEN path = CAST(:old AS ltree) THEN CAST(:new AS ltree)"
        " ELSE CAST(:new AS ltree) || subpath(path, nlevel(CAST(:old AS ltree))) END"
        " WHERE path <@ CAST(:old AS ltree)"), {"old": category.path, "new": new_path})
    await session.execute(text("UPDATE categories SET parent_id = :parent WHERE id = :id"),
                          {"parent": parent_id, "id": category.id})
    await marketplace.move_search_category(session, category.path, new_path)


async def archive_category(session: AsyncSession, principal: Principal, category_id: int) -> ManagedCategory:
    """Archives an empty category: no live products in it and no live subcategories
    (CATEGORY_NOT_EMPTY). It disappears from the tree and from lookups. Administrators only."""
    principal.require_admin()
    await _lock_tree(session)
    category = await live_category(session, category_id)
    children, products = (await session.execute(text(
        "SELECT (SELECT count(*) FROM categories WHERE parent_id = :id AND archived_at IS NULL),"
        " (SELECT count(*) FROM products WHERE category_id = :id AND archived_at IS NULL)"),
        {"id": category.id})).one()
    if children or products:
        raise InvalidInput(
            f"The category still has {children} live subcategories and {products} live products;"
            " move or archive them first.", code=CatalogueErrorCode.CATEGORY_NOT_EMPTY, field=["input", "id"])
    row = (await session.execute(text(
        f"UPDATE categories SET archived_at = now() WHERE id = :id RETURNING {_CATEGORY}"),
        {"id": category.id})).one()
    return ManagedCategory(*row)


def _brand_name(name: str) -> str:
    return rules.text(name, "name", max_length=rules.BRAND_NAME_MAX, what="A brand name")


def _brand_description(description: str | None) -> str:
    return rules.text(description or "", "description", max_length=rules.BRAND_DESCRIPTION_MAX,
                      required=False, multiline=True, what="A description")


async def create_brand(session: AsyncSession, principal: Principal, *, name: str, slug: str | None = None,
                       description: str = "") -> Brand:
    """Adds a brand. Administrators only."""
    principal.require_admin()
    name = _brand_name(name)
    description = _brand_description(description)
    slug = await choose_slug(session, "brands", slug, name, max_length=rules.BRAND_SLUG_MAX, fallback="brand",
                             what="brand")
    row = (await guarded(session.execute(text(
        f"INSERT INTO brands (name, slug, description) VALUES (:name, :slug, :description) RETURNING {_BRAND}"),
        {"name": name, "slug": slug, "description": description}))).one()
    return Brand(*row)


async def update_brand(session: AsyncSession, principal: Principal, brand_id: int, *, name: Any = KEEP,
                       slug: Any = KEEP, description: Any = KEEP, logo_url: Any = KEEP) -> Brand:
    """Changes a live brand; a new name is searchable on its products at once. Administrators
    change anything; the brand's registered owner changes its description and logo (an https://
    image, null removes it) and nothing else (FORBIDDEN for its name or slug, or another brand)."""
    if not principal.is_admin:
        principal.require_brand_owner(brand_id)
        if name is not KEEP or slug is not KEEP:
            raise Forbidden("Only an administrator renames a brand; its owner edits its description and logo.")
    brand = await live_brand(session, brand_id)
    values: dict[str, Any] = {}
    if name is not KEEP:
        values["name"] = _brand_name(name or "")
    if description is not KEEP:
        values["description"] = _brand_description(description)
    if logo_url is not KEEP:
        values["logo_url"] = None if logo_url is None else rules.image_url(logo_url, ["input", "logoUrl"])
    if slug is not KEEP:
        if slug is None:
            raise InvalidInput("A brand always has a slug.", code=CatalogueErrorCode.SLUG_INVALID, field=["input", "slug"])
        values["slug"] = await choose_slug(session, "brands", slug, "", max_length=rules.BRAND_SLUG_MAX,
                                           fallback="brand", own_id=brand.id, what="brand")
    if values:
        assignments = ", ".join(f"{column} = :{column}" for column in values)
        row = (await guarded(session.execute(text(
            f"UPDATE brands SET {assignments} WHERE id = :id RETURNING {_BRAND}"), {**values, "id": brand.id}))).one()
        brand = Brand(*row)
    if "name" in values:
        product_ids = (await session.execute(text(
            "SELECT id FROM products WHERE brand_id = :id AND archived_at IS NULL"), {"id": brand.id})).scalars()
        await marketplace.refresh_search_documents(session, list(product_ids))
    return brand


async def archive_brand(session: AsyncSession, principal: Principal, brand_id: int) -> Brand:
    """Archives a brand without live products (BRAND_NOT_EMPTY). Administrators only."""
    principal.require_admin()
    brand = await live_brand(session, brand_id)
    products = (await session.execute(text(
        "SELECT count(*) FROM products WHERE brand_id = :id AND archived_at IS NULL"), {"id": brand.id})).scalar()
    if products:
        raise InvalidInput(f"The brand still has {products} live products; archive them or change their brand"
                           " first.", code=CatalogueErrorCode.BRAND_NOT_EMPTY, field=["input", "id"])
    row = (await session.execute(text(f"UPDATE brands SET archived_at = now() WHERE id = :id RETURNING {_BRAND}"),
                                 {"id": brand.id})).one()
    return Brand(*row)
