"""Generated general merchandise for every department except the two book ones."""
from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from domain.seed import media
from domain.seed.brands import brands_by_department
from domain.seed.categories import (
    BOOKS_SLUG,
    KINDLE_SLUG,
    MOVIES_SLUG,
    MUSIC_SLUG,
    CategorySeed,
    CategoryTree,
)
from domain.seed.goods_vocabulary import LINES, Line
from domain.seed.records import (
    REFERENCE_DATE,
    REFERENCE_TIME,
    SEED,
    BrandSeed,
    Draft,
    ProductSeed,
    charm_price,
)
from domain.seed.slugs import SlugRegistry, slugify

MERCHANDISE_PER_SCALE = 5_000
IMAGE_HOST = "https://images.tributary.example/p"

_UNRATED_SHARE = 0.12
_POPULAR_SHARE = 0.10
_PREORDER_SHARE = 0.012
_EXTRAS = (
    "Backed by a {years}-year limited warranty.",
    "Ships in recyclable, frustration-free packaging.",
    "Easy to clean and built to last.",
    "A customer favourite for quality and value.",
    "Designed and tested by the {brand} team.",
)


CONSUMABLES_SLUG = "grocery-household"


def build_merchandise(
    count: int, tree: CategoryTree, brands: list[BrandSeed], slugs: SlugRegistry,
    first_product_id: int,
) -> list[ProductSeed]:
    rng = random.Random(f"{SEED}:merchandise")
    shelves = _shelves(tree)
    consumables = tree.by_slug(CONSUMABLES_SLUG).id
    brands_of = brands_by_department(brands)
    products: list[ProductSeed] = []
    for product_id in range(first_product_id, first_product_id + count):
        shelf = rng.choice(shelves)
        department_id = tree.top_id(shelf.id)
        brand = rng.choice(brands_of[department_id])
        released = _release_date(rng)
        draft = _draft(rng, tree, shelf, brand, released)
        product = _product(rng, product_id, shelf, department_id, brand, released, draft, slugs)
        # Grocery and household goods are the everyday consumables of Subscribe & Save.
        product.subscribe_eligible = department_id == consumables and not product.preorder
        products.append(product)
    return products


def _shelves(tree: CategoryTree) -> list[CategorySeed]:
    return [
        shelf
        for department in tree.departments() if department.slug not in (BOOKS_SLUG, KINDLE_SLUG)
        for shelf in tree.children(department.slug)
    ]


def _draft(
    rng: random.Random, tree: CategoryTree, shelf: CategorySeed, brand: BrandSeed, released: date
) -> Draft:
    if shelf.parent_id == tree.by_slug(MOVIES_SLUG).id:
        return media.movie(rng, shelf.slug, brand.name, released)
    if shelf.parent_id == tree.by_slug(MUSIC_SLUG).id:
        return media.album(rng, shelf.slug, brand.name, released)
    return _goods(rng, LINES[shelf.slug], brand)


def _goods(rng: random.Random, line: Line, brand: BrandSeed) -> Draft:
    adjective, noun = rng.choice(line.adjectives), rng.choice(line.nouns)
    attributes: dict[str, object] = {name: rng.choice(choices) for name, choices in line.attributes}
    attributes["weightGrams"] = round(_log_uniform(rng, *line.weight))
    title = f"{brand.name} {adjective} {noun}"
    variant = rng.choice(line.variants)
    if variant:
        title += f" {variant}" if variant.startswith("with ") else f", {variant}"
    # Half the coloured items name their colour, as listings do for their main variant.
    if "colour" in attributes and rng.random() < 0.5:
        title += f", {attributes['colour']}"
    sentences = [f"Designed {line.use}: the {brand.name} {adjective} {noun}."]
    if "colour" in attributes:
        sentences.append(f"Shown here in {attributes['colour']}.")
    for extra in rng.sample(_EXTRAS, rng.randint(0, 1)):
        sentences.append(extra.format(years=rng.choice((1, 2, 3, 5)), brand=brand.name))
    price = charm_price(_log_uniform(rng, *line.price) * 100)
    return Draft(title, "PHYSICAL", "STANDARD", [], attributes, price, " ".join(sentences))


def _product(
    rng: random.Random, product_id: int, shelf: CategorySeed, department_id: int,
    brand: BrandSeed, released: date, draft: Draft, slugs: SlugRegistry,
) -> ProductSeed:
    # Drawn and dropped, so the rest of the stream (and every product after) stays as it was:
    # merchandise has no reviews behind a rating, so it has none.
    _rating(rng)
    popular = rng.random() < _POPULAR_SHARE
    preorder = released > REFERENCE_DATE
    suffix = "" if draft.format == "STANDARD" else "-" + draft.format.lower().replace("_", "-")
    return ProductSeed(
        id=product_id,
        slug=slugs.claim(f"{slugify(draft.title) or 'product'}{suffix}"),
        title=draft.title,
        description=draft.description,
        kind=draft.kind,
        format=draft.format,
        category_id=shelf.id,
        brand_id=brand.id,
        work_id=None,
        isbn=None,
        authors=draft.authors,
        attributes=draft.attributes,
        images=_images(rng, product_id, draft),
        release_date=released,
        average_rating=None,
        ratings_count=0,
        created_at=REFERENCE_TIME - timedelta(
            days=rng.randint(1, 45) if preorder else rng.randint(1, 1400),
            seconds=rng.randint(0, 86_399),
        ),
        top_category_id=department_id,
        list_price_minor=draft.price_minor,
        popular=popular and not preorder,
    )


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    # Cheap variants outnumber premium ones, as on any shelf.
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _release_date(rng: random.Random) -> date:
    if rng.random() < _PREORDER_SHARE:
        return REFERENCE_DATE + timedelta(days=rng.randint(10, 150))
    return REFERENCE_DATE - timedelta(days=rng.randint(30, 3650))


def _rating(rng: random.Random) -> tuple[Decimal | None, int]:
    if rng.random() < _UNRATED_SHARE:
        return None, 0
    average = min(5.0, max(1.0, rng.gauss(4.25, 0.45)))
    return Decimal(f"{average:.2f}"), min(250_000, int(rng.lognormvariate(4.0, 1.7)) + 1)


def _images(rng: random.Random, product_id: int, draft: Draft) -> list[dict[str, object]]:
    width, height = draft.image_size
    return [
        {"url": f"{IMAGE_HOST}/{product_id}-{n}.jpg", "altText": f"{draft.title}, image {n}",
         "width": width, "height": height}
        for n in range(1, rng.randint(1, 3) + 1)
    ]
