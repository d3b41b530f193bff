"""The error type, enums and audit trail entry of reporting and moderating posts (reviews,
questions, answers). The enums keep the names they were first published under, for reviews."""
import datetime
from typing import Annotated, Optional

import strawberry

from api.core.enums import error_codes, graphql_enum
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from domain.moderation import entities, statuses
from domain.moderation.errors import ModerationErrorCode as DomainModerationErrorCode

ReviewReportReason = graphql_enum(statuses.ReportReason, name="ReviewReportReason", description="Why a review, a question or an answer is reported: SPAM (advertising, links, repeated text), OFFENSIVE (abusive, hateful or obscene), OFF_TOPIC (not about the product: delivery, the seller, another book), PERSONAL_INFORMATION (someone's e-mail, address or phone number), FAKE (not a real customer's experience), OTHER (say why in the note).")
ReviewModerationAction = graphql_enum(statuses.ModerationAction, name="ReviewModerationAction", description="An administrator's action on a review, a question or an answer: HIDE (taken down; a review leaves the rating summary, an answer its question's answers and count), RESTORE (published again), DISMISS_REPORTS (its open reports closed, the post left as it was).")
ReviewReportStatus = graphql_enum(statuses.ReportStatus, name="ReviewReportStatus", description="Where a report of a review, a question or an answer stands: OPEN (waiting for an administrator), RESOLVED (the post was hidden, restored or its reports dismissed).")
ReportStatusArg = Annotated[Optional[ReviewReportStatus], strawberry.argument(
    description="OPEN: open reports only, oldest first (the order to work them in); RESOLVED: resolved ones, newest first; omitted: all, newest first.")]
ModerationErrorCode = error_codes(DomainModerationErrorCode, description="""Stable codes of the moderation mutations (reviews, questions and answers):
INVALID (malformed input, e.g. HTML in a note or reason; see `field`), NOT_FOUND (no such post, or one you may not see),
REASON_REQUIRED (a moderation reason is 1-1000 characters), NOTE_TOO_LONG (a report's note is over 500 characters),
CANNOT_REPORT_OWN_REVIEW (edit or delete your own review instead), CANNOT_REPORT_OWN_POST (edit or delete your own question or answer instead),
ALREADY_REPORTED (you reported this post before),
RATE_LIMITED (too many reports in 24 hours: wait `retryAfterSeconds`), ALREADY_HIDDEN (the post is hidden already),
NOT_HIDDEN (only a hidden post can be restored), NO_OPEN_REPORTS (the post has no open reports to dismiss).""")


@strawberry.type(description="An expected failure of reporting or moderating a review, a question or an answer.")
class ModerationError(UserError):
    code: UserErrorCode = ModerationErrorCode.field()
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="With RATE_LIMITED: seconds until the account may report again.")


@strawberry.type(description="One entry of a review's audit trail: what an administrator did, when and why.")
class ReviewModerationEvent:
    action: ReviewModerationAction = strawberry.field(description="What was done.")
    reason: str = strawberry.field(description="Why, as the administrator wrote it.")
    actor_name: str | None = strawberry.field(description="The administrator's display name; null if their account was since deleted.")
    created_at: datetime.datetime = strawberry.field(description="When (UTC).")


def moderation_event(cls: type[ReviewModerationEvent], event: entities.ModerationEvent) -> ReviewModerationEvent:
    """`event` as an entry of type `cls` (a review's, or a subtype for other posts)."""
    return cls(action=ReviewModerationAction(event.action), reason=event.reason, actor_name=event.actor_name,
               created_at=event.created_at)
