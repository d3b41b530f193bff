"""Invented brands, fifteen per non-book department, so every product has a plausible maker."""
from __future__ import annotations

import random

from domain.seed.categories import BOOKS_SLUG, KINDLE_SLUG, CategoryTree
from domain.seed.records import SEED, BrandSeed
from domain.seed.slugs import SlugRegistry, slugify

BRANDS_PER_DEPARTMENT = 15

_PREFIXES = (
    "North", "Blue", "Iron", "Silver", "Cedar", "Summit", "Harbor", "Copper", "Maple", "Willow",
    "Granite", "Falcon", "Aurora", "Pine", "Stone", "River", "Oak", "Ember", "Lumen", "Nova",
    "Atlas", "Vista", "Echo", "Zephyr", "Kestrel", "Orchid", "Tundra", "Coral", "Juniper", "Sable",
)
_ROOTS = (
    "wind", "field", "crest", "line", "ridge", "brook", "gate", "peak", "wave", "forge", "light",
    "works", "craft", "bay", "wood", "port", "vale", "star", "fern", "hollow",
)
# A department's brands sound like that trade: record labels, studios, tool makers...
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "movies-tv": ("Pictures", "Studios", "Films", "Entertainment"),
    "music": ("Records", "Music", "Sound", "Recordings"),
    "electronics": ("Audio", "Electronics", "Digital", "Labs"),
    "computers": ("Computing", "Systems", "Tech", "Labs"),
    "kitchen": ("Kitchen", "Home", "Cookware", "& Co."),
    "grocery-household": ("Farms", "Pantry", "Naturals", "Essentials"),
    "toys": ("Toys", "Playworks", "Kids", "Games"),
    "apparel": ("Apparel", "Outfitters", "Threads", "Clothing Co."),
    "sports-outdoors": ("Outdoor", "Athletics", "Gear", "Sports"),
    "tools": ("Tool Co.", "Industrial", "Pro", "Hardware"),
}
_TRADE = {
    "movies-tv": "films and series", "music": "recordings", "electronics": "consumer electronics",
    "computers": "computer hardware", "kitchen": "kitchenware",
    "grocery-household": "groceries and household essentials", "toys": "toys and games",
    "apparel": "clothing and footwear", "sports-outdoors": "sports and outdoor gear",
    "tools": "tools",
}


def build_brands(tree: CategoryTree) -> list[BrandSeed]:
    rng = random.Random(f"{SEED}:brands")
    slugs = SlugRegistry()
    taken: set[str] = set()
    brands: list[BrandSeed] = []
    for department in tree.departments():
        if department.slug in (BOOKS_SLUG, KINDLE_SLUG):
            continue
        for _ in range(BRANDS_PER_DEPARTMENT):
            name = _unique_name(rng, department.slug, taken)
            brands.append(BrandSeed(
                id=len(brands) + 1, name=name, slug=slugs.claim(slugify(name)),
                description=f"{name} makes {_TRADE[department.slug]}.",
                top_category_id=department.id,
            ))
    return brands


def _unique_name(rng: random.Random, department_slug: str, taken: set[str]) -> str:
    while True:
        name = rng.choice(_PREFIXES) + rng.choice(_ROOTS)
        if rng.random() < 0.6:
            name = f"{name} {rng.choice(_SUFFIXES[department_slug])}"
        if name not in taken:
            taken.add(name)
            return name


def brands_by_department(brands: list[BrandSeed]) -> dict[int, list[BrandSeed]]:
    grouped: dict[int, list[BrandSeed]] = {}
    for brand in brands:
        grouped.setdefault(brand.top_category_id, []).append(brand)
    return grouped
