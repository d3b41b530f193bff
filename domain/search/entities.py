"""What a search or a filtered browse asks for and gets back."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SORT_KEYS = ("RELEVANCE", "POPULARITY", "PRICE", "RATING", "NEWEST", "TITLE")

# Price bands for the facet, in minor units: [low, high), the last one open-ended.
PRICE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 1000), (1000, 2500), (2500, 5000), (5000, 10000), (10000, 20000), (20000, None),
)

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
MAX_FILTER_VALUES = 50


@dataclass(frozen=True, slots=True)
class ProductFilter:
    category_id: int | None = None
    brand_ids: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    min_price_minor: int | None = None
    max_price_minor: int | None = None
    min_rating: Decimal | None = None
    prime_eligible: bool | None = None
    in_stock: bool | None = None


@dataclass(frozen=True, slots=True)
class SearchSpec:
    """A text query (None to browse), filters and an order."""

    query: str | None = None
    filter: ProductFilter = ProductFilter()
    sort_key: str = "RELEVANCE"
    reverse: bool = False
    # Search the words as typed, without spelling correction ("search instead for ...").
    exact: bool = False
    # One result per work (its best format; the others go with it) rather than every format.
    group_formats: bool = True


@dataclass(slots=True)
class FacetValue:
    value: str
    count: int


@dataclass(slots=True)
class PriceBandCount:
    min_minor: int
    max_minor: int | None
    count: int


# A search counts and facets at most this many matches, and ranks at most RANK_CANDIDATES (or
# as many as the page asked for needs): the first ones in the read model's physical order, which
# a rebuild lays out most popular first. Past them a common word's cost would grow with the
# catalogue (every match read from the heap); see domain/search/repository.py.
COUNT_LIMIT = 2_000
RANK_CANDIDATES = 1_000


@dataclass(slots=True)
class Facets:
    total: int
    # False when the matches were more than COUNT_LIMIT: `total` and every count are then over
    # the first COUNT_LIMIT matches only (lower bounds, "over 2,000 results").
    exact: bool = True
    categories: list[FacetValue] = field(default_factory=list)  # value: category id
    brands: list[FacetValue] = field(default_factory=list)  # value: brand id
    price_bands: list[PriceBandCount] = field(default_factory=list)
    kinds: list[FacetValue] = field(default_factory=list)
    formats: list[FacetValue] = field(default_factory=list)
    in_stock: int = 0
    out_of_stock: int = 0
    prime_eligible: int = 0
    # value: the minimum average rating ("4": 4 stars & up), from 4 down to 1.
    ratings: list[FacetValue] = field(default_factory=list)


@dataclass(slots=True)
class ParsedQuery:
    """The words searched for after spelling correction (None: browse without text)."""

    text: str | None
    corrected: str | None = None
    matches_nothing: bool = False
    # `to_tsquery('english', ...)` text of the words searched, the last one as a prefix.
    tsquery: str | None = None
    # Set when the last word is a prefix too short for the text index ("catching fi"): the
    # tsquery of the other words, which the index looks up; `tsquery` then filters their matches.
    indexed_tsquery: str | None = None
    # The last word (quoted for `to_tsquery`) when it is a prefix: the documents must also hold
    # a word starting with its letters as typed (`spelling.typed_prefix`).
    typed_prefix: str | None = None
    # The words as typed, lower-cased and joined by spaces.
    words: str | None = None
    # Set when every word is a stop word ("It", "The Who"): titles starting with these words.
    title_pattern: str | None = None
