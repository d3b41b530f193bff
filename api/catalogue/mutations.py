"""Catalogue management mutations (administrators only: anyone else gets a top-level FORBIDDEN
or UNAUTHENTICATED error). Each runs one use case in one transaction."""
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.catalogue.enums import CatalogueErrorCode
from api.catalogue.import_types import ProductImport
from api.catalogue.inputs import (
    ArchiveBrandInput,
    ArchiveCategoryInput,
    ArchiveProductInput,
    CreateBrandInput,
    CreateCategoryInput,
    CreateProductInput,
    ProductsImportAppendInput,
    ProductsImportCreateInput,
    ProductsImportStartInput,
    UpdateBrandInput,
    UpdateCategoryInput,
    UpdateProductInput,
)
from api.catalogue.types import Brand, CatalogueError, Category, Product
from api.core import ids
from api.core.arguments import MutationInput
from api.core.mutations import run
from api.core.renames import former_name
from domain.catalogue import service as catalogue
from domain.catalogue.rules import KEEP, AttributeInput
from domain.catalogue.rules import ImageInput as DomainImage


async def _run(info: Info, use_case):
    return await run(info, use_case, CatalogueError, CatalogueErrorCode)


def _kept(value: Any) -> Any:
    return KEEP if value is strawberry.UNSET else value


def _pk(value: Any, type_name: str, field: str) -> Any:
    """A global ID decoded to a database id; UNSET stays KEEP and null stays None."""
    if value is strawberry.UNSET:
        return KEEP
    return None if value is None else ids.decode_as(value, type_name, f"input.{field}")


def _enum(value: Any) -> Any:
    return value.value if value not in (None, strawberry.UNSET) else _kept(value)


def _attributes(given: Any) -> Any:
    if given in (None, strawberry.UNSET):
        return _kept(given)
    return [AttributeInput(a.name, a.type.value, a.value) for a in given]


def _images(given: Any) -> Any:
    if given in (None, strawberry.UNSET):
        return _kept(given)
    return [DomainImage(i.url, i.alt_text, i.width, i.height) for i in given]


def _product_fields(input: CreateProductInput | UpdateProductInput) -> catalogue.ProductFields:
    return catalogue.ProductFields(
        title=_kept(input.title), slug=_kept(input.slug), description=_kept(input.description),
        kind=_enum(input.kind), format=_enum(input.format),
        category_id=_pk(input.category_id, "Category", "categoryId"),
        brand_id=_pk(input.brand_id, "Brand", "brandId"), work_id=_pk(input.work_id, "Work", "workId"),
        work_title=_kept(input.work_title), isbn=_kept(input.isbn), authors=_kept(input.authors),
        attributes=_attributes(input.attributes), images=_images(input.images),
        release_date=_kept(input.release_date),
    )


@strawberry.type(description="Result of a category mutation.")
class CategoryPayload:
    category: Category | None = strawberry.field(description="The category as it is now; null on failure.")
    user_errors: list[CatalogueError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of a brand mutation.")
class BrandPayload:
    brand: Brand | None = strawberry.field(description="The brand as it is now; null on failure.")
    user_errors: list[CatalogueError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of a product mutation.")
class ProductPayload:
    product: Product | None = strawberry.field(description="The product as it is now; null on failure.")
    user_errors: list[CatalogueError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of a products import mutation.")
class ProductImportPayload:
    product_import: ProductImport | None = strawberry.field(description="The import as it is now; null on failure.")
    user_errors: list[CatalogueError] = strawberry.field(description="Why it failed.")


@strawberry.type
class CatalogueMutation:
    @strawberry.mutation(description="Add a category at the top level or under a live parent. Administrators only.")
    async def create_category(self, info: Info, input: Annotated[CreateCategoryInput, MutationInput]) -> CategoryPayload:
        parent_id = _pk(input.parent_id, "Category", "parentId")
        category, errors = await _run(info, lambda s, viewer: catalogue.create_category(
            s, viewer, name=input.name, slug=input.slug, parent_id=parent_id, description=input.description,
            position=input.position))
        return CategoryPayload(category=category, user_errors=errors)

    @strawberry.mutation(description="Change a category, or move it (with its whole subtree and its products) under another parent. Administrators only.")
    async def update_category(self, info: Info, input: Annotated[UpdateCategoryInput, MutationInput]) -> CategoryPayload:
        category_id = ids.decode_as(input.id, "Category", "input.id")
        parent_id = _pk(input.parent_id, "Category", "parentId")
        category, errors = await _run(info, lambda s, viewer: catalogue.update_category(
            s, viewer, category_id, name=_kept(input.name), slug=_kept(input.slug), parent_id=parent_id,
            description=_kept(input.description), position=_kept(input.position)))
        return CategoryPayload(category=category, user_errors=errors)

    @strawberry.mutation(description="Archive a category without live products or live subcategories (CATEGORY_NOT_EMPTY): it disappears from the tree and from lookups. Administrators only.")
    async def archive_category(self, info: Info, input: Annotated[ArchiveCategoryInput, MutationInput]) -> CategoryPayload:
        category_id = ids.decode_as(input.id, "Category", "input.id")
        category, errors = await _run(info, lambda s, viewer: catalogue.archive_category(s, viewer, category_id))
        return CategoryPayload(category=category, user_errors=errors)

    @strawberry.mutation(description="Add a brand. Administrators only.")
    async def create_brand(self, info: Info, input: Annotated[CreateBrandInput, MutationInput]) -> BrandPayload:
        brand, errors = await _run(info, lambda s, viewer: catalogue.create_brand(
            s, viewer, name=input.name, slug=input.slug, description=input.description))
        return BrandPayload(brand=brand, user_errors=errors)

    @strawberry.mutation(description="Change a brand (only the fields given). Administrators change anything; the brand's registered owner (BRAND_OWNER of this brand) changes its description and logo only (FORBIDDEN for its name or slug, or for another brand).")
    async def update_brand(self, info: Info, input: Annotated[UpdateBrandInput, MutationInput]) -> BrandPayload:
        brand_id = ids.decode_as(input.id, "Brand", "input.id")
        brand, errors = await _run(info, lambda s, viewer: catalogue.update_brand(
            s, viewer, brand_id, name=_kept(input.name), slug=_kept(input.slug),
            description=_kept(input.description), logo_url=_kept(input.logo_url)))
        return BrandPayload(brand=brand, user_errors=errors)

    @strawberry.mutation(description="Archive a brand without live products (BRAND_NOT_EMPTY). Administrators only.")
    async def archive_brand(self, info: Info, input: Annotated[ArchiveBrandInput, MutationInput]) -> BrandPayload:
        brand_id = ids.decode_as(input.id, "Brand", "input.id")
        brand, errors = await _run(info, lambda s, viewer: catalogue.archive_brand(s, viewer, brand_id))
        return BrandPayload(brand=brand, user_errors=errors)

    @strawberry.mutation(description="Add a product; it is in search and listings as soon as this returns. Administrators only.")
    async def create_product(self, info: Info, input: Annotated[CreateProductInput, MutationInput]) -> ProductPayload:
        fields = _product_fields(input)
        product, errors = await _run(info, lambda s, viewer: catalogue.create_product(s, viewer, fields))
        return ProductPayload(product=product, user_errors=errors)

    @strawberry.mutation(description="Change a live product; search follows at once. Administrators only.")
    async def update_product(self, info: Info, input: Annotated[UpdateProductInput, MutationInput]) -> ProductPayload:
        product_id = ids.decode_as(input.id, "Product", "input.id")
        fields = _product_fields(input)
        product, errors = await _run(info, lambda s, viewer: catalogue.update_product(s, viewer, product_id, fields))
        return ProductPayload(product=product, user_errors=errors)

    @strawberry.mutation(description="Archive a product: it leaves search, listings and lookups at once, and keeps its slug and ISBN. Administrators only.")
    async def archive_product(self, info: Info, input: Annotated[ArchiveProductInput, MutationInput]) -> ProductPayload:
        product_id = ids.decode_as(input.id, "Product", "input.id")
        product, errors = await _run(info, lambda s, viewer: catalogue.archive_product(s, viewer, product_id))
        return ProductPayload(product=product, user_errors=errors)

    @strawberry.mutation(description="Open a products import: upload the file with `appendProductImportChunk` (chunks of at most 64,000 bytes, 50 MB in all), then `startProductImport`. Administrators only.")
    async def create_product_import(self, info: Info, input: Annotated[ProductsImportCreateInput, MutationInput]) -> ProductImportPayload:
        staged, errors = await _run(info, lambda s, viewer: catalogue.create_import(
            s, viewer, input.format.value, dry_run=input.dry_run))
        return ProductImportPayload(product_import=staged, user_errors=errors)

    @strawberry.mutation(description="Upload the next chunk of an import's file, in order. Administrators only.")
    async def append_product_import_chunk(self, info: Info, input: Annotated[ProductsImportAppendInput, MutationInput]) -> ProductImportPayload:
        import_id = ids.decode_as(input.import_id, "ProductImport", "input.importId")
        staged, errors = await _run(info, lambda s, viewer: catalogue.append_chunk(
            s, viewer, import_id, input.index, input.chunk))
        return ProductImportPayload(product_import=staged, user_errors=errors)

    @strawberry.mutation(description="Start an uploaded import: a worker imports it in batches; follow it with `productsImport(id:)`. Administrators only.")
    async def start_product_import(self, info: Info, input: Annotated[ProductsImportStartInput, MutationInput]) -> ProductImportPayload:
        import_id = ids.decode_as(input.import_id, "ProductImport", "input.importId")
        staged, errors = await _run(info, lambda s, viewer: catalogue.start_import(s, viewer, import_id))
        return ProductImportPayload(product_import=staged, user_errors=errors)

    # Former names, deprecated: see api.core.renames.
    products_import_create = former_name(create_product_import, "createProductImport")
    products_import_append = former_name(append_product_import_chunk, "appendProductImportChunk")
    products_import_start = former_name(start_product_import, "startProductImport")
