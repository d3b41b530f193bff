"""Reporting reviews and moderating them, by the rules of `domain.moderation.service`.

What is particular to reviews: a hidden review is out of the rating summary and a restored one
back in it (the summary's triggers on `reviews` see the status change in the same transaction),
and reporting one's own review keeps its own code, CANNOT_REPORT_OWN_REVIEW.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.moderation import service
from domain.moderation.entities import ModerationEvent, ModerationResult
from domain.moderation.errors import ModerationErrorCode
from domain.moderation.service import DEFAULT_REPORTS_PER_DAY, NOTE_MAX, REASON_MAX
from domain.moderation.statuses import ModerationAction, ReportStatus
from domain.moderation.subject import Queue, Subject
from domain.shared.db import Reader
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

__all__ = ["DEFAULT_REPORTS_PER_DAY", "NOTE_MAX", "REASON_MAX", "ModerationEvent", "ModerationResult",
           "ReportStatus", "ReviewReport", "dismiss_reports", "hide_review", "history", "report_review",
           "reports", "restore_review"]


@dataclass(frozen=True, slots=True)
class ReviewReport:
    id: int
    review_id: int
    account_id: int
    reason: str
    note: str | None
    created_at: datetime
    resolved_at: datetime | None

    @property
    def open(self) -> bool:
        return self.resolved_at is None


QUEUE = Queue(
    table="review_reports",
    columns="r.id, r.review_id, r.account_id, r.reason::text, r.note, r.created_at, r.resolved_at",
    entity=ReviewReport,
    live="r.review_id IN (SELECT id FROM reviews WHERE status <> 'DELETED')")
REVIEW = Subject(
    noun="review", field="reviewId", posts="reviews",
    locate="SELECT account_id, status::text, status = 'PUBLISHED' AS visible FROM reviews WHERE id = :id FOR {lock}",
    queue=QUEUE, events="review_moderation_events", key="review_id",
    own_code=ModerationErrorCode.CANNOT_REPORT_OWN_REVIEW, counted="reviews")


async def report_review(session: AsyncSession, principal: Principal, review_id: int, reason: str,
                        note: str | None, *, per_day: int = DEFAULT_REPORTS_PER_DAY) -> ReviewReport:
    """Files the caller's report of a published review of someone else's; at most `per_day`
    reviews an account in 24 hours."""
    return await service.report(session, principal, REVIEW, review_id, reason, note, per_day=per_day)


async def hide_review(session: AsyncSession, principal: Principal, review_id: int, reason: str) -> ModerationResult:
    """Administrators only: takes a review down (out of the summary), resolving its reports."""
    return await service.act(session, principal, REVIEW, review_id, reason, ModerationAction.HIDE)


async def restore_review(session: AsyncSession, principal: Principal, review_id: int,
                         reason: str) -> ModerationResult:
    """Administrators only: publishes a hidden review again (back in the summary)."""
    return await service.act(session, principal, REVIEW, review_id, reason, ModerationAction.RESTORE)


async def dismiss_reports(session: AsyncSession, principal: Principal, review_id: int,
                          reason: str) -> ModerationResult:
    """Administrators only: closes a review's open reports and leaves the review as it is."""
    return await service.act(session, principal, REVIEW, review_id, reason, ModerationAction.DISMISS_REPORTS)


async def reports(reader: Reader, principal: Principal, status: str | None, page: PageRequest) -> Page:
    """Administrators only: reports of reviews, open ones oldest first; see `service.reports`."""
    return await service.reports(reader, principal, QUEUE, status, page)


async def history(reader: Reader, principal: Principal, review_id: int, page: PageRequest) -> Page:
    """Administrators only: a review's audit trail, oldest first."""
    return await service.history(reader, principal, REVIEW, review_id, page)
