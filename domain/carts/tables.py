"""Cart tables: carts and their lines, the delivery option chosen per shipment group, and the
configuration operators edit (delivery rates, same-day cities, pickup locations, tax rates)."""
from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.carts.statuses import CartStatus, DeliveryOptionKind, TaxClass
from domain.marketplace.statuses import Fulfilment
from domain.shared.db import Base

cart_status = ENUM(*CartStatus, name="cart_status")
delivery_option_kind = ENUM(*DeliveryOptionKind, name="delivery_option_kind")
tax_class = ENUM(*TaxClass, name="tax_class")
# The marketplace's type (offers.fulfilment): created by its migration, shared here.
fulfilment = ENUM(*Fulfilment, name="fulfilment", create_type=False)

# The highest per-line quantity any configuration may allow (TRIBUTARY_CART_QUANTITY_LIMIT).
MAX_LINE_QUANTITY = 999


class AddressCopies:
    """The shipping and billing addresses a cart or an order keeps a copy of (an address-book
    entry may change or go; the copy stays as it was chosen)."""

    ship_full_name: Mapped[str | None] = mapped_column(String(100))
    ship_line1: Mapped[str | None] = mapped_column(String(200))
    ship_line2: Mapped[str | None] = mapped_column(String(200))
    ship_city: Mapped[str | None] = mapped_column(String(100))
    ship_region: Mapped[str | None] = mapped_column(String(100))
    ship_postal_code: Mapped[str | None] = mapped_column(String(20))
    ship_country_code: Mapped[str | None] = mapped_column(String(2))
    ship_phone: Mapped[str | None] = mapped_column(String(30))

    bill_full_name: Mapped[str | None] = mapped_column(String(100))
    bill_line1: Mapped[str | None] = mapped_column(String(200))
    bill_line2: Mapped[str | None] = mapped_column(String(200))
    bill_city: Mapped[str | None] = mapped_column(String(100))
    bill_region: Mapped[str | None] = mapped_column(String(100))
    bill_postal_code: Mapped[str | None] = mapped_column(String(20))
    bill_country_code: Mapped[str | None] = mapped_column(String(2))
    bill_phone: Mapped[str | None] = mapped_column(String(30))


class Cart(AddressCopies, Base):
    """A customer's cart (`account_id`) or a guest's (only the SHA-256 of its token is kept).
    A customer has at most one ACTIVE cart; a guest cart merged into a customer's at sign-in
    becomes MERGED, and a cart that became an order becomes ORDERED. The shipping address is a
    copy, so later edits of the address book do not change a cart behind the customer's back; so
    is the billing address, where a cart of digital items only is taxed."""

    __tablename__ = "carts"
    __table_args__ = (
        CheckConstraint("account_id IS NOT NULL OR token_hash IS NOT NULL", name="has_owner"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint("(status = 'MERGED') = (merged_into_id IS NOT NULL)", name="merged_has_target"),
        CheckConstraint(
            "(ship_country_code IS NULL) = (ship_full_name IS NULL)"
            " AND (ship_country_code IS NULL) = (ship_line1 IS NULL)"
            " AND (ship_country_code IS NULL) = (ship_city IS NULL)", name="shipping_address_complete"),
        CheckConstraint("ship_country_code IS NULL OR ship_country_code ~ '^[A-Z]{2}$'",
                        name="ship_country_code_format"),
        CheckConstraint(
            "(bill_country_code IS NULL) = (bill_full_name IS NULL)"
            " AND (bill_country_code IS NULL) = (bill_line1 IS NULL)"
            " AND (bill_country_code IS NULL) = (bill_city IS NULL)", name="billing_address_complete"),
        CheckConstraint("bill_country_code IS NULL OR bill_country_code ~ '^[A-Z]{2}$'",
                        name="bill_country_code_format"),
        Index("uq_carts_active_account", "account_id", unique=True, postgresql_where=text("status = 'ACTIVE'")),
        Index("ix_carts_account_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(cart_status, server_default="ACTIVE")
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("carts.id", ondelete="SET NULL"))
    shipping_address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id", ondelete="SET NULL"))
    billing_address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CartLine(Base):
    """An offer and a quantity in a cart; the price when the line was last added or changed is
    kept so the cart can tell the customer when the price moved since."""

    __tablename__ = "cart_lines"
    __table_args__ = (
        CheckConstraint(f"quantity BETWEEN 1 AND {MAX_LINE_QUANTITY}", name="quantity_range"),
        CheckConstraint("unit_price_minor_at_add >= 0", name="price_not_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint("subscription_frequency_months BETWEEN 1 AND 6", name="subscription_frequency_range"),
        UniqueConstraint("cart_id", "offer_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"))
    # An offer's product and seller never change: kept to show a line whose offer was withdrawn.
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="RESTRICT"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor_at_add: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    # Set on a Subscribe & Save line: months between deliveries; NULL for a one-time purchase.
    subscription_frequency_months: Mapped[int | None] = mapped_column(SmallInteger)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CartDeliverySelection(Base):
    """The delivery option a customer chose for one shipment group (a seller and a
    fulfilment) of a cart; groups without a row get STANDARD."""

    __tablename__ = "cart_delivery_selections"
    __table_args__ = (
        CheckConstraint("(option = 'PICKUP') = (pickup_location_id IS NOT NULL)", name="pickup_has_location"),
    )

    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), primary_key=True)
    fulfilment: Mapped[str] = mapped_column(fulfilment, primary_key=True)
    option: Mapped[str] = mapped_column(delivery_option_kind)
    pickup_location_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_locations.id", ondelete="CASCADE"))
    selected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DeliveryRate(Base):
    """What a delivery option costs and how long it takes for one fulfilment; an option
    without a row is not offered for that fulfilment. SAME_DAY is priced per city
    (`same_day_cities`). A MERCHANT group's STANDARD delivery adds its offers' own shipping
    charges to `fee_minor`."""

    __tablename__ = "delivery_rates"
    __table_args__ = (
        CheckConstraint("fee_minor >= 0", name="fee_not_negative"),
        CheckConstraint("free_over_minor IS NULL OR free_over_minor >= 0", name="free_over_not_negative"),
        CheckConstraint("business_days BETWEEN 0 AND 30", name="business_days_range"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
    )

    kind: Mapped[str] = mapped_column(delivery_option_kind, primary_key=True)
    fulfilment: Mapped[str] = mapped_column(fulfilment, primary_key=True)
    fee_minor: Mapped[int] = mapped_column(BigInteger)
    # The group's items at or above this subtotal ship for free (null: never free).
    free_over_minor: Mapped[int | None] = mapped_column(BigInteger)
    business_days: Mapped[int] = mapped_column(SmallInteger)
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")


class SameDayCity(Base):
    """A city with same-day delivery for orders placed before its local cut-off time."""

    __tablename__ = "same_day_cities"
    __table_args__ = (
        CheckConstraint("country_code ~ '^[A-Z]{2}$'", name="country_code_format"),
        CheckConstraint("fee_minor >= 0", name="fee_not_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        UniqueConstraint("country_code", "region", "city"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    # Empty: the city name is enough in that country.
    region: Mapped[str] = mapped_column(String(100), server_default="")
    city: Mapped[str] = mapped_column(String(100))
    # IANA time zone of the cut-off, e.g. America/Los_Angeles.
    timezone: Mapped[str] = mapped_column(String(60))
    cutoff_local: Mapped[time] = mapped_column(Time)
    fee_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), server_default="USD")
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class PickupLocation(Base):
    """A place where customers collect platform-fulfilled items (a locker or a counter)."""

    __tablename__ = "pickup_locations"
    __table_args__ = (
        CheckConstraint("country_code ~ '^[A-Z]{2}$'", name="country_code_format"),
        Index("ix_pickup_locations_country_code", "country_code"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str] = mapped_column(String(200), server_default="")
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100), server_default="")
    postal_code: Mapped[str] = mapped_column(String(20), server_default="")
    country_code: Mapped[str] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))


class TaxRate(Base):
    """A sales tax or VAT rate in basis points (725 = 7.25%) for a country, or for one region of
    it (`region` as addresses store it, e.g. the US state code); a region's row overrides the
    country's. BOOKS rows give printed and e-books a reduced rate where the law does."""

    __tablename__ = "tax_rates"
    __table_args__ = (
        CheckConstraint("country_code ~ '^[A-Z]{2}$'", name="country_code_format"),
        CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="rate_range"),
        Index("uq_tax_rates_place_class", "country_code", text("coalesce(region, '')"), "tax_class", unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(100))
    tax_class: Mapped[str] = mapped_column(tax_class, server_default="STANDARD")
    rate_bp: Mapped[int] = mapped_column(Integer)
