"""Review GraphQL types: a review as its card shows it, a rating summary, and the fields that
products and customers get (`Product.ratingSummary`, `Product.reviews`, `Customer.reviews`)."""
from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Optional

import strawberry
from strawberry.types import Info

from api.catalogue.enums import ProductFormat
from api.core.arguments import After, First
from api.core.executor import inline
from api.core.node import Node, node_id
from api.core.pagination import Connection, connection, page_request
from api.reviews.enums import ReviewSortKey, ReviewStatus
from domain.reviews import entities
from domain.reviews import service as reviews
from domain.shared.pagination import Page, PageRequest

if TYPE_CHECKING:
    from api.catalogue.types import Product


@strawberry.type(description="A customer's review of a work (every format of a book shares its reviews), published as written. Public while PUBLISHED; a hidden one is seen only by its author and administrators.")
class Review(Node):
    id: strawberry.ID = node_id("Review")
    stars: int = strawberry.field(description="The rating, 1-5 stars.")
    title: str | None = strawberry.field(description="Headline, plain text (at most 200 characters); null for a star-only rating.")
    body: str | None = strawberry.field(name="text", description="The review, plain text (at most 10,000 characters); null for a star-only rating.")
    verified_purchase: bool = strawberry.field(description="True when the author bought this format through us and it was delivered (the \"Verified Purchase\" badge).")
    helpful_votes: int = strawberry.field(description="How many other customers found the review helpful.")
    author_name: str = strawberry.field(description="The author's display name (never their e-mail).")
    created_at: datetime.datetime = strawberry.field(description="When the review was written (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When its author last edited it (UTC); equal to createdAt when never edited.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Review)

    @strawberry.field(description="The format the review is about (the one bought, for a verified purchase).")
    def format(self) -> ProductFormat:
        return ProductFormat(self.format)

    @strawberry.field(description="PUBLISHED, or HIDDEN by a moderator (seen only in the author's own list).")
    def status(self) -> ReviewStatus:
        return ReviewStatus(self.status)

    @strawberry.field(description="The product (format) reviewed.")
    async def product(self, info: Info) -> Optional[Annotated["Product", strawberry.lazy("api.catalogue.types")]]:
        return await info.context.loaders.product_by_id.load(self.product_id)


@strawberry.type(description="How many reviews gave a number of stars.")
class StarCount:
    """Read from a (stars, count, percentage) tuple (`RatingSummary.histogram`): no object is made
    per line of the histogram."""

    @strawberry.field(description="The number of stars, 1-5.")
    @inline
    def stars(self) -> int:
        return self[0]

    @strawberry.field(description="Published reviews with that many stars.")
    @inline
    def count(self) -> int:
        return self[1]

    @strawberry.field(description="Their share of all published reviews, in whole percent; the five add up to 100 (0 each before the first review).")
    @inline
    def percentage(self) -> int:
        return self[2]


@strawberry.type(description="The published reviews of a work, counted (every format of a book shows the same summary). Exact after every write: hidden and deleted reviews do not count. Empty for products nobody can review yet (merchandise).")
class RatingSummary:
    count: int = strawberry.field(description="Published reviews, star-only ratings included.")
    summary: strawberry.Private[entities.RatingSummary]

    @strawberry.field(description="Average stars to one decimal (half up), the number `Product.averageRating` shows; null before the first review.")
    def average(self) -> Optional[Decimal]:
        return self.summary.average

    @strawberry.field(description="Counts and percentages for 5, 4, 3, 2 and 1 stars, in that order.")
    def histogram(self) -> list[StarCount]:  # (stars, count, percentage) each
        percentages = self.summary.percentages()
        histogram = self.summary.histogram
        return [(s, histogram[s - 1], percentages[s - 1]) for s in (5, 4, 3, 2, 1)]


def rating_summary(summary: entities.RatingSummary) -> RatingSummary:
    return RatingSummary(count=summary.count, summary=summary)


@strawberry.input(description="Which of a product's published reviews to list.")
class ReviewFilter:
    stars: Optional[list[int]] = strawberry.field(default=None, description="Only reviews with one of these star counts (1-5 each, at most 5 values).")
    verified_only: bool = strawberry.field(default=False, description="Only verified purchases.")
    with_text: bool = strawberry.field(default=False, description="Only reviews with a title or text (leaves out star-only ratings).")


ReviewFilterArg = Annotated[Optional[ReviewFilter], strawberry.argument(description="Narrow the list; all published reviews when omitted.")]
ReviewSortArg = Annotated[ReviewSortKey, strawberry.argument(description="Order of the list.")]


def product_reviews_listing(sort_key, filter: ReviewFilter | None, first, after) -> entities.ReviewListing:
    """What a product's `reviews` field asks `reviews_by_work_id` for, with the work's id."""
    if filter is None:
        return _unfiltered_listing(sort_key, first, after)
    return _reviews_listing(sort_key, filter, first, after)


@functools.lru_cache(maxsize=256)
def _unfiltered_listing(sort_key, first, after) -> entities.ReviewListing:
    """A list without a filter, made once per page asked for: the same object on every request
    of a product page."""
    return _reviews_listing(sort_key, None, first, after)


def _reviews_listing(sort_key, filter: ReviewFilter | None, first, after) -> entities.ReviewListing:
    request = page_request(first, after)
    flt = entities.ReviewFilter(tuple(dict.fromkeys(filter.stars or ())), filter.verified_only, filter.with_text) \
        if filter is not None else entities.ReviewFilter()
    return entities.ReviewListing(reviews.ReviewSortKey(sort_key.value), flt, request.offset, request.limit)


async def product_reviews(info: Info, work_id: int | None, sort_key, filter: ReviewFilter | None,
                          first, after) -> Connection[Review]:
    listing = product_reviews_listing(sort_key, filter, first, after)
    if work_id is None:
        return connection(Page([], listing.offset, False, 0))
    page = await info.context.loaders.reviews_by_work_id.load((work_id, listing))

    async def count() -> int:
        # The whole list is the summary's count (batched across a page of products).
        if listing.filter.empty:
            return (await info.context.loaders.rating_summary_by_work_id.load(work_id)).count
        return await reviews.count_published(info.context.reader, work_id, listing)

    return connection(page, count)


async def customer_reviews(info: Info, account_id: int, first, after) -> Connection[Review]:
    reader, principal = info.context.reader, await info.context.viewer()
    page: PageRequest = page_request(first, after)
    return connection(await reviews.customer_reviews(reader, principal, account_id, page),
                      lambda: reviews.count_customer_reviews(reader, principal, account_id))


__all__ = ["After", "First", "Review", "RatingSummary", "ReviewFilterArg", "ReviewSortArg",
           "customer_reviews", "product_reviews", "rating_summary"]
