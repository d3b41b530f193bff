"""Review write mutations: a customer's own review (write, edit, delete) and helpful votes.
Each runs one use case in one transaction; a refusal writes nothing."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from api.reviews.types import Review
from domain.reviews import errors as review_errors
from domain.reviews import votes, writes
from domain.reviews.tables import TEXT_MAX, TITLE_MAX

ReviewErrorCode = error_codes(review_errors.ReviewErrorCode, description="""Stable codes of review `userErrors` (a refused mutation changes nothing):
INVALID (a blank title or text: leave it out instead), TOO_LONG (a title or text over its limit), HTML_NOT_ALLOWED
(a title or text with an HTML tag: reviews are plain text), INVALID_STARS (stars outside 1-5), NOT_FOUND (no such
product, or no such review of yours: another customer's review does not exist for an edit), NOT_REVIEWABLE
(merchandise has no reviews), ALREADY_REVIEWED (you have a review of this work, in any format: see
`existingReviewId`), REVIEW_NOT_ELIGIBLE (too little paid on the account in the last 12 months: see `amountNeeded`),
RATE_LIMITED (too many reviews or votes in 24 hours), OWN_REVIEW (a vote on your own review), ALREADY_VOTED.""")

_PLAIN = " Plain text, stored exactly as written and never rendered as HTML: text with an HTML tag is refused."
REVIEW_ID = "Global ID of a review (`Review.id`)."


@strawberry.type(description="Why a review mutation failed.")
class ReviewError(UserError):
    code: UserErrorCode = ReviewErrorCode.field()
    existing_review_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="With ALREADY_REVIEWED: your review of the work, to edit instead.")
    amount_needed: Optional[str] = strawberry.field(
        default=None, description="With REVIEW_NOT_ELIGIBLE: how much more (USD, e.g. \"12.50\") must be paid on the account within 12 months.")
    retry_after_seconds: Optional[int] = strawberry.field(
        default=None, description="With RATE_LIMITED: seconds until the account may write a review or vote again.")


@strawberry.input(description="A review of a product's work (every format of a book shares its reviews).")
class CreateReviewInput:
    product_id: strawberry.ID = strawberry.field(description="Global ID of the product (format) you bought or are reviewing.")
    stars: int = strawberry.field(description="1-5 stars.")
    title: Optional[str] = strawberry.field(default=None, description=f"Headline, at most {TITLE_MAX} characters; leave out for none.{_PLAIN}")
    text: Optional[str] = strawberry.field(default=None, description=f"The review, at most {TEXT_MAX:,} characters; leave out for a star-only rating.{_PLAIN}")


@strawberry.input(description="Changes to your review; a field left out keeps its value.")
class UpdateReviewInput:
    review_id: strawberry.ID = strawberry.field(description="Global ID of your review.")
    stars: Optional[int] = strawberry.field(default=strawberry.UNSET, description="1-5 stars.")
    title: Optional[str] = strawberry.field(default=strawberry.UNSET, description=f"New headline, at most {TITLE_MAX} characters; null removes it.{_PLAIN}")
    text: Optional[str] = strawberry.field(default=strawberry.UNSET, description=f"New text, at most {TEXT_MAX:,} characters; null removes it.{_PLAIN}")


@strawberry.input(description="A review of yours to withdraw.")
class DeleteReviewInput:
    review_id: strawberry.ID = strawberry.field(description="Global ID of your review.")


@strawberry.input(description="A review to vote helpful, or whose vote to remove.")
class ReviewVoteInput:
    review_id: strawberry.ID = strawberry.field(description=REVIEW_ID)


@strawberry.type(description="Result of a review mutation.")
class ReviewPayload:
    review: Optional[Review] = strawberry.field(description="The review as it is now; null on failure.")
    user_errors: list[ReviewError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `deleteReview`.")
class DeleteReviewPayload:
    deleted_review_id: Optional[strawberry.ID] = strawberry.field(description="The withdrawn review's ID; null on failure.")
    user_errors: list[ReviewError] = strawberry.field(description="Why it failed; nothing was changed.")


def _unset(value):
    return writes.UNSET if value is strawberry.UNSET else value


async def _payload(info: Info, use_case) -> ReviewPayload:
    review_id, errors = await run(info, use_case, ReviewError, ReviewErrorCode)
    for error in errors:
        if error.existing_review_id is not None:
            error.existing_review_id = ids.encode("Review", int(error.existing_review_id))
    if review_id is None:
        return ReviewPayload(review=None, user_errors=errors)
    return ReviewPayload(review=await info.context.loaders.review_by_id.load(review_id), user_errors=[])


@strawberry.type
class ReviewMutation:
    @strawberry.mutation(description="Review a product you are interested in: 1-5 stars with an optional title and text (star-only ratings count too), published as written. One review per customer per work, whatever the format (ALREADY_REVIEWED). Marked a verified purchase when you bought a format of the work through us and it was delivered. Open to customers who paid at least TRIBUTARY_REVIEW_MIN_SPEND (default $50.00, discounts not counted) in the last 12 months (REVIEW_NOT_ELIGIBLE otherwise), at most TRIBUTARY_REVIEW_DAILY_LIMIT reviews per 24 hours. Requires sign-in.")
    async def create_review(self, info: Info, input: Annotated[CreateReviewInput, MutationInput]) -> ReviewPayload:
        product_id = ids.decode_as(input.product_id, "Product", "input.productId")
        settings = info.context.settings
        limits = writes.ReviewLimits(settings.review_min_spend, settings.review_daily_limit)
        return await _payload(info, lambda s, viewer: writes.create_review(
            s, viewer, product_id, input.stars, input.title, input.text, limits))

    @strawberry.mutation(description="Edit your review (stars, title, text); the previous version is kept for moderators and the rating summary follows. Only the author can: another customer's review is NOT_FOUND, whoever asks (sellers and brand owners included). Requires sign-in.")
    async def update_review(self, info: Info, input: Annotated[UpdateReviewInput, MutationInput]) -> ReviewPayload:
        review_id = ids.decode_as(input.review_id, "Review", "input.reviewId")
        return await _payload(info, lambda s, viewer: writes.update_review(
            s, viewer, review_id, _unset(input.stars), _unset(input.title), _unset(input.text)))

    @strawberry.mutation(description="Withdraw your review: it leaves the product page and the rating summary (kept for moderators), and you may review the work again. Only the author can: another customer's review is NOT_FOUND. Requires sign-in.")
    async def delete_review(self, info: Info, input: Annotated[DeleteReviewInput, MutationInput]) -> DeleteReviewPayload:
        review_id = ids.decode_as(input.review_id, "Review", "input.reviewId")
        result, errors = await run(info, lambda s, viewer: writes.delete_review(s, viewer, review_id),
                                   ReviewError, ReviewErrorCode)
        return DeleteReviewPayload(deleted_review_id=None if result is None else input.review_id, user_errors=errors)

    @strawberry.mutation(description="Say another customer's published review was helpful: one vote per customer per review (ALREADY_VOTED), never on your own (OWN_REVIEW), at most TRIBUTARY_REVIEW_VOTE_DAILY_LIMIT per 24 hours. Requires sign-in.")
    async def vote_review_helpful(self, info: Info, input: Annotated[ReviewVoteInput, MutationInput]) -> ReviewPayload:
        review_id = ids.decode_as(input.review_id, "Review", "input.reviewId")
        return await _payload(info, lambda s, viewer: votes.vote_helpful(
            s, viewer, review_id, info.context.settings.review_vote_daily_limit))

    @strawberry.mutation(description="Take back your helpful vote on a review (without one, nothing changes). Requires sign-in.")
    async def remove_review_vote(self, info: Info, input: Annotated[ReviewVoteInput, MutationInput]) -> ReviewPayload:
        review_id = ids.decode_as(input.review_id, "Review", "input.reviewId")
        return await _payload(info, lambda s, viewer: votes.remove_vote(s, viewer, review_id))
