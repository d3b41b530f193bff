"""The platform's own retail business (seller 1) and invented third-party storefronts."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from domain.seed.categories import BOOKS_SLUG, KINDLE_SLUG, CategorySeed, CategoryTree
from domain.seed.records import REFERENCE_TIME, SEED
from domain.seed.slugs import SlugRegistry, slugify

FIRST_PARTY_ID = 1
THIRD_PARTY_SELLERS = 64
_GENERAL_STORES = 10  # sell in every physical department
_BOOKSELLERS = 12
_AT_RISK, _SUSPENDED = 4, 2

_BOOKSHOP_NAMES = (
    "Second Chapter Books", "Dog-Eared Pages", "Paper Moon Booksellers", "Old Mill Books",
    "Lantern Street Books", "Foxglove Reads", "Riverbend Bookshop", "Marginalia & Co.",
    "The Reading Nook", "Spine & Cover", "Inkwell Books", "Nightjar Booksellers",
)
_GENERAL_NAMES = (
    "Everyday Depot", "Bright Basket", "Main Street Goods", "The Supply Yard", "Corner Market",
    "Goodhaul", "Parcel & Pine", "Cartwheel Store", "Daily Dozen", "Open Shelf Outlet",
)
_PREFIXES = (
    "Copper", "Juniper", "Harbor", "Summit", "Blue Heron", "Red Barn", "Silver Birch",
    "Lighthouse", "Maple Leaf", "Granite", "Wildflower", "Sunday", "Northstar", "Pebble",
    "Tall Pine", "Kingfisher", "Driftwood", "Fieldstone", "Bright Orchard", "Cobblestone",
)
_TRADES = {
    "movies-tv": "Video", "music": "Records", "electronics": "Electronics",
    "computers": "Computer Supply", "kitchen": "Kitchenware", "grocery-household": "Pantry",
    "toys": "Toy Shop", "apparel": "Outfitters", "sports-outdoors": "Outdoor Co.",
    "tools": "Hardware",
}


@dataclass(frozen=True, slots=True)
class SellerSeed:
    id: int
    slug: str
    name: str
    is_first_party: bool
    standing: str
    rating: Decimal | None
    ratings_count: int
    created_at: datetime
    # Not a column: the departments (top-level category ids) the seller lists offers in.
    departments: tuple[int, ...] = field(default=())

    def record(self) -> tuple[object, ...]:
        return (self.id, self.slug, self.name, self.is_first_party, self.standing, self.rating,
                self.ratings_count, self.created_at)


SELLER_COLUMNS = ("id", "slug", "name", "is_first_party", "standing", "rating", "ratings_count",
                  "created_at")


def build_sellers(tree: CategoryTree) -> list[SellerSeed]:
    rng = random.Random(f"{SEED}:sellers")
    physical = [d for d in tree.departments() if d.slug != KINDLE_SLUG]
    books_id = tree.by_slug(BOOKS_SLUG).id
    others = [d for d in physical if d.id != books_id]
    slugs = SlugRegistry()
    first_party = SellerSeed(
        FIRST_PARTY_ID, slugs.claim("tributary-retail"), "Tributary Retail", True, "GOOD",
        Decimal("4.80"), 1_250_000, REFERENCE_TIME - timedelta(days=3650),
        tuple(d.id for d in tree.departments()),
    )
    plans = (
        [(name, tuple(d.id for d in physical)) for name in _GENERAL_NAMES]
        + [(name, (books_id,)) for name in _BOOKSHOP_NAMES]
        + _specialists(rng, others, THIRD_PARTY_SELLERS - _GENERAL_STORES - _BOOKSELLERS)
    )
    standings = _standings(rng, len(plans))
    sellers = [first_party]
    for offset, ((name, departments), standing) in enumerate(zip(plans, standings)):
        sellers.append(SellerSeed(
            id=FIRST_PARTY_ID + 1 + offset,
            slug=slugs.claim(slugify(name)),
            name=name,
            is_first_party=False,
            standing=standing,
            rating=_rating(rng, standing),
            ratings_count=int(rng.lognormvariate(7.0, 1.4)) + 15,
            created_at=REFERENCE_TIME - timedelta(days=rng.randint(60, 3000)),
            departments=departments,
        ))
    return sellers


def _specialists(
    rng: random.Random, departments: list[CategorySeed], count: int
) -> list[tuple[str, tuple[int, ...]]]:
    """Shops named for their main department, some also selling in a second one."""
    taken: set[str] = set()
    plans: list[tuple[str, tuple[int, ...]]] = []
    for index in range(count):
        main = departments[index % len(departments)]
        name = f"{rng.choice(_PREFIXES)} {_TRADES[main.slug]}"
        while name in taken:
            name = f"{rng.choice(_PREFIXES)} {_TRADES[main.slug]}"
        taken.add(name)
        ids = [main.id]
        if rng.random() < 0.5:
            second = rng.choice(departments)
            if second.id != main.id:
                ids.append(second.id)
        plans.append((name, tuple(ids)))
    return plans


def _standings(rng: random.Random, count: int) -> list[str]:
    standings = ["GOOD"] * count
    troubled = rng.sample(range(count), _AT_RISK + _SUSPENDED)
    for index in troubled[:_AT_RISK]:
        standings[index] = "AT_RISK"
    for index in troubled[_AT_RISK:]:
        standings[index] = "SUSPENDED"
    return standings


def _rating(rng: random.Random, standing: str) -> Decimal:
    low, high = (3.6, 5.0) if standing == "GOOD" else (3.0, 3.6)
    return Decimal(f"{rng.uniform(low, high):.2f}")
