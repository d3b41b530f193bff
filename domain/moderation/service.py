"""Reporting posts and moderating them, for every kind of post (`Subject`).

Rules:
- Any signed-in customer may report a post of someone else's that they can see, once per post,
  with a reason code and an optional plain-text note (at most 500 characters); an account files
  at most `per_day` reports of the subject's table in 24 hours (RATE_LIMITED, with
  `retryAfterSeconds`).
- Only administrators list reports, hide a post, restore a hidden one or dismiss a post's open
  reports, each with a reason (1-1000 characters). Sellers and brand owners have no say over
  posts about their products: to them these are FORBIDDEN like to any other customer.
- Acting on a post resolves its open reports, and every action is written to the post's audit
  trail (who, when, what, why), which only administrators read.

Each use case locks the post's row first: a report takes a share lock and an action an exclusive
one, so a report is never left open on a post acted on in the same instant.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.moderation.entities import ModerationEvent, ModerationResult
from domain.moderation.errors import ModerationErrorCode
from domain.moderation.statuses import ModerationAction, ReportReason, ReportStatus
from domain.moderation.subject import Queue, Subject
from domain.shared import plain_text
from domain.shared.db import Reader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.pagination import Page, PageRequest, paged
from domain.shared.principal import Principal

NOTE_MAX = 500
REASON_MAX = 1000
DEFAULT_REPORTS_PER_DAY = 20
_PUBLISHED, _HIDDEN, _DELETED = "PUBLISHED", "HIDDEN", "DELETED"


def _event_columns(subject: Subject) -> str:
    return f"e.id, e.{subject.key}, e.actor_account_id, a.display_name, e.action::text, e.reason, e.created_at"


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


def _not_found(subject: Subject) -> NotFound:
    return NotFound(f"No such {subject.noun}.", code=ModerationErrorCode.NOT_FOUND, field=["input", subject.field])


def _refused(subject: Subject, message: str, code: ModerationErrorCode) -> DomainError:
    return DomainError(message, code=code, field=["input", subject.field])


async def _locked(session: AsyncSession, subject: Subject, post_id: int, lock: str):
    row = (await session.execute(text(subject.locate.format(lock=lock)), {"id": post_id})).one_or_none()
    if row is None or row.status == _DELETED:
        raise _not_found(subject)
    return row


def _kind(subject: Subject) -> tuple[str, dict]:
    """The `kind` column and its value, where the subject's tables hold several kinds of post."""
    return ("kind, ", {"kind": subject.kind}) if subject.kind else ("", {})


async def report(session: AsyncSession, principal: Principal, subject: Subject, post_id: int, reason: str,
                 note: str | None, *, per_day: int = DEFAULT_REPORTS_PER_DAY) -> Any:
    """Files the caller's report of a post of someone else's that they can see."""
    account_id = principal.require_signed_in()
    if reason not in set(ReportReason):
        raise InvalidInput(f"A reason is one of {', '.join(ReportReason)}.", code=ModerationErrorCode.INVALID,
                           field=["input", "reason"])
    note = _note(note)
    post = await _locked(session, subject, post_id, "SHARE")
    if not post.visible and not principal.is_admin:
        # A hidden post is out of sight for everyone but its author and administrators.
        raise _not_found(subject)
    if post.account_id == account_id:
        raise _refused(subject, f"You cannot report your own {subject.noun}: edit or delete it instead.",
                       subject.own_code)
    queue, key = subject.queue, subject.key
    # The account's row lock makes concurrent reports of one account take turns: on the limit, and
    # on this check, so a second report is told it is one before being told of the limit.
    await session.execute(text("SELECT 1 FROM accounts WHERE id = :id FOR NO KEY UPDATE"), {"id": account_id})
    if (await session.execute(text(f"SELECT 1 FROM {queue.table} WHERE {key} = :p AND account_id = :a"),
                              {"p": post_id, "a": account_id})).first():
        raise _already_reported(subject)
    recent, wait = (await session.execute(text(
        "SELECT count(*), ceil(extract(epoch FROM min(created_at) + interval '24 hours' - now()))"
        f" FROM {queue.table} WHERE account_id = :a AND created_at > now() - interval '24 hours'"),
        {"a": account_id})).one()
    if recent >= per_day:
        raise DomainError(f"You may report at most {per_day} {subject.counted} a day.",
                          code=ModerationErrorCode.RATE_LIMITED, extensions={"retryAfterSeconds": max(1, int(wait))})
    kind_column, kind = _kind(subject)
    row = (await session.execute(text(
        f"WITH r AS (INSERT INTO {queue.table} ({kind_column}{key}, account_id, reason, note)"
        f" VALUES ({':kind, ' if kind else ''}:p, :a, :reason, :note)"
        f" ON CONFLICT ({key}, account_id){subject.conflict} DO NOTHING RETURNING *)"
        f" SELECT {queue.columns} FROM r {queue.joins}"),
        {"p": post_id, "a": account_id, "reason": reason, "note": note, **kind})).one_or_none()
    if row is None:
        raise _already_reported(subject)
    return queue.entity(*row)


def _already_reported(subject: Subject) -> DomainError:
    return _refused(subject, f"You already reported this {subject.noun}.", ModerationErrorCode.ALREADY_REPORTED)


async def act(session: AsyncSession, principal: Principal, subject: Subject, post_id: int, reason: str,
              action: ModerationAction) -> ModerationResult:
    """Administrators only: hides a post, restores a hidden one or dismisses its open reports;
    either way its open reports are resolved and the action is written to its audit trail."""
    principal.require_admin()
    reason = _reason(reason)
    # NO KEY UPDATE conflicts with a report's SHARE lock like UPDATE would, without holding off
    # rows that merely reference the post (votes, answers).
    post = await _locked(session, subject, post_id, "NO KEY UPDATE")
    status, noun = post.status, subject.noun
    if action is ModerationAction.HIDE:
        if status == _HIDDEN:
            raise _refused(subject, f"The {noun} is already hidden.", ModerationErrorCode.ALREADY_HIDDEN)
        status = _HIDDEN
        await session.execute(text(f"UPDATE {subject.posts} SET status = 'HIDDEN', hidden_at = now() WHERE id = :id"),
                              {"id": post_id})
    elif action is ModerationAction.RESTORE:
        if status != _HIDDEN:
            raise _refused(subject, f"Only a hidden {noun} can be restored.", ModerationErrorCode.NOT_HIDDEN)
        status = _PUBLISHED
        await session.execute(text(f"UPDATE {subject.posts} SET status = 'PUBLISHED', hidden_at = NULL WHERE id = :id"),
                              {"id": post_id})
    resolved = (await session.execute(text(
        f"UPDATE {subject.queue.table} SET resolved_at = now() WHERE {subject.key} = :id AND resolved_at IS NULL"
        " RETURNING id"), {"id": post_id})).all()
    if action is ModerationAction.DISMISS_REPORTS and not resolved:
        raise _refused(subject, f"The {noun} has no open reports.", ModerationErrorCode.NO_OPEN_REPORTS)
    kind_column, kind = _kind(subject)
    event = (await session.execute(text(
        f"WITH e AS (INSERT INTO {subject.events} ({kind_column}{subject.key}, actor_account_id, action, reason)"
        f" VALUES ({':kind, ' if kind else ''}:id, :by, :action, :reason) RETURNING *)"
        f" SELECT {_event_columns(subject)} FROM e LEFT JOIN accounts a ON a.id = e.actor_account_id"),
        {"id": post_id, "by": principal.account_id, "action": action.value, "reason": reason, **kind})).one()
    return ModerationResult(post_id, status, len(resolved), ModerationEvent(*event))


async def reports(reader: Reader, principal: Principal, queue: Queue, status: str | None, page: PageRequest) -> Page:
    """Administrators only: reports, open ones oldest first (the order to work them in), resolved
    ones and the whole list newest first. Reports of deleted posts are left out."""
    principal.require_admin()
    if status is not None and status not in set(ReportStatus):
        raise InvalidInput(f"A report's status is one of {', '.join(ReportStatus)}.")
    where = {ReportStatus.OPEN: "AND r.resolved_at IS NULL", ReportStatus.RESOLVED: "AND r.resolved_at IS NOT NULL",
             None: ""}[status]
    order = "created_at, id" if status == ReportStatus.OPEN else "created_at DESC, id DESC"
    return await paged(reader, queue.entity,
                       f"SELECT {queue.columns} FROM {queue.table} r {queue.joins} WHERE {queue.live} {where}",
                       order, page)


async def history(reader: Reader, principal: Principal, subject: Subject, post_id: int, page: PageRequest) -> Page:
    """Administrators only: a post's audit trail, oldest first."""
    principal.require_admin()
    return await paged(reader, ModerationEvent,
                       f"SELECT {_event_columns(subject)} FROM {subject.events} e"
                       f" LEFT JOIN accounts a ON a.id = e.actor_account_id WHERE e.{subject.key} = $1",
                       "created_at, id", page, post_id)
