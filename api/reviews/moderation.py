"""Review reports and moderation: `reportReview` for signed-in customers; the report queue, a
review's audit trail, `hideReview`, `restoreReview` and `dismissReviewReports` for
administrators (anyone else gets a top-level FORBIDDEN or UNAUTHENTICATED error)."""
import datetime
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import After, First, MutationInput, NodeId
from api.core.mutations import run
from api.core.pagination import Connection, connection, page_request
from api.moderation.types import (
    ModerationError,
    ModerationErrorCode,
    ReportStatusArg,
    ReviewModerationEvent,
    ReviewReportReason,
    moderation_event,
)
from api.reviews.types import Review
from domain.reviews import moderation
from domain.shared.pagination import Page


@strawberry.type(description="A customer's report that a review breaks the rules. Administrators see every report; the reporter sees the one they just filed.")
class ReviewReport:
    reason: ReviewReportReason = strawberry.field(description="Why the review was reported.")
    note: str | None = strawberry.field(description="What the reporter added, plain text (at most 500 characters).")
    created_at: datetime.datetime = strawberry.field(description="When it was reported (UTC).")
    resolved_at: datetime.datetime | None = strawberry.field(description="When an administrator acted on the review (UTC); null while open.")
    review_id: strawberry.Private[int]

    @strawberry.field(description="The review reported (hidden ones included, for administrators).")
    async def review(self, info: Info) -> Optional[Review]:
        return await info.context.loaders.review_by_id.load(self.review_id)


def _report(report: moderation.ReviewReport) -> ReviewReport:
    return ReviewReport(reason=ReviewReportReason(report.reason), note=report.note, created_at=report.created_at,
                        resolved_at=report.resolved_at, review_id=report.review_id)


def _event(event: moderation.ModerationEvent) -> ReviewModerationEvent:
    return moderation_event(ReviewModerationEvent, event)


@strawberry.type
class ModerationQuery:
    @strawberry.field(description="Reports of reviews, each with its review. Administrators only. Page size 1-100 (default 20).")
    async def review_reports(self, info: Info, status: ReportStatusArg = None, first: First = None,
                             after: After = None) -> Connection[ReviewReport]:
        page = await moderation.reports(info.context.reader, await info.context.viewer(),
                                        status.value if status else None, page_request(first, after))
        return connection(Page([_report(r) for r in page.items], page.offset, page.has_next, page.total))

    @strawberry.field(description="A review's audit trail, oldest first. Administrators only. Page size 1-100 (default 20).")
    async def review_moderation_history(self, info: Info, review_id: NodeId, first: First = None,
                                        after: After = None) -> Connection[ReviewModerationEvent]:
        pk = ids.decode_as(review_id, "Review", "reviewId")
        page = await moderation.history(info.context.reader, await info.context.viewer(), pk, page_request(first, after))
        return connection(Page([_event(e) for e in page.items], page.offset, page.has_next, page.total))


@strawberry.input(description="A review to report.")
class ReportReviewInput:
    review_id: strawberry.ID = strawberry.field(description="`Review.id` of a published review of someone else's.")
    reason: ReviewReportReason = strawberry.field(description="Why it breaks the rules.")
    note: str | None = strawberry.field(default=None, description="Anything to add, plain text, at most 500 characters.")


@strawberry.type(description="Result of `reportReview`.")
class ReportReviewPayload:
    report: ReviewReport | None = strawberry.field(description="The report filed; null on failure.")
    user_errors: list[ModerationError] = strawberry.field(description="Why it failed; nothing was written.")


@strawberry.input(description="A review to act on, and why.")
class ModerateReviewInput:
    review_id: strawberry.ID = strawberry.field(description="`Review.id` of the review.")
    reason: str = strawberry.field(description="Why, 1-1000 characters of plain text; kept in the review's audit trail.")


@strawberry.type(description="Result of `hideReview`, `restoreReview` or `dismissReviewReports`.")
class ModerateReviewPayload:
    review: Review | None = strawberry.field(description="The review as it now stands; null on failure.")
    resolved_report_count: int = strawberry.field(description="Open reports of the review the action resolved.")
    event: ReviewModerationEvent | None = strawberry.field(description="The audit trail entry written; null on failure.")
    user_errors: list[ModerationError] = strawberry.field(description="Why it failed; nothing was changed.")


async def _moderate(info: Info, input: ModerateReviewInput, use_case) -> ModerateReviewPayload:
    pk = ids.decode_as(input.review_id, "Review", "input.reviewId")
    result, errors = await run(info, lambda s, viewer: use_case(s, viewer, pk, input.reason),
                               ModerationError, ModerationErrorCode)
    if result is None:
        return ModerateReviewPayload(review=None, resolved_report_count=0, event=None, user_errors=errors)
    return ModerateReviewPayload(review=await info.context.loaders.review_by_id.load(pk),
                                 resolved_report_count=result.resolved_reports,
                                 event=_event(result.event), user_errors=[])


@strawberry.type
class ModerationMutation:
    @strawberry.mutation(description="Report a published review of someone else's that breaks the rules, once per review. Signed-in customers; at most `TRIBUTARY_REVIEW_REPORTS_PER_DAY` reports per account in 24 hours.")
    async def report_review(self, info: Info, input: Annotated[ReportReviewInput, MutationInput]) -> ReportReviewPayload:
        pk = ids.decode_as(input.review_id, "Review", "input.reviewId")
        per_day = info.context.settings.review_reports_per_day
        report, errors = await run(info, lambda s, viewer: moderation.report_review(
            s, viewer, pk, input.reason.value, input.note, per_day=per_day), ModerationError, ModerationErrorCode)
        return ReportReviewPayload(report=_report(report) if report else None, user_errors=errors)

    @strawberry.mutation(description="Take a review down: it leaves the rating summary and is seen only by its author and administrators; its open reports are resolved. Administrators only (never sellers or brand owners).")
    async def hide_review(self, info: Info, input: Annotated[ModerateReviewInput, MutationInput]) -> ModerateReviewPayload:
        return await _moderate(info, input, moderation.hide_review)

    @strawberry.mutation(description="Publish a hidden review again: it counts in the rating summary again. Administrators only.")
    async def restore_review(self, info: Info, input: Annotated[ModerateReviewInput, MutationInput]) -> ModerateReviewPayload:
        return await _moderate(info, input, moderation.restore_review)

    @strawberry.mutation(description="Close a review's open reports and leave the review as it is. Administrators only.")
    async def dismiss_review_reports(self, info: Info, input: Annotated[ModerateReviewInput, MutationInput]) -> ModerateReviewPayload:
        return await _moderate(info, input, moderation.dismiss_reports)
