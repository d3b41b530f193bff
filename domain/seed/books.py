"""Works and their editions (hardcover, paperback, Kindle) built from the book data set."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.seed.categories import BOOKS_SLUG, KINDLE_SLUG, CategoryTree
from domain.seed.genres import genre_of
from domain.seed.goodbooks import BookRow
from domain.seed.records import REFERENCE_TIME, SEED, ProductSeed, WorkSeed
from domain.seed.slugs import SlugRegistry, slugify

# Announced editions that release after the reference date, so pre-orders have something
# to order in every seeded database, however few books it holds.
ANNIVERSARY_EDITIONS = 20
# Readers' favourites draw a crowd of marketplace sellers (see offers.py).
POPULAR_RATINGS = 500_000

_PUBLISHERS = (
    "Harbor & Finch", "Northlight Press", "Quill House", "Meridian Books", "Bellwether",
    "Stonebridge Publishing", "Cobalt Street Books", "Wrenfield", "Tidewater House",
    "Greywood Press", "Ashgrove Editions", "Kestrel & Lark", "Lamplighter Books", "Old Pier Press",
)

_BLURBS: dict[str, tuple[str, ...]] = {
    "fiction": (
        "A moving story of family, memory and the choices that shape a life.",
        "Sharp, humane and often funny, it has found readers in every generation.",
        "A modern classic about belonging, ambition and the cost of both.",
    ),
    "fantasy": (
        "An epic of magic, courage and unlikely friendship.",
        "A richly imagined world of old powers, quests and hard-won victories.",
        "Dragons, spells and a reluctant hero: fantasy at its most enchanting.",
    ),
    "mystery-thriller": (
        "A gripping thriller full of twists that keeps you guessing to the last page.",
        "A tense mystery of secrets, suspects and a detective who will not give up.",
        "Fast-paced suspense where nothing is quite what it seems.",
    ),
    "romance": (
        "A heartfelt romance about second chances and falling in love.",
        "Warm, witty and swoon-worthy: a love story readers return to.",
        "Two people, one summer, and a romance neither of them planned.",
    ),
    "science-fiction": (
        "Visionary science fiction about the future of humanity among the stars.",
        "A dystopian adventure that asks what we would sacrifice to survive.",
        "Big ideas, strange worlds and relentless storytelling.",
    ),
    "non-fiction": (
        "An illuminating work of non-fiction, told with wit and rigour.",
        "Part history, part memoir, it changes how you see the world.",
        "Clear, surprising and deeply researched.",
    ),
    "childrens": (
        "A children's favourite to read aloud again and again.",
        "Playful words and pictures that have delighted young readers for years.",
        "A bedtime classic for children and the grown-ups who read to them.",
    ),
}

# "(Harry Potter, #1)": the series note stays in the title but not in the slug.
_SERIES_NOTE = re.compile(r"\s*\([^()]*#\s*[\d.]+[^()]*\)\s*$")
_SLUG_SUFFIX = {"HARDCOVER": "hardcover", "PAPERBACK": "paperback", "KINDLE": "kindle-edition"}


@dataclass(slots=True)
class BookCatalogue:
    works: list[WorkSeed]
    products: list[ProductSeed]


@dataclass(frozen=True, slots=True)
class _Book:
    """Facts shared by every edition of one book."""

    row: BookRow
    genre: str
    slug_base: str
    pages: int
    publisher: str
    blurb: str


def build_books(
    books: list[BookRow], tree: CategoryTree, slugs: SlugRegistry, first_product_id: int
) -> BookCatalogue:
    works = [WorkSeed(b.book_id, b.title, b.original_title, b.year) for b in books]
    products: list[ProductSeed] = []
    prepared: list[_Book] = []
    for row in books:
        # One stream per book: a small seed (books_limit) gets the same rows as a full one.
        rng = random.Random(f"{SEED}:book:{row.book_id}")
        book = _prepare(row, rng)
        prepared.append(book)
        formats = [*_physical_formats(rng), "KINDLE"]
        for fmt in formats:
            slug = slugs.claim(f"{book.slug_base}-{_SLUG_SUFFIX[fmt]}")
            products.append(_edition(
                book, fmt, first_product_id + len(products), slug, tree, rng,
                isbn=row.isbn13 if fmt == formats[0] else None,
            ))
    # Appended last so that adding them never shifts the ids of the regular editions.
    products.extend(_anniversary_editions(prepared, tree, slugs, first_product_id + len(products)))
    return BookCatalogue(works, products)


def _prepare(row: BookRow, rng: random.Random) -> _Book:
    genre = genre_of(row.title, row.authors)
    slug_base = slugify(_SERIES_NOTE.sub("", row.title)) or f"book-{row.book_id}"
    return _Book(
        row=row, genre=genre, slug_base=slug_base,
        pages=int(rng.triangular(96, 900, 300)),
        publisher=rng.choice(_PUBLISHERS),
        blurb=rng.choice(_BLURBS[genre]),
    )


def _physical_formats(rng: random.Random) -> list[str]:
    # The ISBN goes to the first of these, so hardcover comes first when there is one.
    roll = rng.random()
    if roll < 0.78:
        return ["HARDCOVER", "PAPERBACK"]
    return ["HARDCOVER"] if roll < 0.89 else ["PAPERBACK"]


def _price(fmt: str, rng: random.Random) -> int:
    if fmt == "HARDCOVER":
        return rng.randint(21, 30) * 100 - 1
    if fmt == "PAPERBACK":
        return rng.randint(9, 19) * 100 - 1
    return round(rng.triangular(5, 15, 10)) * 100 - 1


def _edition(
    book: _Book, fmt: str, product_id: int, slug: str, tree: CategoryTree, rng: random.Random,
    *, isbn: str | None,
) -> ProductSeed:
    row = book.row
    department = KINDLE_SLUG if fmt == "KINDLE" else BOOKS_SLUG
    shelf = "kindle" if fmt == "KINDLE" else "books"
    return ProductSeed(
        id=product_id,
        slug=slug,
        title=row.title,
        description=_description(book, _edition_sentence(fmt, book.pages)),
        kind="EBOOK" if fmt == "KINDLE" else "PHYSICAL",
        format=fmt,
        category_id=tree.by_slug(f"{shelf}-{book.genre}").id,
        brand_id=None,
        work_id=row.book_id,
        isbn=isbn,
        authors=list(row.authors),
        attributes=_attributes(book, fmt, rng),
        images=[_cover(row)],
        release_date=date(row.year, 1, 1) if row.year and row.year > 0 else None,
        # Ratings come from reviews only: the summary triggers fill them in.
        average_rating=None,
        ratings_count=0,
        created_at=REFERENCE_TIME - timedelta(days=rng.randint(120, 1500),
                                              seconds=rng.randint(0, 86_399)),
        top_category_id=tree.by_slug(department).id,
        list_price_minor=_price(fmt, rng),
        popular=row.ratings_count > POPULAR_RATINGS,
    )


def _anniversary_editions(
    books: list[_Book], tree: CategoryTree, slugs: SlugRegistry, first_id: int
) -> list[ProductSeed]:
    rng = random.Random(f"{SEED}:anniversary")
    chosen = sorted(rng.sample(range(len(books)), min(ANNIVERSARY_EDITIONS, len(books))))
    editions: list[ProductSeed] = []
    for offset, index in enumerate(chosen):
        book = books[index]
        release = date(2027, 1, 5) + timedelta(days=rng.randint(0, 85))
        slug = slugs.claim(f"{book.slug_base}-anniversary-edition-hardcover")
        edition = _edition(book, "HARDCOVER", first_id + offset, slug, tree, rng, isbn=None)
        edition.title = f"{book.row.title} (Anniversary Edition)"
        edition.description = _description(
            book, "A new anniversary hardcover edition, available to pre-order before its "
            f"release on {release:%B} {release.day}, {release.year}.",
        )
        edition.release_date = release
        edition.created_at = REFERENCE_TIME - timedelta(days=rng.randint(1, 30))
        edition.list_price_minor = rng.randint(25, 30) * 100 - 1
        edition.popular = False
        editions.append(edition)
    return editions


def _attributes(book: _Book, fmt: str, rng: random.Random) -> dict[str, object]:
    row = book.row
    attributes: dict[str, object] = {}
    if row.language:
        attributes["language"] = row.language
    attributes["pages"] = book.pages
    if row.year is not None:
        attributes["publicationYear"] = row.year
    attributes["publisher"] = book.publisher
    if fmt == "KINDLE":
        attributes["fileSizeKb"] = book.pages * 6 + rng.randint(200, 2500)
    else:
        grams_per_page = 1.9 if fmt == "HARDCOVER" else 1.1
        attributes["weightGrams"] = int(book.pages * grams_per_page) + 40
    return attributes


def _cover(row: BookRow) -> dict[str, object]:
    # The data set's placeholder cover has its own size.
    width, height = (111, 148) if "nophoto" in row.image_url else (98, 150)
    return {"url": row.image_url, "altText": f"Cover of {row.title}", "width": width,
            "height": height}


def _description(book: _Book, edition_sentence: str) -> str:
    row = book.row
    opening = f"{row.title} by {_byline(row.authors)}"
    if row.year is not None:
        year = f"{-row.year} BC" if row.year < 0 else str(row.year)
        opening += f", first published in {year}"
    return f"{opening}. {book.blurb} {edition_sentence}"


def _edition_sentence(fmt: str, pages: int) -> str:
    if fmt == "KINDLE":
        return "Kindle edition: read it on any Kindle device or in the free Kindle app."
    return f"This {fmt.lower()} edition runs to {pages} pages."


def _byline(authors: list[str]) -> str:
    if len(authors) <= 1:
        return authors[0] if authors else "an unknown author"
    if len(authors) > 3:
        return f"{', '.join(authors[:3])} and others"
    return f"{', '.join(authors[:-1])} and {authors[-1]}"
