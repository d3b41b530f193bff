"""The category tree: the twelve top-level departments of the product spec and their aisles.

Ids are assigned in declaration order (departments 1-12, then their subcategories from 13),
so they stay stable as long as this table is only ever appended to.
"""
from __future__ import annotations

from dataclasses import fields

from domain.catalogue.entities import Category

# Book genres, shared by the printed (Books) and the Kindle eBooks departments.
GENRES: tuple[tuple[str, str], ...] = (
    ("fiction", "Fiction"),
    ("fantasy", "Fantasy"),
    ("mystery-thriller", "Mystery & Thriller"),
    ("romance", "Romance"),
    ("science-fiction", "Science Fiction"),
    ("non-fiction", "Non-fiction"),
    ("childrens", "Children's"),
)

BOOKS_SLUG = "books"
KINDLE_SLUG = "kindle-ebooks"
MOVIES_SLUG = "movies-tv"
MUSIC_SLUG = "music"

_Department = tuple[str, str, tuple[tuple[str, str], ...]]

_TREE: tuple[_Department, ...] = (
    ("Books", BOOKS_SLUG, tuple((name, f"books-{key}") for key, name in GENRES)),
    ("Kindle eBooks", KINDLE_SLUG, tuple((name, f"kindle-{key}") for key, name in GENRES)),
    ("Movies & TV", MOVIES_SLUG, (
        ("Action & Adventure", "movies-action-adventure"), ("Comedy", "movies-comedy"),
        ("Drama", "movies-drama"), ("Documentary", "movies-documentary"),
        ("Kids & Family", "movies-kids-family"), ("TV Series", "movies-tv-series"),
    )),
    ("Music", MUSIC_SLUG, (
        ("Rock", "music-rock"), ("Pop", "music-pop"), ("Jazz", "music-jazz"),
        ("Classical", "music-classical"), ("Hip-Hop", "music-hip-hop"),
    )),
    ("Electronics", "electronics", (
        ("Headphones", "electronics-headphones"), ("Cameras", "electronics-cameras"),
        ("TV & Video", "electronics-tv-video"), ("Speakers", "electronics-speakers"),
        ("Wearables", "electronics-wearables"),
        ("Phone Accessories", "electronics-phone-accessories"),
    )),
    ("Computers", "computers", (
        ("Laptops", "computers-laptops"), ("Monitors", "computers-monitors"),
        ("Keyboards & Mice", "computers-keyboards-mice"), ("Storage", "computers-storage"),
        ("Networking", "computers-networking"),
    )),
    ("Kitchen", "kitchen", (
        ("Coffee & Tea", "kitchen-coffee-tea"), ("Cookware", "kitchen-cookware"),
        ("Knives & Cutlery", "kitchen-knives-cutlery"),
        ("Small Appliances", "kitchen-small-appliances"), ("Food Storage", "kitchen-food-storage"),
    )),
    ("Grocery & Household", "grocery-household", (
        ("Coffee", "grocery-coffee"), ("Snacks", "grocery-snacks"),
        ("Paper & Towels", "grocery-paper-towels"), ("Laundry", "grocery-laundry"),
        ("Baby", "grocery-baby"),
    )),
    ("Toys", "toys", (
        ("Building Sets", "toys-building-sets"), ("Board Games", "toys-board-games"),
        ("Puzzles", "toys-puzzles"), ("Dolls & Action Figures", "toys-dolls-figures"),
        ("Outdoor Play", "toys-outdoor-play"),
    )),
    ("Apparel", "apparel", (
        ("Men", "apparel-men"), ("Women", "apparel-women"), ("Kids", "apparel-kids"),
        ("Shoes", "apparel-shoes"), ("Accessories", "apparel-accessories"),
    )),
    ("Sports & Outdoors", "sports-outdoors", (
        ("Camping & Hiking", "sports-camping-hiking"), ("Cycling", "sports-cycling"),
        ("Fitness", "sports-fitness"), ("Running", "sports-running"),
        ("Water Sports", "sports-water-sports"),
    )),
    ("Tools", "tools", (
        ("Power Tools", "tools-power-tools"), ("Hand Tools", "tools-hand-tools"),
        ("Garden Tools", "tools-garden-tools"), ("Measuring & Layout", "tools-measuring-layout"),
    )),
)


# The catalogue's own entity is the row: its fields are the table's columns, in order.
CategorySeed = Category
CATEGORY_COLUMNS = tuple(f.name for f in fields(Category))


class CategoryTree:
    def __init__(self, categories: list[CategorySeed]) -> None:
        self.categories = categories
        self._by_slug = {c.slug: c for c in categories}
        self._by_id = {c.id: c for c in categories}

    def by_slug(self, slug: str) -> CategorySeed:
        return self._by_slug[slug]

    def top_id(self, category_id: int) -> int:
        return int(self._by_id[category_id].path.split(".", 1)[0])

    def children(self, parent_slug: str) -> list[CategorySeed]:
        parent_id = self._by_slug[parent_slug].id
        return [c for c in self.categories if c.parent_id == parent_id]

    def departments(self) -> list[CategorySeed]:
        return [c for c in self.categories if c.parent_id is None]


def build_category_tree() -> CategoryTree:
    departments = [
        CategorySeed(i, None, name, slug, f"Shop {name} on Tributary.", str(i), i)
        for i, (name, slug, _) in enumerate(_TREE, start=1)
    ]
    subcategories: list[CategorySeed] = []
    next_id = len(departments) + 1
    for parent, (_, _, children) in zip(departments, _TREE):
        for position, (name, slug) in enumerate(children, start=1):
            subcategories.append(CategorySeed(
                next_id, parent.id, name, slug, f"{name} in {parent.name}.",
                f"{parent.path}.{next_id}", position,
            ))
            next_id += 1
    return CategoryTree(departments + subcategories)
