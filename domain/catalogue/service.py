"""Catalogue use cases, as other contexts and the API call them.

Reads: the catalogue is public; anyone may read live categories, brands and products, and
archived ones are never returned. Writes (management and imports) are for administrators.
Review flags (`review_flags`): reports that a product's data may be wrong, opened by other
contexts (a wrong item received), listed and resolved by administrators."""
from __future__ import annotations

from domain.catalogue import repository, review_flags
from domain.catalogue.entities import Brand, Category, Product
from domain.catalogue.imports import (  # noqa: F401
    append_chunk,
    create_import,
    find_import,
    imports_by_ids,
    run_import,
    start_import,
)
from domain.catalogue.isbn import normalize_isbn
from domain.catalogue.management import (  # noqa: F401
    archive_brand,
    archive_category,
    create_brand,
    create_category,
    update_brand,
    update_category,
)
from domain.catalogue.products import (  # noqa: F401
    RELEASE_DATE_CHANGED,
    ProductFields,
    archive_product,
    create_product,
    update_product,
)
from domain.shared.db import Reader
from domain.shared.lookup import exactly_one

# Product review flags
ReviewFlag = review_flags.ReviewFlag
flag_product = review_flags.flag_product
resolve_flag = review_flags.resolve_flag
open_flags = review_flags.open_flags
review_flags_page = review_flags.flags
review_flags_by_ids = review_flags.flags_by_ids
open_review_flag_counts = review_flags.open_flag_counts

# Bulk reads used by the API's loaders; they enforce the archive rule in SQL.
categories_by_ids = repository.categories_by_ids
lendable_by_product_ids = repository.lendable_by_product_ids
categories_with_ancestors = repository.categories_with_ancestors
categories_by_slugs = repository.categories_by_slugs
category_children = repository.category_children
root_categories = repository.root_categories
brands_by_ids = repository.brands_by_ids
brands_by_slugs = repository.brands_by_slugs
works_by_ids = repository.works_by_ids
products_by_ids = repository.products_by_ids
products_in_order = repository.products_in_order
products_by_work_ids = repository.products_by_work_ids


async def find_product(reader: Reader, *, id: int | None = None, slug: str | None = None,
                       isbn: str | None = None) -> Product | None:
    """A product by exactly one of id, slug or ISBN (ISBN-10 and ISBN-13 both accepted)."""
    key, value = exactly_one(id=id, slug=slug, isbn=isbn)
    if key == "id":
        return (await repository.products_by_ids(reader, [value])).get(value)
    if key == "slug":
        return (await repository.products_by_slugs(reader, [value])).get(value)
    isbn13 = normalize_isbn(value)
    return (await repository.products_by_isbns(reader, [isbn13])).get(isbn13)


async def find_category(reader: Reader, *, id: int | None = None, slug: str | None = None) -> Category | None:
    """A category by exactly one of id or slug."""
    key, value = exactly_one(id=id, slug=slug)
    if key == "id":
        return (await repository.categories_by_ids(reader, [value])).get(value)
    return (await repository.categories_by_slugs(reader, [value])).get(value)


async def find_brand(reader: Reader, *, id: int | None = None, slug: str | None = None) -> Brand | None:
    """A brand by exactly one of id or slug."""
    key, value = exactly_one(id=id, slug=slug)
    if key == "id":
        return (await repository.brands_by_ids(reader, [value])).get(value)
    return (await repository.brands_by_slugs(reader, [value])).get(value)
