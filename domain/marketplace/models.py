"""Marketplace tables: sellers and their offers on catalogue products, seller applications,
standing changes, the append-only price history, the brand registry, commission rates and
the append-only seller ledger."""
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
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.marketplace.statuses import (
    ApplicationStatus,
    Fulfilment,
    OfferCondition,
    PriceChangeSource,
    PurchaseOption,
    SellerLedgerEntryKind,
    SellerStanding,
)
from domain.shared.db import Base

seller_standing = ENUM(*SellerStanding, name="seller_standing")
offer_condition = ENUM(*OfferCondition, name="offer_condition")
purchase_option = ENUM(*PurchaseOption, name="purchase_option")
fulfilment = ENUM(*Fulfilment, name="fulfilment")
application_status = ENUM(*ApplicationStatus, name="application_status")
price_change_source = ENUM(*PriceChangeSource, name="price_change_source")
seller_ledger_entry_kind = ENUM(*SellerLedgerEntryKind, name="seller_ledger_entry_kind")


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
        CheckConstraint("member_price_minor IS NULL OR (member_price_minor > 0 AND member_price_minor < price_minor)",
                        name="member_price_below_price"),
        # One live offer per seller, product, condition and purchase option (a stream can be
        # rented and bought); archived ones are history.
        Index("uq_offers_seller_product_condition_option", "seller_id", "product_id", "condition",
              "purchase_option", unique=True, postgresql_where=text("archived_at IS NULL")),
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
    # What Prime members pay instead (a "Prime price"), always below `price_minor`; None: none.
    member_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    shipping_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    quantity: Mapped[int] = mapped_column(Integer)
    landed_minor: Mapped[int] = mapped_column(BigInteger, Computed("price_minor + shipping_minor", persisted=True))
    # BUY, or RENT (a streaming video rented: the order issues a RENTAL licence).
    purchase_option: Mapped[str] = mapped_column(purchase_option, server_default="BUY")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SellerApplication(Base):
    """A customer's request to sell on the platform; an approval creates the seller."""

    __tablename__ = "seller_applications"
    __table_args__ = (
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
        CheckConstraint("length(name) BETWEEN 2 AND 120", name="name_length"),
        CheckConstraint(
            "(status = 'PENDING' AND decided_at IS NULL AND seller_id IS NULL)"
            " OR (status = 'APPROVED' AND decided_at IS NOT NULL AND seller_id IS NOT NULL)"
            " OR (status = 'REJECTED' AND decided_at IS NOT NULL AND seller_id IS NULL)",
            name="decision_consistent"),
        # One pending application per account at a time.
        Index("uq_seller_applications_pending", "account_id", unique=True,
              postgresql_where=text("status = 'PENDING'")),
        Index("ix_seller_applications_account_id_id", "account_id", "id"),
        Index("ix_seller_applications_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140))
    status: Mapped[str] = mapped_column(application_status, server_default="PENDING")
    reason: Mapped[str] = mapped_column(Text, server_default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("sellers.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SellerStandingChange(Base):
    """Why and by whom a seller's standing was set: the audit trail of suspensions."""

    __tablename__ = "seller_standing_changes"
    __table_args__ = (
        CheckConstraint("length(reason) BETWEEN 1 AND 1000", name="reason_length"),
        Index("ix_seller_standing_changes_seller_id_id", "seller_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    standing: Mapped[str] = mapped_column(seller_standing)
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class OfferPriceHistory(Base):
    """Every price an offer has had, appended in the transaction that set it. A trigger
    (see the migration) refuses UPDATE, DELETE and TRUNCATE: nobody can rewrite it."""

    __tablename__ = "offer_price_history"
    __table_args__ = (
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint("shipping_minor >= 0", name="shipping_not_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint(
            "(source = 'COMPETITOR_MATCH') = (competitor_name IS NOT NULL AND competitor_price_minor IS NOT NULL"
            " AND evidence_url IS NOT NULL)",
            name="competitor_only_on_match"),
        CheckConstraint("source = 'COMPETITOR_MATCH' OR (competitor_name IS NULL AND competitor_price_minor IS NULL"
                        " AND evidence_url IS NULL)", name="no_competitor_otherwise"),
        Index("ix_offer_price_history_offer_id_changed_at", "offer_id", "changed_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    shipping_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Kept as a plain reference: the history outlives whoever made the change.
    changed_by: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(price_change_source)
    competitor_name: Mapped[str | None] = mapped_column(String(120))
    competitor_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    evidence_url: Mapped[str | None] = mapped_column(Text)


class BrandRegistration(Base):
    """A customer's claim to own a brand (an existing one or a new name), with the
    trademark that proves it; an approval makes the applicant the brand's owner."""

    __tablename__ = "brand_registrations"
    __table_args__ = (
        CheckConstraint("brand_id IS NOT NULL OR brand_name IS NOT NULL", name="names_a_brand"),
        CheckConstraint("length(trademark_number) BETWEEN 1 AND 40", name="trademark_number_length"),
        CheckConstraint(
            "(status = 'PENDING' AND decided_at IS NULL)"
            " OR (status = 'APPROVED' AND decided_at IS NOT NULL AND brand_id IS NOT NULL)"
            " OR (status = 'REJECTED' AND decided_at IS NOT NULL)",
            name="decision_consistent"),
        # One owner per brand.
        Index("uq_brand_registrations_approved_brand", "brand_id", unique=True,
              postgresql_where=text("status = 'APPROVED'")),
        # One pending claim per account and brand (existing brand, or new brand name).
        Index("uq_brand_registrations_pending_brand", "account_id", "brand_id", unique=True,
              postgresql_where=text("status = 'PENDING' AND brand_id IS NOT NULL")),
        Index("uq_brand_registrations_pending_name", "account_id", text("lower(brand_name)"), unique=True,
              postgresql_where=text("status = 'PENDING' AND brand_id IS NULL")),
        Index("ix_brand_registrations_account_id_id", "account_id", "id"),
        Index("ix_brand_registrations_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="RESTRICT"))
    brand_name: Mapped[str | None] = mapped_column(String(120))
    trademark_number: Mapped[str] = mapped_column(String(40))
    evidence_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(application_status, server_default="PENDING")
    reason: Mapped[str] = mapped_column(Text, server_default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CommissionRate(Base):
    """The commission (referral fee) on third-party sales in a category and, unless they have
    a rate of their own, in its subcategories: 6% to 20%, in basis points."""

    __tablename__ = "commission_rates"
    __table_args__ = (CheckConstraint("rate_bps BETWEEN 600 AND 2000", name="rate_range"),)

    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)
    rate_bps: Mapped[int] = mapped_column(Integer)
    # Kept as a plain reference: the rate outlives whoever set it.
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SellerLedgerEntry(Base):
    """Money owed to a seller, one signed movement at a time: a seller's balance is the sum of
    its entries. A trigger (see the migration) refuses UPDATE, DELETE and TRUNCATE.

    `order_id` has no foreign key yet: the orders table comes later, and its migration adds
    it (`ALTER TABLE seller_ledger_entries ADD CONSTRAINT fk_seller_ledger_entries_order_id_orders
    FOREIGN KEY (order_id) REFERENCES orders (id)`)."""

    __tablename__ = "seller_ledger_entries"
    __table_args__ = (
        CheckConstraint(
            "(kind IN ('SALE', 'COMMISSION_REVERSAL') AND amount_minor > 0)"
            " OR (kind IN ('COMMISSION', 'REFUND', 'PAYOUT') AND amount_minor < 0)"
            " OR (kind = 'ADJUSTMENT' AND amount_minor <> 0)",
            name="sign_matches_kind"),
        # Commissions, refunds and their reversals belong to a sale.
        CheckConstraint("(kind IN ('COMMISSION', 'REFUND', 'COMMISSION_REVERSAL')) = (sale_entry_id IS NOT NULL)",
                        name="sale_link"),
        CheckConstraint("rate_bps IS NULL OR (kind = 'COMMISSION' AND rate_bps BETWEEN 0 AND 10000)",
                        name="rate_on_commission"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint("length(reference) BETWEEN 1 AND 200", name="reference_length"),
        UniqueConstraint("seller_id", "kind", "reference"),
        Index("ix_seller_ledger_entries_seller_id_id", "seller_id", "id", postgresql_include=["amount_minor"]),
        Index("ix_seller_ledger_entries_sale_entry_id", "sale_entry_id",
              postgresql_where=text("sale_entry_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(seller_ledger_entry_kind)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # What the money moved for: an order line, a refund, a payout.
    reference: Mapped[str] = mapped_column(Text)
    order_id: Mapped[int | None] = mapped_column(BigInteger)
    sale_entry_id: Mapped[int | None] = mapped_column(ForeignKey("seller_ledger_entries.id", ondelete="RESTRICT"))
    rate_bps: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
