"""Review use cases, as the API and other contexts call them.

Reads: published reviews and rating summaries are public (anyone, signed in or not); a
customer's own list (published and hidden reviews) is theirs and an administrator's only.
Merchandise (products without a work) has no reviews: its summary is empty."""
from __future__ import annotations

from collections.abc import Sequence

from domain.reviews import repository
from domain.reviews.entities import RatingSummary, Review, ReviewFilter, ReviewListing  # noqa: F401
from domain.reviews.statuses import ReviewSortKey  # noqa: F401
from domain.reviews.summary import recount  # noqa: F401
from domain.reviews.writes import verified_line  # noqa: F401
from domain.shared.db import Reader
from domain.shared.errors import Forbidden, Unauthenticated
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

summaries_by_work_ids = repository.summaries
published_pages = repository.published_pages
count_published = repository.count_published
# A customer's published reviews (their public profile's; whether it shows them is the profile's rule).
published_pages_by_account = repository.published_pages_by_account
count_published_by_account = repository.count_published_by_account


def _check_owner(principal: Principal, account_id: int) -> None:
    if principal.account_id is None:
        raise Unauthenticated("Sign in to see your reviews.")
    if principal.account_id != account_id and not principal.is_admin:
        raise Forbidden("Only the author and administrators see a customer's review list.")


async def customer_reviews(reader: Reader, principal: Principal, account_id: int, page: PageRequest) -> Page:
    """A customer's reviews, newest first (hidden ones included, so the author sees them):
    for that customer and administrators only."""
    _check_owner(principal, account_id)
    return await repository.account_reviews(reader, account_id, page)


async def count_customer_reviews(reader: Reader, principal: Principal, account_id: int) -> int:
    _check_owner(principal, account_id)
    return await repository.count_account_reviews(reader, account_id)


async def pages_for_works(reader: Reader, keys: Sequence[int], listing: ReviewListing) -> dict[int, Page]:
    return await repository.published_pages(reader, keys, listing)


async def reviews_by_ids(reader: Reader, principal: Principal, ids: Sequence[int]) -> dict[int, Review]:
    """Reviews by id: published ones for anyone, a hidden one for its author and administrators
    only, deleted ones for nobody."""
    found = await repository.reviews_by_ids(reader, ids)
    return {pk: r for pk, r in found.items()
            if r.status == "PUBLISHED" or principal.is_admin or r.account_id == principal.account_id}
