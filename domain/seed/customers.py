"""Demo customers: the readers of the goodbooks-10k ratings sample
(data/goodbooks-10k-ratings-sample.csv.gz, 2,672 users and their complete rating histories in
time order) as accounts with invented names and e-mail addresses. Nothing of the source but the
order of the ratings and their stars is kept, and the source has no personal data either."""
from __future__ import annotations

import csv
import gzip
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from domain.seed.records import REFERENCE_TIME, SEED

RATINGS_FILE = Path(__file__).resolve().parent / "data" / "goodbooks-10k-ratings-sample.csv.gz"
# The one password of every demo account (documented in the README); never for a real account.
DEMO_PASSWORD = "tributary-demo-reader"
DEMO_EMAIL_DOMAIN = "demo.tributary.example"

_FIRST_NAMES = (
    "Ada", "Alex", "Amara", "Ana", "Ben", "Bruno", "Carla", "Chen", "Dana", "Diego", "Elena", "Emil",
    "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jade", "Jonas", "Kai", "Kofi", "Lara",
    "Leo", "Lina", "Luca", "Maya", "Mei", "Milo", "Nadia", "Nico", "Noor", "Omar", "Oskar", "Priya",
    "Quinn", "Rafael", "Rosa", "Sami", "Sara", "Theo", "Uma", "Vera", "Wren", "Yara", "Yusuf", "Zoe",
)
_LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTVWYZ"


@dataclass(slots=True)
class DemoCustomer:
    number: int  # 1.. in the order the readers first appear in the file
    display_name: str
    created_at: datetime
    # (book id, stars) in the order the reader rated them.
    ratings: list[tuple[int, int]] = field(default_factory=list)

    @property
    def email(self) -> str:
        return f"reader-{self.number}@{DEMO_EMAIL_DOMAIN}"


def read_customers(limit: int | None = None, books: int | None = None,
                   path: Path = RATINGS_FILE) -> list[DemoCustomer]:
    """The first `limit` readers of the file (all when None), each with their ratings of books
    1..`books` (all when None; the catalogue holds the first books of the book list). Readers left
    with no rating are dropped; a repeated rating of one book keeps the first."""
    by_user: dict[str, list[tuple[int, int]]] = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)  # by position: a DictReader's dict per row took twice as long
        header = next(rows)
        user_at, book_at, rating_at = header.index("user_id"), header.index("book_id"), header.index("rating")
        for row in rows:
            ratings = by_user.get(row[user_at])
            if ratings is None:
                if limit is not None and len(by_user) >= limit:
                    continue
                ratings = by_user[row[user_at]] = []
            book_id = int(row[book_at])
            if books is None or book_id <= books:
                ratings.append((book_id, int(row[rating_at])))
    rng = random.Random(f"{SEED}:customers")
    customers: list[DemoCustomer] = []
    for number, ratings in enumerate(by_user.values(), start=1):
        # Drawn for every reader, kept or not, so the names do not depend on `books`.
        name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_INITIALS)}."
        joined = REFERENCE_TIME.replace(year=REFERENCE_TIME.year - 6) \
            + (REFERENCE_TIME - REFERENCE_TIME.replace(year=REFERENCE_TIME.year - 6)) * rng.random() * 0.02
        seen: set[int] = set()
        unique = [(b, s) for b, s in ratings if not (b in seen or seen.add(b))]
        if unique:
            customers.append(DemoCustomer(number, name, joined, unique))
    return customers
