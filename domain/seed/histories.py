"""Demo customers' past orders and reviews: every rating of the sample becomes a delivered
order line (the Kindle edition or a print one, bought from the product's first-party offer when
there is one) and a star-only, verified review of the work. A reader's ratings are spread, in the
file's order, over the years before the reference date, a few books per order; orders are
internally consistent (lines add up to shipments, shipments to the order, the order to its
captured payment) and ship to one invented address in a state without sales tax, so no tax is
due. Pure and deterministic: ids are numbered from the `first` ids given."""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.orders.numbers import format_order_number
from domain.seed.customers import DemoCustomer
from domain.seed.offers import OfferSeed
from domain.seed.records import REFERENCE_TIME, SEED, ProductSeed
from domain.seed.sellers import FIRST_PARTY_ID

KINDLE_SHARE = 0.35
HISTORY_YEARS = 5
_ORDER_SIZES, _ORDER_WEIGHTS = (2, 3, 4, 6, 8, 10, 12), (10, 15, 20, 20, 15, 12, 8)
_LAST_REVIEW = REFERENCE_TIME - timedelta(hours=1)
_ADDRESS = ("1200 SW Demo Avenue", "Portland", "OR", "97205", "US")

CART_COLUMNS = ("id", "account_id", "status", "currency", "ship_full_name", "ship_line1", "ship_city",
                "ship_region", "ship_postal_code", "ship_country_code", "bill_full_name", "bill_line1",
                "bill_city", "bill_region", "bill_postal_code", "bill_country_code", "created_at", "updated_at")
ORDER_COLUMNS = ("id", "number", "account_id", "cart_id", "email", "status", "currency", "subtotal_minor",
                 "delivery_minor", "tax_minor", "discount_minor", "total_minor", "ship_full_name", "ship_line1",
                 "ship_city", "ship_region", "ship_postal_code", "ship_country_code", "bill_full_name",
                 "bill_line1", "bill_city", "bill_region", "bill_postal_code", "bill_country_code",
                 "placed_at", "updated_at")
SHIPMENT_COLUMNS = ("id", "order_id", "seller_id", "kind", "fulfilment", "delivery_option", "status",
                    "subtotal_minor", "delivery_minor", "tax_minor", "captured_minor", "currency",
                    "created_at", "shipped_at", "delivered_at")
LINE_COLUMNS = ("id", "order_id", "shipment_id", "offer_id", "product_id", "seller_id", "category_id", "title",
                "format", "digital", "quantity", "unit_price_minor", "line_total_minor", "tax_class", "tax_minor",
                "currency")
PAYMENT_COLUMNS = ("id", "reference", "order_id", "idempotency_key", "provider", "provider_authorization_id",
                   "status", "currency", "amount_minor", "captured_minor", "created_at", "updated_at")
REVIEW_COLUMNS = ("id", "work_id", "product_id", "account_id", "order_line_id", "verified_purchase", "stars",
                  "status", "created_at", "updated_at")


@dataclass(slots=True)
class Histories:
    carts: list[tuple] = field(default_factory=list)
    orders: list[tuple] = field(default_factory=list)
    shipments: list[tuple] = field(default_factory=list)
    lines: list[tuple] = field(default_factory=list)
    payments: list[tuple] = field(default_factory=list)
    reviews: list[tuple] = field(default_factory=list)


@dataclass(slots=True)
class _Bought:
    product: ProductSeed
    offer: OfferSeed
    stars: int


@dataclass(slots=True)
class _Order:
    account_id: int
    customer: DemoCustomer
    placed_at: datetime
    items: list[_Bought]
    # Drawn from the reader's own stream: how long the delivery and each review took.
    cart_minutes: int = 0
    delivery_hours: int = 0
    review_minutes: list[int] = field(default_factory=list)


def build_histories(customers: list[DemoCustomer], account_ids: list[int], products: list[ProductSeed],
                    offers: list[OfferSeed], first: dict[str, int], first_order_number: int) -> Histories:
    """Rows for every table a delivered order touches, plus the reviews; `first` gives the first
    id of each table (carts, orders, shipments, lines, payments, reviews)."""
    editions = _editions_by_work(products)
    offer_of = _offer_by_product(offers)
    planned: list[_Order] = []
    for customer, account_id in zip(customers, account_ids):
        planned.extend(_plan(customer, account_id, editions, offer_of))
    # Ids and order numbers follow the time of purchase, as they would have been drawn.
    planned.sort(key=lambda o: (o.placed_at, o.account_id))
    out = Histories()
    ids = dict(first)
    for sequence, order in enumerate(planned, start=first_order_number):
        _emit(order, format_order_number(order.placed_at.year, sequence), ids, out)
    # Reviews go in by work, so the work-keyed indexes grow in order (a large share of the
    # seed's time otherwise); their ids follow that order.
    out.reviews.sort(key=lambda r: (r[1], r[8]))
    out.reviews = [(first["reviews"] + i, *r[1:]) for i, r in enumerate(out.reviews)]
    return out


def _editions_by_work(products: list[ProductSeed]) -> dict[int, tuple[ProductSeed | None, list[ProductSeed]]]:
    kindle: dict[int, ProductSeed] = {}
    print_: dict[int, list[ProductSeed]] = defaultdict(list)
    for p in products:
        if p.work_id is None or p.preorder:
            continue
        if p.format == "KINDLE":
            kindle[p.work_id] = p
        else:
            print_[p.work_id].append(p)
    return {w: (kindle.get(w), print_.get(w, [])) for w in kindle.keys() | print_.keys()}


def _offer_by_product(offers: list[OfferSeed]) -> dict[int, OfferSeed]:
    """The offer a demo customer bought from: the platform's own, else the cheapest."""
    best: dict[int, OfferSeed] = {}
    for o in offers:
        if o.purchase_option != "BUY":
            continue
        current = best.get(o.product_id)
        if current is None or _preference(o) < _preference(current):
            best[o.product_id] = o
    return best


def _preference(offer: OfferSeed) -> tuple:
    return (offer.seller_id != FIRST_PARTY_ID, offer.price_minor + offer.shipping_minor, offer.id)


def _plan(customer: DemoCustomer, account_id: int, editions, offer_of) -> list[_Order]:
    rng = random.Random(f"{SEED}:history:{customer.number}")
    start = REFERENCE_TIME - timedelta(days=365 * HISTORY_YEARS) + timedelta(days=rng.randint(0, 200))
    span = (REFERENCE_TIME - timedelta(days=30)) - start
    bought: list[_Bought] = []
    for book_id, stars in customer.ratings:
        kindle, prints = editions.get(book_id, (None, []))
        # random() alone: randint and choice cost several times more, over 300,000 ratings.
        roll = rng.random()
        product = kindle if kindle is not None and (not prints or roll < KINDLE_SHARE) else \
            (prints[int(roll * len(prints))] if prints else None)
        offer = offer_of.get(product.id) if product is not None else None
        if offer is not None:
            bought.append(_Bought(product, offer, stars))
    orders: list[_Order] = []
    index = 0
    while index < len(bought):
        size = rng.choices(_ORDER_SIZES, _ORDER_WEIGHTS)[0]
        placed = start + span * (index / len(bought)) + timedelta(seconds=rng.randint(0, 86_399))
        items = bought[index:index + size]
        orders.append(_Order(account_id, customer, placed, items, 2 + int(rng.random() * 88),
                             48 + int(rng.random() * 106), [1440 + int(rng.random() * 34_560) for _ in items]))
        index += size
    return orders


def _emit(order: _Order, number: str, ids: dict[str, int], out: Histories) -> None:
    name = order.customer.display_name
    physical = any(not item.product.digital for item in order.items)
    ship = (name, *_ADDRESS) if physical else (None,) * 6
    bill = (name, *_ADDRESS)
    placed = order.placed_at
    delivered_at = placed + timedelta(hours=order.delivery_hours)
    cart_id, order_id = _next(ids, "carts"), _next(ids, "orders")
    out.carts.append((cart_id, order.account_id, "ORDERED", "USD", *ship, *bill,
                      placed - timedelta(minutes=order.cart_minutes), placed))
    groups: dict[tuple, list[_Bought]] = defaultdict(list)
    for item in order.items:
        fulfilment = None if item.product.digital else item.offer.fulfilment
        groups[(item.offer.seller_id, fulfilment)].append(item)
    subtotal = delivery = 0
    review_minutes = iter(order.review_minutes)
    for (seller_id, fulfilment), items in groups.items():
        shipment_id = _next(ids, "shipments")
        items_total = sum(i.offer.price_minor for i in items)
        shipping = sum(i.offer.shipping_minor for i in items) if fulfilment == "MERCHANT" else 0
        digital = fulfilment is None
        arrived = placed if digital else delivered_at
        out.shipments.append((
            shipment_id, order_id, seller_id, "DIGITAL" if digital else "PHYSICAL", fulfilment,
            None if digital else "STANDARD", "DELIVERED", items_total, shipping, 0, items_total + shipping, "USD",
            placed, placed if digital else placed + timedelta(days=1), arrived))
        for item in items:
            line_id = _next(ids, "lines")
            p = item.product
            out.lines.append((line_id, order_id, shipment_id, item.offer.id, p.id, seller_id, p.category_id,
                              p.title, p.format, digital, 1, item.offer.price_minor, item.offer.price_minor,
                              "BOOKS", 0, "USD"))
            written = min(arrived + timedelta(minutes=next(review_minutes)), _LAST_REVIEW)
            out.reviews.append((_next(ids, "reviews"), p.work_id, p.id, order.account_id, line_id, True,
                                item.stars, "PUBLISHED", written, written))
        subtotal += items_total
        delivery += shipping
    total = subtotal + delivery
    out.orders.append((order_id, number, order.account_id, cart_id, order.customer.email, "DELIVERED", "USD",
                       subtotal, delivery, 0, 0, total, *ship, *bill, placed, delivered_at))
    payment_id = _next(ids, "payments")
    out.payments.append((payment_id, f"order:{order_id}", order_id, f"seed:order:{order_id}", "test",
                         f"seed-authorization-{order_id}", "CAPTURED", "USD", total, total, placed, delivered_at))


def _next(ids: dict[str, int], table: str) -> int:
    value = ids[table]
    ids[table] = value + 1
    return value
