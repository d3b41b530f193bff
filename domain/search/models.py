"""The search read model: one denormalized row per sellable product, refreshed from the
catalogue and the marketplace, so a search or a filtered browse is one indexed table scan."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
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
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from domain.catalogue.models import product_format, product_kind
from domain.shared.db import Base
from domain.shared.types import Ltree


class SearchDocument(Base):
    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_document", "document", postgresql_using="gin"),
        # The words and the category ids of the path together: a search in a department
        # intersects both in one index scan (domain/search/repository.py, CATEGORY_IDS).
        Index("ix_search_documents_document_categories", "document",
              text("string_to_array(category_path::text, '.')"), postgresql_using="gin"),
        Index("ix_search_documents_title_trgm", func.lower(text("title")).label("lower_title"),
              postgresql_using="gin", postgresql_ops={"lower_title": "gin_trgm_ops"}),
        Index("ix_search_documents_category_path", "category_path", postgresql_using="gist"),
        Index("ix_search_documents_brand_id", "brand_id"),
        Index("ix_search_documents_popularity", text("ratings_count DESC"), "product_id"),
        Index("ix_search_documents_price", "price_minor", "product_id"),
        Index("ix_search_documents_title", "title", "product_id"),
        # The formats of a title, counted for its search-box suggestion at every refresh.
        Index("ix_search_documents_lower_title", func.lower(text("title")).label("lower_title_key")),
        Index("ix_search_documents_release", text("release_date DESC NULLS LAST"), "product_id"),
        Index("ix_search_documents_work_id", "work_id"),
    )

    product_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(500))
    byline: Mapped[str] = mapped_column(Text, server_default="")
    kind: Mapped[str] = mapped_column(product_kind)
    format: Mapped[str] = mapped_column(product_format)
    category_path: Mapped[str] = mapped_column(Ltree)
    brand_id: Mapped[int | None] = mapped_column(BigInteger)
    # The formats of one work share it: a search lists each work once (the best format first).
    work_id: Mapped[int | None] = mapped_column(BigInteger)
    # The featured offer's price (what the product card shows); null when nothing is featured.
    price_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    in_stock: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    prime_eligible: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    average_rating: Mapped[float | None] = mapped_column(Numeric(2, 1))
    ratings_count: Mapped[int] = mapped_column(Integer, server_default="0")
    release_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document: Mapped[str] = mapped_column(TSVECTOR)


class SearchTerm(Base):
    """Distinct words of titles, authors and brands, for correcting misspelt queries."""

    __tablename__ = "search_terms"
    __table_args__ = (
        Index("ix_search_terms_word_trgm", "word", postgresql_using="gin",
              postgresql_ops={"word": "gin_trgm_ops"}),
    )

    word: Mapped[str] = mapped_column(Text, primary_key=True)
    documents: Mapped[int] = mapped_column(Integer)
