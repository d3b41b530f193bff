"""What the read side of reviews returns: a review as shown, and a work's rating summary."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from domain.reviews.errors import ReviewQueryErrorCode
from domain.reviews.statuses import ReviewSortKey
from domain.shared.errors import InvalidInput

STARS = (1, 2, 3, 4, 5)
_TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Review:
    """A review with what its card shows: the author's display name (public, like the review)
    and the format bought."""

    id: int
    work_id: int
    product_id: int
    account_id: int
    author_name: str
    format: str
    stars: int
    title: str | None
    body: str | None
    status: str
    verified_purchase: bool
    helpful_votes: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RatingSummary:
    """The published reviews of a work, counted (an empty summary for a work nobody reviewed)."""

    work_id: int
    count: int = 0
    star_total: int = 0
    histogram: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)

    @property
    def average(self) -> Decimal | None:
        """To one decimal, rounded half up, as the triggers round it for products and search."""
        if not self.count:
            return None
        return (Decimal(self.star_total) / self.count).quantize(_TENTH, rounding=ROUND_HALF_UP)

    def percentages(self) -> list[int]:
        """Whole percentages of each star count that add up to exactly 100 (largest remainders
        get the rounding), or all 0 before the first review."""
        if not self.count:
            return [0] * 5
        exact = [n * 100 / self.count for n in self.histogram]
        whole = [int(x) for x in exact]
        by_remainder = sorted(range(5), key=lambda i: (-(exact[i] - whole[i]), -i))
        for i in by_remainder[: 100 - sum(whole)]:
            whole[i] += 1
        return whole


@dataclass(frozen=True, slots=True)
class ReviewFilter:
    """Which published reviews a list shows: only these star counts, only verified purchases,
    only reviews with words."""

    stars: tuple[int, ...] = ()
    verified_only: bool = False
    with_text: bool = False

    @property
    def empty(self) -> bool:
        return not (self.stars or self.verified_only or self.with_text)

    def __post_init__(self) -> None:
        bad = [s for s in self.stars if s not in STARS]
        if bad:
            raise InvalidInput(f"Stars are 1 to 5; got {bad[0]}.", code=ReviewQueryErrorCode.INVALID_STARS,
                               field=["filter", "stars"])
        if len(self.stars) > 5:
            raise InvalidInput("Give each star count at most once.", code=ReviewQueryErrorCode.INVALID_FILTER,
                               field=["filter", "stars"])


@dataclass(frozen=True, slots=True)
class ReviewListing:
    """How one page of a work's reviews is asked for (hashable: a loader key)."""

    sort_key: ReviewSortKey = ReviewSortKey.MOST_HELPFUL
    filter: ReviewFilter = ReviewFilter()
    offset: int = 0
    limit: int = 20
    # Its hash, worked out once: a loader key is hashed at every step of its batch, and the
    # generated hash of a dataclass is Python (its sort key's, an enum's, too).
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.sort_key, self.filter, self.offset, self.limit)))

    def __hash__(self) -> int:
        return self._hash
