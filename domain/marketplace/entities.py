"""Marketplace read entities."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

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
        return self.standing == "GOOD"


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

    @property
    def price(self) -> Money:
        return Money(self.price_minor, self.currency)

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
class OfferSummary:
    """A product's buy box: the featured offer and the range of in-stock prices."""

    product_id: int
    featured: Offer | None
    min_price: Money
    max_price: Money
    offer_count: int
