"""Question and answer mutations: asking, answering (labelled by who answers), editing and
deleting one's own posts, and helpful votes on answers. Each runs one use case in one
transaction; a refusal writes nothing."""
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
from api.questions.types import Answer, Question
from domain.questions import errors as question_errors
from domain.questions import votes, writes
from domain.questions.tables import ANSWER_MAX, QUESTION_MAX

QuestionErrorCode = error_codes(question_errors.QuestionErrorCode, description="""Stable codes of question and answer `userErrors` (a refused mutation changes nothing):
INVALID (a blank text, or both `sellerId` and `asBrand`), NOT_FOUND (no such product or published question, or no such
question or answer of yours: another customer's post does not exist for an edit), TOO_LONG (a text over its limit),
HTML_NOT_ALLOWED (a text with an HTML tag: questions and answers are plain text), RATE_LIMITED (too many questions,
answers or votes in 24 hours: see `retryAfterSeconds`), ALREADY_VOTED, NOT_SELLER_OF_PRODUCT (you are not staff of that
seller, or it has no active offer of the product), NOT_BRAND_OWNER (you do not own the product's brand),
ALREADY_ANSWERED (you have answered this question: see `existingAnswerId`), OWN_ANSWER (a vote on your own answer).""")
_PLAIN = " Plain text, stored exactly as written and never rendered as HTML: text with an HTML tag is refused."


@strawberry.type(description="Why a question or answer mutation failed.")
class QuestionError(UserError):
    code: UserErrorCode = QuestionErrorCode.field()
    existing_answer_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="With ALREADY_ANSWERED: your answer to the question, to edit instead.")
    retry_after_seconds: Optional[int] = strawberry.field(
        default=None, description="With RATE_LIMITED: seconds until the account may do this again.")


@strawberry.input(description="A question about a product.")
class AskQuestionInput:
    product_id: strawberry.ID = strawberry.field(description="Global ID of the product (format) asked about.")
    text: str = strawberry.field(description=f"The question, 1-{QUESTION_MAX} characters.{_PLAIN}")


@strawberry.input(description="An answer to a product question. Who it is from is worked out from your account: give `sellerId` to answer for a seller, `asBrand` to answer as the brand's owner; otherwise you answer as a customer (a verified buyer when you have a delivered order of the product).")
class AnswerQuestionInput:
    question_id: strawberry.ID = strawberry.field(description="Global ID of a published question.")
    text: str = strawberry.field(description=f"The answer, 1-{ANSWER_MAX:,} characters.{_PLAIN}")
    seller_id: Optional[strawberry.ID] = strawberry.field(default=None, description="Answer for this seller (`Seller.id`): you must be its staff and it must have an active offer of the product (NOT_SELLER_OF_PRODUCT otherwise).")
    as_brand: bool = strawberry.field(default=False, description="Answer as the owner of the product's brand (NOT_BRAND_OWNER when you are not).")


@strawberry.input(description="New wording of your question.")
class UpdateQuestionInput:
    question_id: strawberry.ID = strawberry.field(description="Global ID of your question.")
    text: str = strawberry.field(description=f"The question, 1-{QUESTION_MAX} characters.{_PLAIN}")


@strawberry.input(description="A question of yours to withdraw.")
class DeleteQuestionInput:
    question_id: strawberry.ID = strawberry.field(description="Global ID of your question.")


@strawberry.input(description="New wording of your answer (who it is from stays).")
class UpdateAnswerInput:
    answer_id: strawberry.ID = strawberry.field(description="Global ID of your answer.")
    text: str = strawberry.field(description=f"The answer, 1-{ANSWER_MAX:,} characters.{_PLAIN}")


@strawberry.input(description="An answer of yours to withdraw.")
class DeleteAnswerInput:
    answer_id: strawberry.ID = strawberry.field(description="Global ID of your answer.")


@strawberry.input(description="An answer to vote helpful, or whose vote to remove.")
class AnswerVoteInput:
    answer_id: strawberry.ID = strawberry.field(description="Global ID of an answer (`Answer.id`).")


@strawberry.type(description="Result of `askQuestion` or `updateQuestion`.")
class QuestionPayload:
    question: Optional[Question] = strawberry.field(description="The question as it is now; null on failure.")
    user_errors: list[QuestionError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `answerQuestion`, `updateAnswer`, `voteAnswerHelpful` or `removeAnswerVote`.")
class AnswerPayload:
    answer: Optional[Answer] = strawberry.field(description="The answer as it is now; null on failure.")
    user_errors: list[QuestionError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `deleteQuestion` or `deleteAnswer`.")
class DeletePostPayload:
    deleted_id: Optional[strawberry.ID] = strawberry.field(description="The withdrawn question's or answer's ID; null on failure.")
    user_errors: list[QuestionError] = strawberry.field(description="Why it failed; nothing was changed.")


async def _run(info: Info, use_case):
    result, errors = await run(info, use_case, QuestionError, QuestionErrorCode)
    for error in errors:
        if error.existing_answer_id is not None:
            error.existing_answer_id = ids.encode("Answer", int(error.existing_answer_id))
    return result, errors


async def _question(info: Info, use_case) -> QuestionPayload:
    pk, errors = await _run(info, use_case)
    if pk is None:
        return QuestionPayload(question=None, user_errors=errors)
    return QuestionPayload(question=await info.context.loaders.question_by_id.load(pk), user_errors=[])


async def _answer(info: Info, use_case) -> AnswerPayload:
    pk, errors = await _run(info, use_case)
    if pk is None:
        return AnswerPayload(answer=None, user_errors=errors)
    return AnswerPayload(answer=await info.context.loaders.answer_by_id.load(pk), user_errors=[])


async def _deleted(info: Info, use_case, global_id: str) -> DeletePostPayload:
    pk, errors = await _run(info, use_case)
    return DeletePostPayload(deleted_id=None if pk is None else global_id, user_errors=errors)


def _limits(info: Info) -> writes.QuestionLimits:
    settings = info.context.settings
    return writes.QuestionLimits(settings.question_daily_limit, settings.answer_daily_limit)


@strawberry.type
class QuestionMutation:
    @strawberry.mutation(description="Ask a question about a product, published at once. At most TRIBUTARY_QUESTION_DAILY_LIMIT (default 20) questions per account per 24 hours. Requires sign-in.")
    async def ask_question(self, info: Info, input: Annotated[AskQuestionInput, MutationInput]) -> QuestionPayload:
        product_id = ids.decode_as(input.product_id, "Product", "input.productId")
        limits = _limits(info)
        return await _question(info, lambda s, viewer: writes.ask_question(s, viewer, product_id, input.text, limits))

    @strawberry.mutation(description="Answer a published question (your own included), once per question (ALREADY_ANSWERED). The answer is labelled from your account: SELLER with `sellerId` (staff of a seller offering the product), BRAND with `asBrand` (the brand's owner), else VERIFIED_BUYER or CUSTOMER. At most TRIBUTARY_ANSWER_DAILY_LIMIT (default 50) answers per account per 24 hours. Requires sign-in.")
    async def answer_question(self, info: Info, input: Annotated[AnswerQuestionInput, MutationInput]) -> AnswerPayload:
        question_id = ids.decode_as(input.question_id, "Question", "input.questionId")
        seller_id = None if input.seller_id is None else ids.decode_as(input.seller_id, "Seller", "input.sellerId")
        limits = _limits(info)
        return await _answer(info, lambda s, viewer: writes.answer_question(
            s, viewer, question_id, input.text, seller_id, input.as_brand, limits))

    @strawberry.mutation(description="Reword your question. Only its author can: another customer's question is NOT_FOUND, whoever asks (sellers and brand owners included). Requires sign-in.")
    async def update_question(self, info: Info, input: Annotated[UpdateQuestionInput, MutationInput]) -> QuestionPayload:
        question_id = ids.decode_as(input.question_id, "Question", "input.questionId")
        return await _question(info, lambda s, viewer: writes.update_question(s, viewer, question_id, input.text))

    @strawberry.mutation(description="Withdraw your question: it leaves the product page, with its answers. Only its author can (NOT_FOUND for anyone else). Requires sign-in.")
    async def delete_question(self, info: Info, input: Annotated[DeleteQuestionInput, MutationInput]) -> DeletePostPayload:
        question_id = ids.decode_as(input.question_id, "Question", "input.questionId")
        return await _deleted(info, lambda s, viewer: writes.delete_question(s, viewer, question_id), input.question_id)

    @strawberry.mutation(description="Reword your answer; who it is from stays. Only its author can (NOT_FOUND for anyone else). Requires sign-in.")
    async def update_answer(self, info: Info, input: Annotated[UpdateAnswerInput, MutationInput]) -> AnswerPayload:
        answer_id = ids.decode_as(input.answer_id, "Answer", "input.answerId")
        return await _answer(info, lambda s, viewer: writes.update_answer(s, viewer, answer_id, input.text))

    @strawberry.mutation(description="Withdraw your answer: it leaves the question and its count, and you may answer again. Only its author can (NOT_FOUND for anyone else). Requires sign-in.")
    async def delete_answer(self, info: Info, input: Annotated[DeleteAnswerInput, MutationInput]) -> DeletePostPayload:
        answer_id = ids.decode_as(input.answer_id, "Answer", "input.answerId")
        return await _deleted(info, lambda s, viewer: writes.delete_answer(s, viewer, answer_id), input.answer_id)

    @strawberry.mutation(description="Say another customer's published answer was helpful: one vote per customer per answer (ALREADY_VOTED), never on your own (OWN_ANSWER), at most TRIBUTARY_ANSWER_VOTE_DAILY_LIMIT (default 200) per 24 hours. Requires sign-in.")
    async def vote_answer_helpful(self, info: Info, input: Annotated[AnswerVoteInput, MutationInput]) -> AnswerPayload:
        answer_id = ids.decode_as(input.answer_id, "Answer", "input.answerId")
        limit = info.context.settings.answer_vote_daily_limit
        return await _answer(info, lambda s, viewer: votes.vote_helpful(s, viewer, answer_id, limit))

    @strawberry.mutation(description="Take back your helpful vote on an answer (without one, nothing changes). Requires sign-in.")
    async def remove_answer_vote(self, info: Info, input: Annotated[AnswerVoteInput, MutationInput]) -> AnswerPayload:
        answer_id = ids.decode_as(input.answer_id, "Answer", "input.answerId")
        return await _answer(info, lambda s, viewer: votes.remove_vote(s, viewer, answer_id))
