"""Catalogue read entities, built straight from rows (no ORM on the hot read path)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.shared.clock import today


@dataclass(slots=True)
class Category:
    id: int
    parent_id: int | None
    name: str
    slug: str
    description: str
    path: str
    position: int

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent (the path without this category)."""
        return [int(label) for label in self.path.split(".")[:-1]]

    @property
    def depth(self) -> int:
        return self.path.count(".")


@dataclass(slots=True)
class ManagedCategory(Category):
    """A category as the management use cases return it: archived ones too (readers never
    see those)."""

    archived_at: datetime | None = None


@dataclass(slots=True)
class Brand:
    id: int
    name: str
    slug: str
    description: str
    logo_url: str | None = None
    archived_at: datetime | None = None


@dataclass(slots=True)
class Work:
    id: int
    title: str
    original_title: str | None
    original_publication_year: int | None


@dataclass(slots=True)
class Product:
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
    attributes: dict
    images: list[dict]
    release_date: date | None
    average_rating: Decimal | None
    ratings_count: int
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None
    membership_included: bool = False
    # A Subscribe & Save product: cart lines of it may be subscriptions.
    subscribe_eligible: bool = False

    @property
    def is_preorder(self) -> bool:
        """A product announced with a release date still in the future is sold as a pre-order."""
        return self.release_date is not None and self.release_date > today()


@dataclass(slots=True)
class RowError:
    """Why one row of an import file was not imported. `row` is the line of the file the
    record starts on (the CSV header is line 1); `field` the column at fault, if one is."""

    row: int
    field: str | None
    code: str
    message: str

    def as_json(self) -> dict:
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message}


@dataclass(slots=True)
class ProductImport:
    """A staged products file and the progress of its import."""

    id: int
    created_by: int | None
    format: str
    dry_run: bool
    status: str
    chunks: int
    size_bytes: int
    rows_total: int | None
    rows_processed: int
    rows_created: int
    rows_updated: int
    rows_failed: int
    errors: list[RowError]
    failure_message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
