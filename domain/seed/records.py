"""The rows the seeder builds in memory before copying them into PostgreSQL."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

# The demo data set's fixed "now": every date is relative to it, so two runs on different
# days produce identical rows.
REFERENCE_TIME = datetime(2026, 11, 1, tzinfo=timezone.utc)
REFERENCE_DATE = REFERENCE_TIME.date()

# One master seed; each part derives its own stream from it so that changing how many rows
# one part makes does not reshuffle the others.
SEED = 20261123


def charm_price(minor: float, floor: int = 99) -> int:
    """Round to a whole dollar less one cent (19.99), as shelf prices usually are."""
    return max(floor, int(round(minor / 100.0)) * 100 - 1)


def to_json(value: object) -> str:
    # asyncpg's binary jsonb codec takes the JSON text, not Python objects.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class ProductSeed:
    id: int
    slug: str
    title: str
    description: str
    kind: str
    format: str
    category_id: int
    brand_id: int | None
    work_id: int | None
    isbn: str | None
    authors: list[str]
    attributes: dict[str, object]
    images: list[dict[str, object]]
    release_date: date | None
    average_rating: Decimal | None
    ratings_count: int
    created_at: datetime
    # Not columns: what the offer generator needs to price and spread offers.
    top_category_id: int
    list_price_minor: int
    popular: bool = False
    # A Subscribe & Save product (grocery and household consumables).
    subscribe_eligible: bool = False

    @property
    def digital(self) -> bool:
        return self.kind == "EBOOK" or self.format == "STREAMING"

    @property
    def preorder(self) -> bool:
        return self.release_date is not None and self.release_date > REFERENCE_DATE

    def record(self) -> tuple[object, ...]:
        return (
            self.id, self.slug, self.title, self.description, self.kind, self.format,
            self.category_id, self.brand_id, self.work_id, self.isbn, self.authors,
            to_json(self.attributes), to_json(self.images), self.release_date,
            self.average_rating, self.ratings_count, self.created_at, self.created_at, self.subscribe_eligible,
        )


PRODUCT_COLUMNS = (
    "id", "slug", "title", "description", "kind", "format", "category_id", "brand_id", "work_id",
    "isbn", "authors", "attributes", "images", "release_date", "average_rating", "ratings_count",
    "created_at", "updated_at", "subscribe_eligible",
)


@dataclass(slots=True)
class Draft:
    """A generated product's own words and numbers, before ids, slugs and ratings."""

    title: str
    kind: str
    format: str
    authors: list[str]
    attributes: dict[str, object]
    price_minor: int
    description: str
    image_size: tuple[int, int] = (1000, 1000)


@dataclass(frozen=True, slots=True)
class WorkSeed:
    id: int
    title: str
    original_title: str | None
    original_publication_year: int | None

    def record(self) -> tuple[object, ...]:
        return (self.id, self.title, self.original_title, self.original_publication_year)


WORK_COLUMNS = ("id", "title", "original_title", "original_publication_year")


@dataclass(frozen=True, slots=True)
class BrandSeed:
    id: int
    name: str
    slug: str
    description: str
    top_category_id: int

    def record(self) -> tuple[object, ...]:
        return (self.id, self.name, self.slug, self.description)


BRAND_COLUMNS = ("id", "name", "slug", "description")
