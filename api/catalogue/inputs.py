"""Catalogue management inputs. In `update...` inputs a field left out stays as it is, and
null clears an optional field."""
import datetime
from typing import Optional

import strawberry

from api.catalogue.enums import AttributeType, ProductFormat, ProductImportFormat, ProductKind

_SLUG = "URL-safe unique name: lower-case letters and digits separated by single hyphens"


@strawberry.input(description="A new category.")
class CreateCategoryInput:
    name: str = strawberry.field(description="Display name, 1-120 characters.")
    slug: str | None = strawberry.field(default=None, description=f"{_SLUG}, at most 140 characters; generated from the name when absent.")
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="Global ID of the live parent category; absent for a top-level category.")
    description: str = strawberry.field(default="", description="Longer text for the category page, at most 2,000 characters.")
    position: int = strawberry.field(default=0, description="Order among its siblings, 0-10,000 (lower first).")


@strawberry.input(description="Changes to a category; fields left out stay as they are.")
class UpdateCategoryInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the live category.")
    name: Optional[str] = strawberry.field(default=strawberry.UNSET, description="Display name, 1-120 characters.")
    slug: Optional[str] = strawberry.field(default=strawberry.UNSET, description=f"{_SLUG}, at most 140 characters.")
    parent_id: Optional[strawberry.ID] = strawberry.field(default=strawberry.UNSET, description="Move the category (with its whole subtree) under this live category; null moves it to the top level. Never under itself or its own subcategories.")
    description: Optional[str] = strawberry.field(default=strawberry.UNSET, description="At most 2,000 characters; null empties it.")
    position: Optional[int] = strawberry.field(default=strawberry.UNSET, description="Order among its siblings, 0-10,000.")


@strawberry.input(description="A category to archive.")
class ArchiveCategoryInput:
    id: strawberry.ID = strawberry.field(description="Global ID of a live category without live products or live subcategories.")


@strawberry.input(description="A new brand.")
class CreateBrandInput:
    name: str = strawberry.field(description="Display name, 1-120 characters.")
    slug: str | None = strawberry.field(default=None, description=f"{_SLUG}, at most 140 characters; generated from the name when absent.")
    description: str = strawberry.field(default="", description="About the brand, at most 5,000 characters.")


@strawberry.input(description="Changes to a brand; fields left out stay as they are.")
class UpdateBrandInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the live brand.")
    name: Optional[str] = strawberry.field(default=strawberry.UNSET, description="Display name, 1-120 characters; searchable on the brand's products at once.")
    slug: Optional[str] = strawberry.field(default=strawberry.UNSET, description=f"{_SLUG}, at most 140 characters.")
    description: Optional[str] = strawberry.field(default=strawberry.UNSET, description="At most 5,000 characters; null empties it. The brand's registered owner may change it.")
    logo_url: Optional[str] = strawberry.field(default=strawberry.UNSET, description="The brand's logo: an absolute https:// image URL of at most 2,000 characters (IMAGE_URL_INVALID otherwise); null removes it. The brand's registered owner may change it.")


@strawberry.input(description="A brand to archive.")
class ArchiveBrandInput:
    id: strawberry.ID = strawberry.field(description="Global ID of a live brand without live products.")


@strawberry.input(description="A typed product attribute.")
class ProductAttributeInput:
    name: str = strawberry.field(description="camelCase ASCII name, 1-40 characters, e.g. `pages`. Unique within a product.")
    type: AttributeType = strawberry.field(description="How to read `value`. Well-known attributes have a fixed type (pages, weightGrams, fileSizeKb, publicationYear, releaseYear, runtimeMinutes, discs, tracks and minAge are NUMBER; language, publisher, colour, size and material are STRING).")
    value: str = strawberry.field(description="The value as text: 1-500 characters for STRING, a decimal number for NUMBER, `true` or `false` for BOOLEAN, a JSON array of at most 50 strings or numbers for LIST.")


@strawberry.input(description="A product image.")
class ImageInput:
    url: str = strawberry.field(description="Absolute https:// URL with a host name, at most 2,000 characters.")
    alt_text: str | None = strawberry.field(default=None, description="Text alternative for screen readers, at most 300 characters.")
    width: int | None = strawberry.field(default=None, description="Width in pixels, 1-20,000.")
    height: int | None = strawberry.field(default=None, description="Height in pixels, 1-20,000.")


@strawberry.input(description="A new product.")
class CreateProductInput:
    title: str = strawberry.field(description="Display title, 1-500 characters.")
    kind: ProductKind = strawberry.field(description="What the product is.")
    category_id: strawberry.ID = strawberry.field(description="Global ID of the live category to list it in.")
    format: ProductFormat | None = strawberry.field(default=None, description="A format the kind comes in (PHYSICAL: HARDCOVER, PAPERBACK, AUDIOBOOK, DVD, BLU_RAY, CD, VINYL, STANDARD; EBOOK: KINDLE, AUDIOBOOK; VIDEO: STREAMING; MEMBERSHIP: STANDARD). Default: STANDARD, KINDLE for EBOOK, STREAMING for VIDEO.")
    slug: str | None = strawberry.field(default=None, description=f"{_SLUG}, at most 200 characters; generated from the title and format when absent.")
    description: str = strawberry.field(default="", description="Plain text, at most 20,000 characters.")
    brand_id: strawberry.ID | None = strawberry.field(default=None, description="Global ID of a live brand.")
    work_id: strawberry.ID | None = strawberry.field(default=None, description="Global ID of the work this product is a format of.")
    work_title: str | None = strawberry.field(default=None, description="Make the product the first format of a new work with this title (1-500 characters). Not with workId.")
    isbn: str | None = strawberry.field(default=None, description="ISBN-10 or ISBN-13, hyphens allowed; stored as ISBN-13. Unique.")
    authors: list[str] = strawberry.field(default_factory=list, description="Authors in credit order: at most 30 names of 1-200 characters.")
    attributes: list[ProductAttributeInput] = strawberry.field(default_factory=list, description="Typed attributes, at most 50.")
    images: list[ImageInput] = strawberry.field(default_factory=list, description="Images in display order, at most 20; the first is the main image.")
    release_date: datetime.date | None = strawberry.field(default=None, description="Release date; a future date makes the product a pre-order.")


@strawberry.input(description="Changes to a product; fields left out stay as they are, null clears an optional one.")
class UpdateProductInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the live product.")
    title: Optional[str] = strawberry.field(default=strawberry.UNSET, description="Display title, 1-500 characters. The slug does not follow it.")
    kind: Optional[ProductKind] = strawberry.field(default=strawberry.UNSET, description="What the product is; the format must be one the kind comes in.")
    format: Optional[ProductFormat] = strawberry.field(default=strawberry.UNSET, description="A format the kind comes in; null sets the kind's default.")
    category_id: Optional[strawberry.ID] = strawberry.field(default=strawberry.UNSET, description="Global ID of the live category to list it in.")
    slug: Optional[str] = strawberry.field(default=strawberry.UNSET, description=f"{_SLUG}, at most 200 characters.")
    description: Optional[str] = strawberry.field(default=strawberry.UNSET, description="Plain text, at most 20,000 characters; null empties it.")
    brand_id: Optional[strawberry.ID] = strawberry.field(default=strawberry.UNSET, description="Global ID of a live brand; null removes the brand.")
    work_id: Optional[strawberry.ID] = strawberry.field(default=strawberry.UNSET, description="Global ID of the work this product is a format of; null detaches it.")
    work_title: Optional[str] = strawberry.field(default=strawberry.UNSET, description="Make the product a format of a new work with this title. Not with workId.")
    isbn: Optional[str] = strawberry.field(default=strawberry.UNSET, description="ISBN-10 or ISBN-13, hyphens allowed; null removes it.")
    authors: Optional[list[str]] = strawberry.field(default=strawberry.UNSET, description="Replaces the authors (at most 30); null removes them.")
    attributes: Optional[list[ProductAttributeInput]] = strawberry.field(default=strawberry.UNSET, description="Replaces every attribute (at most 50); null removes them.")
    images: Optional[list[ImageInput]] = strawberry.field(default=strawberry.UNSET, description="Replaces every image (at most 20); null removes them.")
    release_date: Optional[datetime.date] = strawberry.field(default=strawberry.UNSET, description="Release date; null removes it. Pre-orders waiting for the product move with it: they are charged and released on the new date, and their customers get an e-mail.")


@strawberry.input(description="A product to archive.")
class ArchiveProductInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the live product.")


@strawberry.input(description="A products file to upload in chunks, then import.")
class ProductsImportCreateInput:
    format: ProductImportFormat = strawberry.field(description="CSV or JSONL; the columns are documented in the README (Catalogue imports).")
    dry_run: bool = strawberry.field(default=False, description="Only validate the rows and report errors; write nothing.")


@strawberry.input(description="The next piece of an import's file.")
class ProductsImportAppendInput:
    import_id: strawberry.ID = strawberry.field(description="Global ID of the import (from createProductImport).")
    index: int = strawberry.field(description="0 for the first chunk, then 1, 2...; sending a chunk again with the same index and content is a harmless retry.")
    chunk: str = strawberry.field(description="The next part of the file's text, at most 64,000 bytes of UTF-8 (pieces may split a line anywhere).")


@strawberry.input(description="An uploaded import to start.")
class ProductsImportStartInput:
    import_id: strawberry.ID = strawberry.field(description="Global ID of the import, with every chunk uploaded.")
