"""Marketplace tables: sellers and their offers on catalogue products."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
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
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.db import Base

seller_standing = ENUM("GOOD", "AT_RISK", "SUSPENDED", name="seller_standing")
offer_condition = ENUM("NEW", "USED", name="offer_condition")
fulfilment = ENUM("MERCHANT", "PLATFORM", name="fulfilment")


class Seller(Base):
    __tablename__ = "sellers"
    __table_args__ = (
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 0 AND 5", name="rating_range"),
        # Exactly one seller is the platform's own retail business.
        Index("uq_sellers_first_party", "is_first_party", unique=True,
              postgresql_where=text("is_first_party")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    is_first_party: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    standing: Mapped[str] = mapped_column(seller_standing, server_default="GOOD")
    rating: Mapped[float | None] = mapped_column(Numeric(3, 2))
    ratings_count: Mapped[int] = mapped_column(Integer, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Offer(Base):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint("shipping_minor >= 0", name="shipping_not_negative"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        # One live offer per seller, product and condition; archived ones are history.
        Index("uq_offers_seller_product_condition", "seller_id", "product_id", "condition",
              unique=True, postgresql_where=text("archived_at IS NULL")),
        Index("ix_offers_product_id_landed", "product_id", "landed_minor"),
        Index("ix_offers_seller_id_id", "seller_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="RESTRICT"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    condition: Mapped[str] = mapped_column(offer_condition)
    condition_note: Mapped[str] = mapped_column(Text, server_default="")
    fulfilment: Mapped[str] = mapped_column(fulfilment)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    shipping_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    quantity: Mapped[int] = mapped_column(Integer)
    landed_minor: Mapped[int] = mapped_column(BigInteger, Computed("price_minor + shipping_minor", persisted=True))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
