"""Reporting product questions and answers and moderating them, by the rules of
`domain.moderation.service` (the same as reviews').

What is particular to questions and answers: one table holds the reports of both (and one the
audit trail of both), so an account's daily limit counts its question and answer reports
together (`TRIBUTARY_QUESTION_REPORTS_PER_DAY`), and administrators work one queue of both. An
answer is out of sight while its question is: it cannot be reported then (but administrators can
still act on it). Hiding an answer takes it out of its question's `answer_count` and restoring
puts it back (the count's trigger on `product_answers` sees the status change in the same
transaction). Reporting one's own question or answer is CANNOT_REPORT_OWN_POST.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.moderation import service
from domain.moderation.entities import ModerationResult
from domain.moderation.errors import ModerationErrorCode
from domain.moderation.service import DEFAULT_REPORTS_PER_DAY
from domain.moderation.statuses import ModerationAction
from domain.moderation.subject import Queue, Subject
from domain.questions.statuses import PostKind
from domain.shared.db import Reader
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal


@dataclass(frozen=True, slots=True)
class QuestionReport:
    """A report of a question or an answer, with what administrators need to judge it: the
    post's text, its author's display name and its status. `question_id` is the question
    reported, or for an answer the question it answers."""

    id: int
    kind: str
    question_id: int
    answer_id: int | None
    account_id: int
    reason: str
    note: str | None
    created_at: datetime
    resolved_at: datetime | None
    text: str
    author_name: str | None
    post_status: str

    @property
    def open(self) -> bool:
        return self.resolved_at is None


QUEUE = Queue(
    table="question_reports",
    columns="r.id, r.kind::text, coalesce(r.question_id, a.question_id) AS question_id, r.answer_id, r.account_id,"
            " r.reason::text, r.note, r.created_at, r.resolved_at, coalesce(q.body, a.body) AS text,"
            " author.display_name AS author_name, coalesce(q.status, a.status)::text AS post_status",
    entity=QuestionReport,
    joins="LEFT JOIN product_questions q ON q.id = r.question_id LEFT JOIN product_answers a ON a.id = r.answer_id"
          " LEFT JOIN accounts author ON author.id = coalesce(q.account_id, a.account_id)",
    live="coalesce(q.status, a.status) <> 'DELETED'")
_COMMON = dict(queue=QUEUE, events="question_moderation_events", own_code=ModerationErrorCode.CANNOT_REPORT_OWN_POST,
               counted="questions and answers")
QUESTION = Subject(
    noun="question", field="questionId", posts="product_questions", key="question_id", kind=PostKind.QUESTION.value,
    locate="SELECT account_id, status::text, status = 'PUBLISHED' AS visible FROM product_questions"
           " WHERE id = :id FOR {lock}",
    conflict=" WHERE question_id IS NOT NULL", **_COMMON)
# The join locks the question's row too: a report waits for an action on the question, so it
# sees whether the question is still in sight.
ANSWER = Subject(
    noun="answer", field="answerId", posts="product_answers", key="answer_id", kind=PostKind.ANSWER.value,
    locate="SELECT a.account_id, a.status::text, a.status = 'PUBLISHED' AND q.status = 'PUBLISHED' AS visible"
           " FROM product_answers a JOIN product_questions q ON q.id = a.question_id WHERE a.id = :id FOR {lock}",
    conflict=" WHERE answer_id IS NOT NULL", **_COMMON)


async def report(session: AsyncSession, principal: Principal, subject: Subject, post_id: int, reason: str,
                 note: str | None, *, per_day: int = DEFAULT_REPORTS_PER_DAY) -> QuestionReport:
    """Files the caller's report of a question (QUESTION) or an answer (ANSWER) of someone
    else's that they can see; at most `per_day` questions and answers an account in 24 hours."""
    return await service.report(session, principal, subject, post_id, reason, note, per_day=per_day)


async def hide(session: AsyncSession, principal: Principal, subject: Subject, post_id: int,
               reason: str) -> ModerationResult:
    """Administrators only: takes a question or an answer down, resolving its reports. A hidden
    question's answers go with it (out of sight through it); a hidden answer leaves its
    question's answers and `answer_count`."""
    return await service.act(session, principal, subject, post_id, reason, ModerationAction.HIDE)


async def restore(session: AsyncSession, principal: Principal, subject: Subject, post_id: int,
                  reason: str) -> ModerationResult:
    """Administrators only: publishes a hidden question or answer again."""
    return await service.act(session, principal, subject, post_id, reason, ModerationAction.RESTORE)


async def dismiss_reports(session: AsyncSession, principal: Principal, subject: Subject, post_id: int,
                          reason: str) -> ModerationResult:
    """Administrators only: closes a question's or an answer's open reports, leaving it as it is."""
    return await service.act(session, principal, subject, post_id, reason, ModerationAction.DISMISS_REPORTS)


async def reports(reader: Reader, principal: Principal, status: str | None, page: PageRequest) -> Page:
    """Administrators only: reports of questions and answers in one list, open ones oldest first
    (see `service.reports`)."""
    return await service.reports(reader, principal, QUEUE, status, page)


async def history(reader: Reader, principal: Principal, subject: Subject, post_id: int, page: PageRequest) -> Page:
    """Administrators only: a question's or an answer's audit trail, oldest first."""
    return await service.history(reader, principal, subject, post_id, page)
