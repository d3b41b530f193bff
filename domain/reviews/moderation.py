"""Reporting reviews and moderating them.

Rules:
- Any signed-in customer may report a published review of someone else's, once per review,
  with a reason code and an optional plain-text note (at most 500 characters); an account
  reports at most `per_day` reviews in 24 hours (RATE_LIMITED, with `retryAfterSeconds`).
- Only administrators list reports, hide a review, restore a hidden one or dismiss a review's
  open reports, each with a reason (1-1000 characters). Sellers and brand owners have no say
  over reviews of their products: to them these are FORBIDDEN like to any other customer.
- Acting on a review resolves its open reports, and every action is written to the review's
  audit trail (who, when, what, why), which only administrators read.
- Hiding takes the review out of the rating summary and restoring puts it back: the summary's
  triggers on `reviews` see the status change in the same transaction.

Each use case locks the review's row first: a report takes a share lock and an action an
exclusive one, so a report is never left open on a review acted on in the same instant.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.reviews.errors import ModerationErrorCode
from domain.reviews.statuses import ModerationAction, ReportReason, ReviewStatus
from domain.shared import plain_text
from domain.shared.db import Reader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.pagination import Page, PageRequest, paged
from domain.shared.principal import Principal

NOTE_MAX = 500
REASON_MAX = 1000
DEFAULT_REPORTS_PER_DAY = 20
_REPORT_COLUMNS = "id, review_id, account_id, reason::text, note, created_at, resolved_at"
_EVENT_COLUMNS = "e.id, e.review_id, e.actor_account_id, a.display_name, e.action::text, e.reason, e.created_at"


class ReportStatus(StrEnum):
    """OPEN: waiting for an administrator. RESOLVED: the review was hidden, restored or its
    reports dismissed."""

    OPEN = "OPEN"
    RESOLVED = "RESOLVED"


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


@dataclass(frozen=True, slots=True)
class ModerationEvent:
    id: int
    review_id: int
    actor_account_id: int | None
    actor_name: str | None
    action: str
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ModerationResult:
    """The review acted on, and how many open reports the action resolved."""

    review_id: int
    status: str
    resolved_reports: int
    event: ModerationEvent


def _plain(value: str, field: list[str]) -> None:
    if plain_text.TAG.search(value):
        raise InvalidInput("Write plain text: no HTML.", code=ModerationErrorCode.INVALID, field=field)


def _note(note: str | None) -> str | None:
    note = (note or "").strip()
    if not note:
        return None
    if len(note) > NOTE_MAX:
        raise DomainError(f"A note has at most {NOTE_MAX} characters; got {len(note)}.",
                          code=ModerationErrorCode.NOTE_TOO_LONG, field=["input", "note"])
    _plain(note, ["input", "note"])
    return note


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not 1 <= len(reason) <= REASON_MAX:
        raise DomainError(f"Give a reason of 1 to {REASON_MAX} characters.",
                          code=ModerationErrorCode.REASON_REQUIRED, field=["input", "reason"])
    _plain(reason, ["input", "reason"])
    return reason


async def _locked_review(session: AsyncSession, review_id: int, lock: str):
    row = (await session.execute(text(f"SELECT id, account_id, status::text FROM reviews WHERE id = :id FOR {lock}"),
                                 {"id": review_id})).one_or_none()
    if row is None or row.status == ReviewStatus.DELETED:
        raise NotFound("No such review.", code=ModerationErrorCode.NOT_FOUND, field=["input", "reviewId"])
    return row


async def report_review(session: AsyncSession, principal: Principal, review_id: int, reason: str,
                        note: str | None, *, per_day: int = DEFAULT_REPORTS_PER_DAY) -> ReviewReport:
    """Files the caller's report of a published review of someone else's."""
    account_id = principal.require_signed_in()
    if reason not in set(ReportReason):
        raise InvalidInput(f"A reason is one of {', '.join(ReportReason)}.", code=ModerationErrorCode.INVALID,
                           field=["input", "reason"])
    note = _note(note)
    review = await _locked_review(session, review_id, "SHARE")
    if review.status != ReviewStatus.PUBLISHED and not principal.is_admin:
        # A hidden review is out of sight for everyone but its author and administrators.
        raise NotFound("No such review.", code=ModerationErrorCode.NOT_FOUND, field=["input", "reviewId"])
    if review.account_id == account_id:
        raise DomainError("You cannot report your own review: edit or delete it instead.",
                          code=ModerationErrorCode.CANNOT_REPORT_OWN_REVIEW, field=["input", "reviewId"])
    # The account's row lock makes concurrent reports of one account take turns: on the limit, and
    # on this check, so a second report is told it is one before being told of the limit.
    await session.execute(text("SELECT 1 FROM accounts WHERE id = :id FOR NO KEY UPDATE"), {"id": account_id})
    if (await session.execute(text("SELECT 1 FROM review_reports WHERE review_id = :r AND account_id = :a"),
                              {"r": review_id, "a": account_id})).first():
        raise _already_reported()
    recent, wait = (await session.execute(text(
        "SELECT count(*), ceil(extract(epoch FROM min(created_at) + interval '24 hours' - now()))"
        " FROM review_reports WHERE account_id = :a AND created_at > now() - interval '24 hours'"),
        {"a": account_id})).one()
    if recent >= per_day:
        raise DomainError(f"You may report at most {per_day} reviews a day.", code=ModerationErrorCode.RATE_LIMITED,
                          extensions={"retryAfterSeconds": max(1, int(wait))})
    row = (await session.execute(text(
        f"INSERT INTO review_reports (review_id, account_id, reason, note) VALUES (:r, :a, :reason, :note)"
        f" ON CONFLICT (review_id, account_id) DO NOTHING RETURNING {_REPORT_COLUMNS}"),
        {"r": review_id, "a": account_id, "reason": reason, "note": note})).one_or_none()
    if row is None:
        raise _already_reported()
    return ReviewReport(*row)


def _already_reported() -> DomainError:
    return DomainError("You already reported this review.", code=ModerationErrorCode.ALREADY_REPORTED,
                       field=["input", "reviewId"])


async def _act(session: AsyncSession, principal: Principal, review_id: int, reason: str,
               action: ModerationAction) -> ModerationResult:
    principal.require_admin()
    reason = _reason(reason)
    review = await _locked_review(session, review_id, "UPDATE")
    status = review.status
    if action is ModerationAction.HIDE:
        if status == ReviewStatus.HIDDEN:
            raise DomainError("The review is already hidden.", code=ModerationErrorCode.ALREADY_HIDDEN,
                              field=["input", "reviewId"])
        status = ReviewStatus.HIDDEN
        await session.execute(text("UPDATE reviews SET status = 'HIDDEN', hidden_at = now() WHERE id = :id"),
                              {"id": review_id})
    elif action is ModerationAction.RESTORE:
        if status != ReviewStatus.HIDDEN:
            raise DomainError("Only a hidden review can be restored.", code=ModerationErrorCode.NOT_HIDDEN,
                              field=["input", "reviewId"])
        status = ReviewStatus.PUBLISHED
        await session.execute(text("UPDATE reviews SET status = 'PUBLISHED', hidden_at = NULL WHERE id = :id"),
                              {"id": review_id})
    resolved = (await session.execute(text(
        "UPDATE review_reports SET resolved_at = now() WHERE review_id = :id AND resolved_at IS NULL RETURNING id"),
        {"id": review_id})).all()
    if action is ModerationAction.DISMISS_REPORTS and not resolved:
        raise DomainError("The review has no open reports.", code=ModerationErrorCode.NO_OPEN_REPORTS,
                          field=["input", "reviewId"])
    event = (await session.execute(text(
        "WITH e AS (INSERT INTO review_moderation_events (review_id, actor_account_id, action, reason)"
        " VALUES (:id, :by, :action, :reason) RETURNING *)"
        f" SELECT {_EVENT_COLUMNS} FROM e LEFT JOIN accounts a ON a.id = e.actor_account_id"),
        {"id": review_id, "by": principal.account_id, "action": action.value, "reason": reason})).one()
    return ModerationResult(review_id, status, len(resolved), ModerationEvent(*event))


async def hide_review(session: AsyncSession, principal: Principal, review_id: int, reason: str) -> ModerationResult:
    """Administrators only: takes a review down (out of the summary), resolving its reports."""
    return await _act(session, principal, review_id, reason, ModerationAction.HIDE)


async def restore_review(session: AsyncSession, principal: Principal, review_id: int,
                         reason: str) -> ModerationResult:
    """Administrators only: publishes a hidden review again (back in the summary)."""
    return await _act(session, principal, review_id, reason, ModerationAction.RESTORE)


async def dismiss_reports(session: AsyncSession, principal: Principal, review_id: int,
                          reason: str) -> ModerationResult:
    """Administrators only: closes a review's open reports and leaves the review as it is."""
    return await _act(session, principal, review_id, reason, ModerationAction.DISMISS_REPORTS)


async def reports(reader: Reader, principal: Principal, status: str | None, page: PageRequest) -> Page:
    """Administrators only: reports, open ones oldest first (the order to work them in), resolved
    ones and the whole list newest first. Reports of deleted reviews are left out."""
    principal.require_admin()
    if status is not None and status not in set(ReportStatus):
        raise InvalidInput(f"A report's status is one of {', '.join(ReportStatus)}.")
    where = {ReportStatus.OPEN: "AND resolved_at IS NULL", ReportStatus.RESOLVED: "AND resolved_at IS NOT NULL",
             None: ""}[status]
    order = "created_at, id" if status == ReportStatus.OPEN else "created_at DESC, id DESC"
    return await paged(reader, ReviewReport,
                       f"SELECT {_REPORT_COLUMNS} FROM review_reports WHERE review_id IN"
                       f" (SELECT id FROM reviews WHERE status <> 'DELETED') {where}", order, page)


async def history(reader: Reader, principal: Principal, review_id: int, page: PageRequest) -> Page:
    """Administrators only: a review's audit trail, oldest first."""
    principal.require_admin()
    return await paged(reader, ModerationEvent,
                       f"SELECT {_EVENT_COLUMNS} FROM review_moderation_events e"
                       " LEFT JOIN accounts a ON a.id = e.actor_account_id WHERE e.review_id = $1",
                       "created_at, id", page, review_id)

