"""Question and answer reports and moderation: `reportQuestion` and `reportAnswer` for signed-in
customers; the report queue, the audit trails, `hideQuestion`, `restoreQuestion`,
`dismissQuestionReports`, `hideAnswer`, `restoreAnswer` and `dismissAnswerReports` for
administrators (anyone else gets a top-level FORBIDDEN or UNAUTHENTICATED error). The inputs,
payloads and error codes are the review moderation's; a report carries its post by id and as an object."""
import datetime
from typing import Annotated

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
from api.questions.enums import PostStatus as QuestionPostStatus
from api.questions.enums import QuestionReportKind
from api.questions.types import Answer, Question
from domain.moderation.entities import ModerationEvent
from domain.moderation.subject import Subject
from domain.questions import moderation
from domain.shared.pagination import Page


@strawberry.type(description="A customer's report that a question or an answer breaks the rules. Administrators see every report; the reporter sees the one they just filed.")
class QuestionReport:
    kind: QuestionReportKind = strawberry.field(description="Whether a question or an answer was reported.")
    question_id: strawberry.ID = strawberry.field(description="`Question.id` of the question reported, or of the question the reported answer answers.")
    answer_id: strawberry.ID | None = strawberry.field(description="`Answer.id` of the answer reported; null for a question's report.")
    text: str = strawberry.field(description="The reported post's text as it now reads (plain text).")
    author_name: str | None = strawberry.field(description="The display name of the post's author; null if their account was since deleted.")
    post_status: QuestionPostStatus = strawberry.field(description="The reported post's status now.")
    reason: ReviewReportReason = strawberry.field(description="Why the post was reported.")
    note: str | None = strawberry.field(description="What the reporter added, plain text (at most 500 characters).")
    created_at: datetime.datetime = strawberry.field(description="When it was reported (UTC).")
    resolved_at: datetime.datetime | None = strawberry.field(description="When an administrator acted on the post (UTC); null while open.")
    question_pk: strawberry.Private[int]
    answer_pk: strawberry.Private[int | None]

    @strawberry.field(description="The question reported, or the one the reported answer answers (hidden ones included: administrators see them).")
    async def question(self, info: Info) -> Question | None:
        return await info.context.loaders.question_by_id.load(self.question_pk)

    @strawberry.field(description="The answer reported; null for a question's report.")
    async def answer(self, info: Info) -> Answer | None:
        return None if self.answer_pk is None else await info.context.loaders.answer_by_id.load(self.answer_pk)


def _report(report: moderation.QuestionReport) -> QuestionReport:
    return QuestionReport(
        kind=QuestionReportKind(report.kind), question_id=strawberry.ID(ids.encode("Question", report.question_id)),
        answer_id=strawberry.ID(ids.encode("Answer", report.answer_id)) if report.answer_id else None,
        text=report.text, author_name=report.author_name, post_status=QuestionPostStatus(report.post_status),
        reason=ReviewReportReason(report.reason), note=report.note, created_at=report.created_at,
        resolved_at=report.resolved_at, question_pk=report.question_id, answer_pk=report.answer_id)


@strawberry.type(description="One entry of a question's or an answer's audit trail: what an administrator did, when and why.")
class QuestionModerationEvent(ReviewModerationEvent):
    pass


def _event(event: ModerationEvent) -> QuestionModerationEvent:
    return moderation_event(QuestionModerationEvent, event)


def _history_page(page: Page) -> Connection[QuestionModerationEvent]:
    return connection(Page([_event(e) for e in page.items], page.offset, page.has_next, page.total))


@strawberry.type
class QuestionModerationQuery:
    @strawberry.field(description="Reports of product questions and answers in one list, each with its post's text, author and status. Administrators only. Page size 1-100 (default 20).")
    async def question_reports(self, info: Info, status: ReportStatusArg = None, first: First = None,
                               after: After = None) -> Connection[QuestionReport]:
        page = await moderation.reports(info.context.reader, await info.context.viewer(),
                                        status.value if status else None, page_request(first, after))
        return connection(Page([_report(r) for r in page.items], page.offset, page.has_next, page.total))

    @strawberry.field(description="A question's audit trail, oldest first. Administrators only. Page size 1-100 (default 20).")
    async def question_moderation_history(self, info: Info, question_id: NodeId, first: First = None,
                                          after: After = None) -> Connection[QuestionModerationEvent]:
        pk = ids.decode_as(question_id, "Question", "questionId")
        return _history_page(await moderation.history(info.context.reader, await info.context.viewer(),
                                                      moderation.QUESTION, pk, page_request(first, after)))

    @strawberry.field(description="An answer's audit trail, oldest first. Administrators only. Page size 1-100 (default 20).")
    async def answer_moderation_history(self, info: Info, answer_id: NodeId, first: First = None,
                                        after: After = None) -> Connection[QuestionModerationEvent]:
        pk = ids.decode_as(answer_id, "Answer", "answerId")
        return _history_page(await moderation.history(info.context.reader, await info.context.viewer(),
                                                      moderation.ANSWER, pk, page_request(first, after)))


@strawberry.input(description="A question to report.")
class ReportQuestionInput:
    question_id: strawberry.ID = strawberry.field(description="`Question.id` of a published question of someone else's.")
    reason: ReviewReportReason = strawberry.field(description="Why it breaks the rules.")
    note: str | None = strawberry.field(default=None, description="Anything to add, plain text, at most 500 characters.")


@strawberry.input(description="An answer to report.")
class ReportAnswerInput:
    answer_id: strawberry.ID = strawberry.field(description="`Answer.id` of a published answer of someone else's, to a published question.")
    reason: ReviewReportReason = strawberry.field(description="Why it breaks the rules.")
    note: str | None = strawberry.field(default=None, description="Anything to add, plain text, at most 500 characters.")


@strawberry.type(description="Result of `reportQuestion` or `reportAnswer`.")
class ReportQuestionPayload:
    report: QuestionReport | None = strawberry.field(description="The report filed; null on failure.")
    user_errors: list[ModerationError] = strawberry.field(description="Why it failed; nothing was written.")


@strawberry.input(description="A question to act on, and why.")
class ModerateQuestionInput:
    question_id: strawberry.ID = strawberry.field(description="`Question.id` of the question.")
    reason: str = strawberry.field(description="Why, 1-1000 characters of plain text; kept in the question's audit trail.")


@strawberry.input(description="An answer to act on, and why.")
class ModerateAnswerInput:
    answer_id: strawberry.ID = strawberry.field(description="`Answer.id` of the answer.")
    reason: str = strawberry.field(description="Why, 1-1000 characters of plain text; kept in the answer's audit trail.")


@strawberry.type(description="Result of `hideQuestion`, `restoreQuestion` or `dismissQuestionReports`.")
class ModerateQuestionPayload:
    question_id: strawberry.ID | None = strawberry.field(description="`Question.id` of the question acted on; null on failure.")
    status: QuestionPostStatus | None = strawberry.field(description="The question's status now; null on failure.")
    resolved_report_count: int = strawberry.field(description="Open reports of the question the action resolved.")
    event: QuestionModerationEvent | None = strawberry.field(description="The audit trail entry written; null on failure.")
    user_errors: list[ModerationError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `hideAnswer`, `restoreAnswer` or `dismissAnswerReports`.")
class ModerateAnswerPayload:
    answer_id: strawberry.ID | None = strawberry.field(description="`Answer.id` of the answer acted on; null on failure.")
    status: QuestionPostStatus | None = strawberry.field(description="The answer's status now; null on failure.")
    resolved_report_count: int = strawberry.field(description="Open reports of the answer the action resolved.")
    event: QuestionModerationEvent | None = strawberry.field(description="The audit trail entry written; null on failure.")
    user_errors: list[ModerationError] = strawberry.field(description="Why it failed; nothing was changed.")


async def _report_post(info: Info, subject: Subject, global_id: str, input) -> ReportQuestionPayload:
    type_name = "Question" if subject is moderation.QUESTION else "Answer"
    pk = ids.decode_as(global_id, type_name, f"input.{subject.field}")
    per_day = info.context.settings.question_reports_per_day
    report, errors = await run(info, lambda s, viewer: moderation.report(
        s, viewer, subject, pk, input.reason.value, input.note, per_day=per_day), ModerationError, ModerationErrorCode)
    return ReportQuestionPayload(report=_report(report) if report else None, user_errors=errors)


async def _moderate(info: Info, subject: Subject, global_id: str, reason: str, use_case):
    type_name, payload = (("Question", ModerateQuestionPayload) if subject is moderation.QUESTION
                          else ("Answer", ModerateAnswerPayload))
    pk = ids.decode_as(global_id, type_name, f"input.{subject.field}")
    result, errors = await run(info, lambda s, viewer: use_case(s, viewer, subject, pk, reason),
                               ModerationError, ModerationErrorCode)
    key = "question_id" if subject is moderation.QUESTION else "answer_id"
    if result is None:
        return payload(**{key: None}, status=None, resolved_report_count=0, event=None, user_errors=errors)
    return payload(**{key: strawberry.ID(ids.encode(type_name, pk))}, status=QuestionPostStatus(result.status),
                   resolved_report_count=result.resolved_reports, event=_event(result.event), user_errors=[])


QuestionInput = Annotated[ModerateQuestionInput, MutationInput]
AnswerInput = Annotated[ModerateAnswerInput, MutationInput]


@strawberry.type
class QuestionModerationMutation:
    @strawberry.mutation(description="Report a published question of someone else's that breaks the rules, once per question. Signed-in customers; at most `TRIBUTARY_QUESTION_REPORTS_PER_DAY` question and answer reports (counted together) per account in 24 hours.")
    async def report_question(self, info: Info, input: Annotated[ReportQuestionInput, MutationInput]) -> ReportQuestionPayload:
        return await _report_post(info, moderation.QUESTION, input.question_id, input)

    @strawberry.mutation(description="Report a published answer of someone else's (to a published question) that breaks the rules, once per answer. Signed-in customers; at most `TRIBUTARY_QUESTION_REPORTS_PER_DAY` question and answer reports (counted together) per account in 24 hours.")
    async def report_answer(self, info: Info, input: Annotated[ReportAnswerInput, MutationInput]) -> ReportQuestionPayload:
        return await _report_post(info, moderation.ANSWER, input.answer_id, input)

    @strawberry.mutation(description="Take a question down: it is seen only by its author and administrators, and its answers are out of sight through it; its open reports are resolved. Administrators only (never sellers or brand owners).")
    async def hide_question(self, info: Info, input: QuestionInput) -> ModerateQuestionPayload:
        return await _moderate(info, moderation.QUESTION, input.question_id, input.reason, moderation.hide)

    @strawberry.mutation(description="Publish a hidden question again, with its published answers. Administrators only.")
    async def restore_question(self, info: Info, input: QuestionInput) -> ModerateQuestionPayload:
        return await _moderate(info, moderation.QUESTION, input.question_id, input.reason, moderation.restore)

    @strawberry.mutation(description="Close a question's open reports and leave the question as it is. Administrators only.")
    async def dismiss_question_reports(self, info: Info, input: QuestionInput) -> ModerateQuestionPayload:
        return await _moderate(info, moderation.QUESTION, input.question_id, input.reason, moderation.dismiss_reports)

    @strawberry.mutation(description="Take an answer down: it leaves its question's answers and `answerCount` and is seen only by its author and administrators; its open reports are resolved. Administrators only (never sellers or brand owners).")
    async def hide_answer(self, info: Info, input: AnswerInput) -> ModerateAnswerPayload:
        return await _moderate(info, moderation.ANSWER, input.answer_id, input.reason, moderation.hide)

    @strawberry.mutation(description="Publish a hidden answer again: it is back among its question's answers and in `answerCount`. Administrators only.")
    async def restore_answer(self, info: Info, input: AnswerInput) -> ModerateAnswerPayload:
        return await _moderate(info, moderation.ANSWER, input.answer_id, input.reason, moderation.restore)

    @strawberry.mutation(description="Close an answer's open reports and leave the answer as it is. Administrators only.")
    async def dismiss_answer_reports(self, info: Info, input: AnswerInput) -> ModerateAnswerPayload:
        return await _moderate(info, moderation.ANSWER, input.answer_id, input.reason, moderation.dismiss_reports)
