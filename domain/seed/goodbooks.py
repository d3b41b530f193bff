"""Reads the goodbooks-10k book list (data/goodbooks-10k-books.csv.gz) into clean rows."""
from __future__ import annotations

import csv
import gzip
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from domain.seed.isbn import isbn13_from_isbn10

DATA_FILE = Path(__file__).resolve().parent / "data" / "goodbooks-10k-books.csv.gz"
_ONE, _FIVE = Decimal("1.00"), Decimal("5.00")


@dataclass(frozen=True, slots=True)
class BookRow:
    book_id: int
    title: str
    original_title: str | None
    year: int | None
    authors: list[str]
    isbn13: str | None
    language: str | None
    average_rating: Decimal
    ratings_count: int
    image_url: str


def read_books(limit: int | None = None, path: Path = DATA_FILE) -> list[BookRow]:
    """The first `limit` rows (all when None) in file order, so book ids 1..N are included.

    An ISBN seen on an earlier row is dropped from later ones: it is unique in the catalogue.
    """
    books: list[BookRow] = []
    seen_isbns: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for raw in itertools.islice(csv.DictReader(handle), limit):
            book = _parse(raw)
            if book.isbn13 is not None:
                if book.isbn13 in seen_isbns:
                    book = replace(book, isbn13=None)
                else:
                    seen_isbns.add(book.isbn13)
            books.append(book)
    return books


def _parse(raw: dict[str, str]) -> BookRow:
    book_id = int(raw["book_id"])
    original_title = raw["original_title"].strip() or None
    return BookRow(
        book_id=book_id,
        title=raw["title"].strip() or original_title or f"Book {book_id}",
        original_title=original_title,
        year=_year(raw["original_publication_year"]),
        authors=list(_authors(raw["authors"])),
        isbn13=isbn13_from_isbn10(raw["isbn"]),
        language=raw["language_code"].strip() or None,
        average_rating=min(_FIVE, max(_ONE, Decimal(raw["average_rating"] or "1"))),
        ratings_count=max(0, int(raw["ratings_count"] or 0)),
        image_url=raw["image_url"].strip(),
    )


def _year(value: str) -> int | None:
    # Stored as a float ("1997.0"); negative for works from before the common era.
    value = value.strip()
    if not value:
        return None
    year = int(float(value))
    return year or None


def _authors(value: str) -> Iterator[str]:
    return (name.strip() for name in value.split(",") if name.strip())

