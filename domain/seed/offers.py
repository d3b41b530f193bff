"""Marketplace offers: who sells each product, in what condition, at what price and stock."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.seed.records import REFERENCE_TIME, SEED, ProductSeed, charm_price
from domain.seed.sellers import FIRST_PARTY_ID, SellerSeed

DIGITAL_STOCK = 1_000_000  # e-books and streams never run out
_SOLD_OUT_PRODUCT_SHARE = 0.008  # every offer at zero: the product shows as unavailable
_SOLD_OUT_OFFER_SHARE = 0.09  # of third-party offers; the platform restocks its own
_CONDITION_NOTES = (
    "Like new: no marks, crisp pages.",
    "Very good: light shelf wear on the cover.",
    "Good: some creases and a name inside the cover.",
    "Acceptable: well read, all pages intact.",
    "Open box: original packaging, tested and working.",
    "Good: minor scuffs, fully working.",
)
_MERCHANT_SHIPPING = (399, 449, 499, 549, 599, 699)
_MEMBER_PRICE_PERCENT = 3  # of offers to buy new items carry a Prime price, about 10% off


@dataclass(frozen=True, slots=True)
class OfferSeed:
    id: int
    seller_id: int
    product_id: int
    condition: str
    condition_note: str
    fulfilment: str
    price_minor: int
    shipping_minor: int
    quantity: int
    created_at: datetime
    purchase_option: str = "BUY"
    member_price_minor: int | None = None

    def record(self) -> tuple[object, ...]:
        return (self.id, self.seller_id, self.product_id, self.condition, self.condition_note,
                self.fulfilment, self.price_minor, self.shipping_minor, "USD", self.quantity,
                self.created_at, self.created_at, self.purchase_option, self.member_price_minor)

    def history_record(self) -> tuple[object, ...]:
        """The offer's first price history entry: its price since it was listed."""
        return (self.id, self.price_minor, self.shipping_minor, "USD", self.created_at, "SEED")


# landed_minor and prime_eligible are generated columns: PostgreSQL computes them.
OFFER_COLUMNS = ("id", "seller_id", "product_id", "condition", "condition_note", "fulfilment",
                 "price_minor", "shipping_minor", "currency", "quantity", "created_at",
                 "updated_at", "purchase_option", "member_price_minor")
PRICE_HISTORY_COLUMNS = ("offer_id", "price_minor", "shipping_minor", "currency", "changed_at", "source")


class _OfferBuilder:
    def __init__(self, sellers: list[SellerSeed], books_department_id: int) -> None:
        self.rng = random.Random(f"{SEED}:offers")
        self.books_department_id = books_department_id
        self.offers: list[OfferSeed] = []
        # Who may list in each department; suspended sellers only crowd popular products,
        # so that no product's sole offer comes from a seller the storefront hides.
        self.everyone: dict[int, list[SellerSeed]] = {}
        self.active: dict[int, list[SellerSeed]] = {}
        for seller in sellers:
            if seller.is_first_party:
                continue
            for department_id in seller.departments:
                self.everyone.setdefault(department_id, []).append(seller)
                if seller.standing != "SUSPENDED":
                    self.active.setdefault(department_id, []).append(seller)

    def add_all(self, product: ProductSeed) -> None:
        rng = self.rng
        if product.digital:
            self._add(product, FIRST_PARTY_ID, "NEW", "PLATFORM", product.list_price_minor, 0,
                      DIGITAL_STOCK)
            return
        sold_out = rng.random() < _SOLD_OUT_PRODUCT_SHARE
        before = len(self.offers)
        if product.preorder:
            # Announced editions are sold by the platform alone until release.
            self._first_party(product, sold_out)
        elif product.popular:
            self._crowd(product, sold_out)
        else:
            self._ordinary(product, sold_out)
        if len(self.offers) == before:
            self._first_party(product, sold_out)

    def _ordinary(self, product: ProductSeed, sold_out: bool) -> None:
        rng = self.rng
        is_book = product.top_category_id == self.books_department_id
        with_first_party = rng.random() < (0.9 if is_book else 0.55)
        if with_first_party:
            self._first_party(product, sold_out)
            count = rng.choices((0, 1, 2), weights=(50, 35, 15))[0]
        else:
            count = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        pool = self.active.get(product.top_category_id, [])
        used_share = 0.15 if is_book else 0.04
        for seller in rng.sample(pool, min(count, len(pool))):
            condition = "USED" if rng.random() < used_share else "NEW"
            self._third_party(product, seller, condition, sold_out)

    def _crowd(self, product: ProductSeed, sold_out: bool) -> None:
        """4-15 offers from different sellers, a few of them used and cheaper."""
        rng = self.rng
        total = rng.randint(4, 15)
        is_book = product.top_category_id == self.books_department_id
        if is_book or rng.random() < 0.8:
            self._first_party(product, sold_out)
            total -= 1
        used = rng.randint(1, max(1, total // 3))
        pool = self.everyone.get(product.top_category_id, [])
        for seller in rng.sample(pool, min(total - used, len(pool))):
            self._third_party(product, seller, "NEW", sold_out)
        # A seller may list both a new and a used copy: the condition differs.
        for seller in rng.sample(pool, min(used, len(pool))):
            self._third_party(product, seller, "USED", sold_out)

    def _first_party(self, product: ProductSeed, sold_out: bool) -> None:
        quantity = 0 if sold_out else self.rng.randint(20, 800)
        self._add(product, FIRST_PARTY_ID, "NEW", "PLATFORM", product.list_price_minor, 0,
                  quantity)

    def _third_party(
        self, product: ProductSeed, seller: SellerSeed, condition: str, sold_out: bool
    ) -> None:
        rng = self.rng
        if condition == "USED":
            price = charm_price(product.list_price_minor * rng.uniform(0.35, 0.8))
            quantity = self._quantity(sold_out, 1, 3)
            platform_share = 0.2
        else:
            price = charm_price(product.list_price_minor * rng.uniform(0.85, 1.2))
            quantity = self._quantity(sold_out, 1, 120)
            platform_share = 0.45
        if rng.random() < platform_share:
            fulfilment, shipping = "PLATFORM", 0
        else:
            fulfilment = "MERCHANT"
            shipping = 0 if rng.random() < 0.35 else rng.choice(_MERCHANT_SHIPPING)
        note = rng.choice(_CONDITION_NOTES) if condition == "USED" else ""
        self._add(product, seller.id, condition, fulfilment, price, shipping, quantity, note)

    def _quantity(self, sold_out: bool, low: int, high: int) -> int:
        if sold_out or self.rng.random() < _SOLD_OUT_OFFER_SHARE:
            return 0
        return self.rng.randint(low, high)

    def _add(
        self, product: ProductSeed, seller_id: int, condition: str, fulfilment: str,
        price: int, shipping: int, quantity: int, note: str = "",
    ) -> None:
        listed = product.created_at + timedelta(days=self.rng.randint(0, 90),
                                                seconds=self.rng.randint(0, 86_399))
        offer_id = len(self.offers) + 1
        self.offers.append(OfferSeed(
            id=offer_id, seller_id=seller_id, product_id=product.id,
            condition=condition, condition_note=note, fulfilment=fulfilment, price_minor=price,
            shipping_minor=shipping, quantity=quantity, created_at=min(listed, REFERENCE_TIME),
            member_price_minor=member_price(offer_id, price) if condition == "NEW" else None,
        ))


def build_offers(
    products: list[ProductSeed], sellers: list[SellerSeed], books_department_id: int
) -> list[OfferSeed]:
    builder = _OfferBuilder(sellers, books_department_id)
    for product in products:
        builder.add_all(product)
    # After every offer to buy, so their ids and the random draws stay as they were.
    for product in products:
        if product.format == "STREAMING":
            builder.offers.append(_rental(product, len(builder.offers) + 1))
    return builder.offers


def member_price(offer_id: int, price_minor: int) -> int | None:
    """A Prime price for a few percent of offers, picked by id (no random draw, so every other
    seeded value stays as it was): about 10% off, None when that would not be lower."""
    if (offer_id * 7919) % 100 >= _MEMBER_PRICE_PERCENT:
        return None
    member = charm_price(price_minor * 0.9)
    return member if member < price_minor else None


def rental_price(list_price_minor: int) -> int:
    """A stream rents for about a fifth of its price to buy, from 2.99 up to 6.99."""
    return min(699, charm_price(list_price_minor * 0.2, floor=299))


def _rental(product: ProductSeed, offer_id: int) -> OfferSeed:
    """The platform's offer to rent a streaming video."""
    return OfferSeed(id=offer_id, seller_id=FIRST_PARTY_ID, product_id=product.id, condition="NEW",
                     condition_note="", fulfilment="PLATFORM", price_minor=rental_price(product.list_price_minor),
                     shipping_minor=0, quantity=DIGITAL_STOCK, created_at=product.created_at, purchase_option="RENT")
