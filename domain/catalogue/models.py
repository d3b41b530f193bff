"""Catalogue tables: the category tree, brands, works, products, and staged product imports."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, ENUM, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domain.catalogue.statuses import ProductFormat, ProductImportFormat, ProductImportStatus, ProductKind
from domain.shared.db import Base
from domain.shared.types import Ltree

# Which formats each kind comes in. The kind says how a product is delivered: PHYSICAL is
# shipped (discs included), EBOOK and VIDEO are digital (a reading or a streaming licence),
# MEMBERSHIP is a plan.
_F = ProductFormat
FORMATS_BY_KIND: dict[ProductKind, tuple[ProductFormat, ...]] = {
    ProductKind.PHYSICAL: (_F.HARDCOVER, _F.PAPERBACK, _F.AUDIOBOOK, _F.DVD, _F.BLU_RAY, _F.CD, _F.VINYL, _F.STANDARD),
    ProductKind.EBOOK: (_F.KINDLE, _F.AUDIOBOOK),
    ProductKind.VIDEO: (_F.STREAMING,),
    ProductKind.MEMBERSHIP: (_F.STANDARD,),
}
KIND_FORMAT_CHECK = " OR ".join(
    f"(kind = '{kind}' AND format IN ({', '.join(repr(f) for f in formats)}))"
    for kind, formats in FORMATS_BY_KIND.items())
product_kind = ENUM(*ProductKind, name="product_kind")
product_format = ENUM(*ProductFormat, name="product_format")
import_format = ENUM(*ProductImportFormat, name="product_import_format")
import_status = ENUM(*ProductImportStatus, name="product_import_status")


class Category(Base):
    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_categories_path_gist", "path", postgresql_using="gist"),
        Index("ix_categories_parent_id_position", "parent_id", "position"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    description: Mapped[str] = mapped_column(Text, server_default="")
    # ids from the root down ("1.14.203"), so subtree filters are one indexed `<@`.
    path: Mapped[str] = mapped_column(Ltree)
    position: Mapped[int] = mapped_column(Integer, server_default="0")
    # Archived categories are hidden everywhere; they keep their slug.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Brand(Base):
    __tablename__ = "brands"
    __table_args__ = (
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
        CheckConstraint("logo_url IS NULL OR (logo_url ~ '^https://' AND length(logo_url) <= 2000)", name="logo_url_https"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    description: Mapped[str] = mapped_column(Text, server_default="")
    # Set by the brand's registered owner (or an administrator): an https:// image.
    logo_url: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Work(Base):
    """One title in all its formats (hardcover, paperback, Kindle edition...)."""

    __tablename__ = "works"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    original_title: Mapped[str | None] = mapped_column(String(500))
    original_publication_year: Mapped[int | None] = mapped_column(Integer)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
        CheckConstraint("isbn IS NULL OR isbn ~ '^97[89][0-9]{10}$'", name="isbn13"),
        CheckConstraint("jsonb_typeof(attributes) = 'object'", name="attributes_object"),
        CheckConstraint("jsonb_typeof(images) = 'array'", name="images_array"),
        CheckConstraint(
            "average_rating IS NULL OR average_rating BETWEEN 1 AND 5", name="average_rating_range"
        ),
        CheckConstraint("ratings_count >= 0", name="ratings_count_positive"),
        CheckConstraint(KIND_FORMAT_CHECK, name="format_of_kind"),
        Index("ix_products_work_id", "work_id"),
        Index("ix_products_category_id", "category_id"),
        Index("ix_products_brand_id", "brand_id"),
        Index("ix_products_membership_included", "id", postgresql_where=text("membership_included")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, server_default="")
    kind: Mapped[str] = mapped_column(product_kind)
    format: Mapped[str] = mapped_column(product_format)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="RESTRICT"))
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id", ondelete="RESTRICT"))
    isbn: Mapped[str | None] = mapped_column(String(13), unique=True)
    authors: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    # Typed attribute values by name: {"pages": 320, "language": "eng", "colour": "red"}.
    attributes: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    # [{"url": ..., "altText": ..., "width": ..., "height": ...}] in display order.
    images: Mapped[list] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    release_date: Mapped[date | None] = mapped_column(Date)
    # The work's review summary average, to one decimal, kept by the reviews' triggers.
    average_rating: Mapped[float | None] = mapped_column(Numeric(2, 1))
    ratings_count: Mapped[int] = mapped_column(Integer, server_default="0")
    # Members may borrow it (e-books and videos of the membership library).
    membership_included: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # An e-book its buyers may lend once to another customer (licences.lending).
    lendable: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # A consumable customers may subscribe to (Subscribe & Save deliveries).
    subscribe_eligible: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProductImport(Base):
    """A products file uploaded in chunks by an administrator, then imported by a worker.

    The counters and the first row errors are written in the same transaction as each batch
    of rows, so a worker that stops half-way resumes after the last committed batch."""

    __tablename__ = "product_imports"
    __table_args__ = (
        CheckConstraint("chunks >= 0 AND size_bytes >= 0", name="size_not_negative"),
        CheckConstraint(
            "rows_processed >= 0 AND rows_created >= 0 AND rows_updated >= 0 AND rows_failed >= 0"
            " AND rows_created + rows_updated + rows_failed = rows_processed",
            name="row_counts_add_up"),
        CheckConstraint("jsonb_typeof(errors) = 'array'", name="errors_array"),
        Index("ix_product_imports_created_by", "created_by"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(import_format)
    dry_run: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    status: Mapped[str] = mapped_column(import_status, server_default="UPLOADING")
    chunks: Mapped[int] = mapped_column(Integer, server_default="0")
    size_bytes: Mapped[int] = mapped_column(BigInteger, server_default="0")
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_processed: Mapped[int] = mapped_column(Integer, server_default="0")
    rows_created: Mapped[int] = mapped_column(Integer, server_default="0")
    rows_updated: Mapped[int] = mapped_column(Integer, server_default="0")
    rows_failed: Mapped[int] = mapped_column(Integer, server_default="0")
    # The first row errors: [{"row": 12, "field": "isbn", "code": "ISBN_INVALID", "message": ...}].
    errors: Mapped[list] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    failure_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProductImportChunk(Base):
    """One uploaded piece of an import's file, in upload order (deleted once imported)."""

    __tablename__ = "product_import_chunks"
    __table_args__ = (CheckConstraint("position >= 0", name="position_not_negative"),)

    import_id: Mapped[int] = mapped_column(
        ForeignKey("product_imports.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[str] = mapped_column(Text)


class ProductReviewFlag(Base):
    """A report that a product's catalogue data may be wrong (e.g. a customer received a
    different item than the page shows), for the catalogue team to check; open until resolved."""

    __tablename__ = "product_review_flags"
    __table_args__ = (
        CheckConstraint("length(reason) BETWEEN 1 AND 1000", name="reason_length"),
        Index("ix_product_review_flags_open", "product_id", postgresql_where=text("resolved_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    # Where the report came from, e.g. "WRONG_ITEM".
    source: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    # What it is about, e.g. "order-line:42".
    reference: Mapped[str | None] = mapped_column(String(200))
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
