"""Marketplace entities: what marketplace reads and use cases return."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.marketplace.statuses import SellerStanding
from domain.shared.money import Money


@dataclass(slots=True)
class Seller:
    id: int
    slug: str
    name: str
    is_first_party: bool
    standing: str
    rating: Decimal | None
    ratings_count: int
    created_at: datetime

    @property
    def in_good_standing(self) -> bool:
        return self.standing == SellerStanding.GOOD


@dataclass(slots=True)
class Offer:
    id: int
    seller_id: int
    product_id: int
    condition: str
    condition_note: str
    fulfilment: str
    price_minor: int
    shipping_minor: int
    currency: str
    quantity: int
    prime_eligible: bool
    updated_at: datetime
    seller: Seller
    # Set once the seller withdrew the offer; archived offers are only returned to the
    # use case that archived them.
    archived_at: datetime | None = None
    # BUY, or RENT (streaming videos only: buying it issues a RENTAL licence).
    purchase_option: str = "BUY"
    # The Prime price: what members pay instead, below `price_minor`; None when there is none.
    member_price_minor: int | None = None

    @property
    def price(self) -> Money:
        return Money(self.price_minor, self.currency)

    @property
    def member_price(self) -> Money | None:
        return None if self.member_price_minor is None else Money(self.member_price_minor, self.currency)

    def unit_price_for(self, member_prices: bool) -> Money:
        """What one unit costs a buyer: the member price when the buyer's membership gives
        member prices and the offer has one, else the price."""
        if member_prices and self.member_price_minor is not None:
            return Money(self.member_price_minor, self.currency)
        return self.price

    @property
    def shipping_price(self) -> Money:
        return Money(self.shipping_minor, self.currency)

    @property
    def landed_price(self) -> Money:
        """What the buyer pays for one unit delivered: price plus the seller's shipping."""
        return Money(self.price_minor + self.shipping_minor, self.currency)

    @property
    def in_stock(self) -> bool:
        return self.quantity > 0


@dataclass(slots=True)
class PriceRange:
    """A product's range of in-stock prices for one purchase option (BUY, or RENT for a stream's
    rental); alone, for a list that shows prices without the featured offer."""

    product_id: int
    min_price: Money
    max_price: Money
    offer_count: int
    purchase_option: str = "BUY"
    # The lowest price a Prime member pays among the in-stock offers (member price where an
    # offer has one); None when no in-stock offer has a member price.
    member_min_price: Money | None = None


@dataclass(slots=True)
class OfferSummary(PriceRange):
    """A product's buy box for one purchase option: its price range and the featured offer."""

    featured: Offer | None = None


@dataclass(slots=True)
class PriceChange:
    """One entry of an offer's price history. The competitor fields are set on competitor
    matches only, and only for callers allowed to see them (administrators and the offer's
    seller staff)."""

    id: int
    offer_id: int
    price_minor: int
    shipping_minor: int
    currency: str
    changed_at: datetime
    source: str
    competitor_name: str | None = None
    competitor_price_minor: int | None = None
    evidence_url: str | None = None

    @property
    def price(self) -> Money:
        return Money(self.price_minor, self.currency)

    @property
    def shipping_price(self) -> Money:
        return Money(self.shipping_minor, self.currency)

    @property
    def competitor_price(self) -> Money | None:
        if self.competitor_price_minor is None:
            return None
        return Money(self.competitor_price_minor, self.currency)


@dataclass(slots=True)
class SellerApplication:
    id: int
    account_id: int
    name: str
    slug: str
    status: str
    reason: str
    decided_at: datetime | None
    seller_id: int | None
    created_at: datetime


@dataclass(slots=True)
class StandingChange:
    id: int
    seller_id: int
    standing: str
    reason: str
    changed_at: datetime


@dataclass(slots=True)
class BrandRegistration:
    id: int
    account_id: int
    brand_id: int | None
    brand_name: str | None
    trademark_number: str
    evidence_url: str | None
    status: str
    reason: str
    decided_at: datetime | None
    created_at: datetime
