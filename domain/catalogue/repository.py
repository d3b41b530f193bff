"""SQL for catalogue reads. Every function takes ids in bulk so loaders stay one statement."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from domain.catalogue.entities import Brand, Category, Product, Work
from domain.shared.db import Reader

# Archived categories and brands are gone for readers (they keep their slugs).
_CATEGORY = "SELECT id, parent_id, name, slug, description, path::text AS path, position FROM categories"
_LIVE = "archived_at IS NULL"
_BRAND = "SELECT id, name, slug, description, logo_url FROM brands"
_WORK = "SELECT id, title, original_title, original_publication_year FROM works"
_PRODUCT_COLUMNS = """id, slug, title, description, kind::text AS kind, format::text AS format,
  category_id, brand_id, work_id, isbn, authors, attributes, images, release_date,
  average_rating, ratings_count, created_at, updated_at, archived_at, membership_included, subscribe_eligible"""
_PRODUCT = f"SELECT {_PRODUCT_COLUMNS}\nFROM products"


async def categories_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Category]:
    rows = await reader.fetch(f"{_CATEGORY} WHERE id = ANY($1::bigint[]) AND {_LIVE}", list(ids))
    return {r["id"]: Category(*r) for r in rows}


async def categories_with_ancestors(reader: Reader, ids: Sequence[int]) -> dict[int, Category]:
    """These categories and all their ancestors: breadcrumbs come with the category."""
    rows = await reader.fetch(
        f"{_CATEGORY} c WHERE c.{_LIVE} AND EXISTS (SELECT 1 FROM categories x"
        f" WHERE x.id = ANY($1::bigint[]) AND x.{_LIVE} AND c.path @> x.path)",
        list(ids),
    )
    return {r["id"]: Category(*r) for r in rows}


async def categories_by_slugs(reader: Reader, slugs: Sequence[str]) -> dict[str, Category]:
    rows = await reader.fetch(f"{_CATEGORY} WHERE slug = ANY($1::text[]) AND {_LIVE}", list(slugs))
    return {r["slug"]: Category(*r) for r in rows}


async def category_children(reader: Reader, parent_ids: Sequence[int]) -> dict[int, list[Category]]:
    rows = await reader.fetch(
        f"{_CATEGORY} WHERE parent_id = ANY($1::bigint[]) AND {_LIVE} ORDER BY position, name",
        list(parent_ids),
    )
    children: dict[int, list[Category]] = defaultdict(list)
    for r in rows:
        children[r["parent_id"]].append(Category(*r))
    return children


async def root_categories(reader: Reader) -> list[Category]:
    rows = await reader.fetch(f"{_CATEGORY} WHERE parent_id IS NULL AND {_LIVE} ORDER BY position, name")
    return [Category(*r) for r in rows]


async def brands_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Brand]:
    rows = await reader.fetch(f"{_BRAND} WHERE id = ANY($1::bigint[]) AND {_LIVE}", list(ids))
    return {r["id"]: Brand(*r) for r in rows}


async def brands_by_slugs(reader: Reader, slugs: Sequence[str]) -> dict[str, Brand]:
    rows = await reader.fetch(f"{_BRAND} WHERE slug = ANY($1::text[]) AND {_LIVE}", list(slugs))
    return {r["slug"]: Brand(*r) for r in rows}


async def works_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Work]:
    rows = await reader.fetch(f"{_WORK} WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: Work(*r) for r in rows}


async def products_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Product]:
    rows = await reader.fetch(
        f"{_PRODUCT} WHERE id = ANY($1::bigint[]) AND archived_at IS NULL", list(ids)
    )
    return {r["id"]: Product(*r) for r in rows}


async def products_in_order(reader: Reader, ids_query: str, args: Sequence, limit: int) -> tuple[list[Product], int]:
    """The live products among the first `limit` ids `ids_query` selects (one column of product
    ids, in its order; its parameters `args`), in that order, and how many ids it selected: a page
    of a list and whether there is more, in one statement where the ids and then their products
    took two. An id whose product is gone or archived is left out, as `products_by_ids` leaves it."""
    rows = await reader.fetch(
        f"SELECT {_PRODUCT_COLUMNS}, cardinality(listed.ids) AS selected"
        f" FROM (SELECT ARRAY({ids_query}) AS ids) listed"
        f" CROSS JOIN LATERAL unnest(listed.ids[1:${len(args) + 1}::int]) WITH ORDINALITY AS page(listed_id, listed_at)"
        " LEFT JOIN products ON products.id = page.listed_id AND products.archived_at IS NULL"
        " ORDER BY page.listed_at",
        *args, limit,
    )
    return [Product(*r[:-1]) for r in rows if r[0] is not None], rows[0][-1] if rows else 0


async def products_by_slugs(reader: Reader, slugs: Sequence[str]) -> dict[str, Product]:
    rows = await reader.fetch(
        f"{_PRODUCT} WHERE slug = ANY($1::text[]) AND archived_at IS NULL", list(slugs)
    )
    return {r["slug"]: Product(*r) for r in rows}


async def products_by_isbns(reader: Reader, isbns: Sequence[str]) -> dict[str, Product]:
    rows = await reader.fetch(
        f"{_PRODUCT} WHERE isbn = ANY($1::text[]) AND archived_at IS NULL", list(isbns)
    )
    return {r["isbn"]: Product(*r) for r in rows}


async def products_by_work_ids(reader: Reader, work_ids: Sequence[int]) -> dict[int, list[Product]]:
    rows = await reader.fetch(
        f"{_PRODUCT} WHERE work_id = ANY($1::bigint[]) AND archived_at IS NULL"
        " ORDER BY work_id, format, id",
        list(work_ids),
    )
    formats: dict[int, list[Product]] = defaultdict(list)
    for r in rows:
        formats[r["work_id"]].append(Product(*r))
    return formats


async def lendable_by_product_ids(reader: Reader, ids: Sequence[int]) -> dict[int, bool]:
    """Whether each product may be lent by its buyers (archived products included: a licence
    outlives its product's listing)."""
    rows = await reader.fetch("SELECT id, lendable FROM products WHERE id = ANY($1::bigint[])", list(ids))
    return {r["id"]: r["lendable"] for r in rows}
