"""Asking, answering, editing and deleting one's own product questions and answers.

Every use case runs in the caller's transaction and writes nothing when it refuses. Edits and
deletions act only on the caller's own posts: a seller or brand owner has no power over what
others wrote about their products (another account's post does not exist for an edit).

An answer's label is computed here, never taken from the client: SELLER when the caller answers
for a seller they are staff of that offers the product, BRAND when they own the product's
brand, else VERIFIED_BUYER when they have a delivered order of the product (for a book, of any
format of it), else CUSTOMER. Texts are plain text (`domain/shared/plain_text.py`)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.questions.errors import QuestionErrorCode
from domain.questions.statuses import AnswererKind
from domain.questions.tables import ANSWER_MAX, QUESTION_MAX
from domain.reviews import service as reviews
from domain.shared import plain_text
from domain.shared.config import get_settings
from domain.shared.daily_limit import lock_account, seconds_until_free
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal


@dataclass(frozen=True)
class QuestionLimits:
    daily_questions: int
    daily_answers: int

    @classmethod
    def from_settings(cls) -> QuestionLimits:
        settings = get_settings()
        return cls(settings.question_daily_limit, settings.answer_daily_limit)


def _text(value: str | None, limit: int) -> str:
    if value is None:
        raise DomainError("The text is required.", code=QuestionErrorCode.INVALID, field=["input", "text"])
    return plain_text.check_words(value, "text", limit, QuestionErrorCode)


async def _check_daily(session: AsyncSession, table: str, account_id: int, limit: int, noun: str) -> None:
    await lock_account(session, account_id)
    wait = await seconds_until_free(session, table, account_id, limit)
    if wait is not None:
        raise DomainError(f"At most {limit} {noun} per 24 hours: try again later.",
                          code=QuestionErrorCode.RATE_LIMITED, extensions={"retryAfterSeconds": wait})


async def ask_question(session: AsyncSession, principal: Principal, product_id: int, body: str | None,
                       limits: QuestionLimits | None = None) -> int:
    """Ask a question about a product on sale (not archived); published at once. Returns its id."""
    account_id = principal.require_signed_in()
    limits = limits or QuestionLimits.from_settings()
    body = _text(body, QUESTION_MAX)
    found = (await session.execute(text("SELECT 1 FROM products WHERE id = :p AND archived_at IS NULL"),
                                   {"p": product_id})).scalar()
    if found is None:
        raise NotFound("No such product.", code=QuestionErrorCode.NOT_FOUND, field=["input", "productId"])
    await _check_daily(session, "product_questions", account_id, limits.daily_questions, "questions")
    return (await session.execute(text(
        "INSERT INTO product_questions (product_id, account_id, body) VALUES (:p, :a, :b) RETURNING id"),
        {"p": product_id, "a": account_id, "b": body})).scalar_one()


async def _label(session: AsyncSession, principal: Principal, account_id: int, product, seller_id: int | None,
                 as_brand: bool) -> tuple[AnswererKind, int | None, int | None]:
    """(label, seller id, brand id) of the caller's answer about `product` (id, work id, brand id)."""
    if seller_id is not None and as_brand:
        raise DomainError("Answer either for a seller or as the brand, not both.", code=QuestionErrorCode.INVALID,
                          field=["input", "asBrand"])
    if seller_id is not None:
        offers = None
        if principal.is_staff_of(seller_id):
            offers = (await session.execute(text(
                "SELECT 1 FROM offers WHERE seller_id = :s AND product_id = :p AND archived_at IS NULL LIMIT 1"),
                {"s": seller_id, "p": product.id})).scalar()
        if offers is None:
            raise DomainError("You can answer for a seller only as its staff, and only about a product it offers.",
                              code=QuestionErrorCode.NOT_SELLER_OF_PRODUCT, field=["input", "sellerId"])
        return AnswererKind.SELLER, seller_id, None
    if as_brand:
        if product.brand_id is None or not principal.is_owner_of_brand(product.brand_id):
            raise DomainError("Only the registered owner of the product's brand can answer as the brand.",
                              code=QuestionErrorCode.NOT_BRAND_OWNER, field=["input", "asBrand"])
        return AnswererKind.BRAND, None, product.brand_id
    line = await reviews.verified_line(session, account_id, product.work_id, product.id)
    return (AnswererKind.CUSTOMER if line is None else AnswererKind.VERIFIED_BUYER), None, None


async def answer_question(session: AsyncSession, principal: Principal, question_id: int, body: str | None,
                          seller_id: int | None = None, as_brand: bool = False,
                          limits: QuestionLimits | None = None) -> int:
    """Answer a published question, once per account (one's own question included); the answer
    is labelled by who gives it (see the module). Returns its id."""
    account_id = principal.require_signed_in()
    limits = limits or QuestionLimits.from_settings()
    body = _text(body, ANSWER_MAX)
    product = (await session.execute(text(
        "SELECT p.id, p.work_id, p.brand_id FROM product_questions q JOIN products p ON p.id = q.product_id"
        " WHERE q.id = :q AND q.status = 'PUBLISHED'"), {"q": question_id})).first()
    if product is None:
        raise NotFound("No such question.", code=QuestionErrorCode.NOT_FOUND, field=["input", "questionId"])
    kind, seller_id, brand_id = await _label(session, principal, account_id, product, seller_id, as_brand)
    await lock_account(session, account_id)
    existing = (await session.execute(text(
        "SELECT id FROM product_answers WHERE question_id = :q AND account_id = :a AND status <> 'DELETED'"),
        {"q": question_id, "a": account_id})).scalar()
    if existing is not None:
        raise DomainError("You have answered this question: edit your answer instead.",
                          code=QuestionErrorCode.ALREADY_ANSWERED, field=["input", "questionId"],
                          extensions={"existingAnswerId": existing})
    await _check_daily(session, "product_answers", account_id, limits.daily_answers, "answers")
    return (await session.execute(text(
        "INSERT INTO product_answers (question_id, account_id, answerer, seller_id, brand_id, body)"
        " VALUES (:q, :a, :k, :s, :b, :t) RETURNING id"),
        {"q": question_id, "a": account_id, "k": kind.value, "s": seller_id, "b": brand_id, "t": body})).scalar_one()


async def _own(session: AsyncSession, principal: Principal, table: str, post_id: int, noun: str, field: str):
    """The caller's live post, locked; anyone else's does not exist for them."""
    account_id = principal.require_signed_in()
    row = (await session.execute(text(
        f"SELECT id, body FROM {table} WHERE id = :i AND account_id = :a AND status <> 'DELETED' FOR UPDATE"),
        {"i": post_id, "a": account_id})).first()
    if row is None:
        raise NotFound(f"No such {noun} of yours.", code=QuestionErrorCode.NOT_FOUND, field=["input", field])
    return row


async def _edit(session, principal, table, post_id, body, limit, noun, field) -> int:
    body = _text(body, limit)
    old = await _own(session, principal, table, post_id, noun, field)
    if old.body != body:
        await session.execute(text(f"UPDATE {table} SET body = :b, updated_at = now() WHERE id = :i"),
                              {"i": post_id, "b": body})
    return post_id


async def _delete(session, principal, table, post_id, noun, field) -> int:
    await _own(session, principal, table, post_id, noun, field)
    await session.execute(text(
        f"UPDATE {table} SET status = 'DELETED', deleted_at = now(), hidden_at = NULL, updated_at = now()"
        " WHERE id = :i"), {"i": post_id})
    return post_id


async def update_question(session: AsyncSession, principal: Principal, question_id: int, body: str | None) -> int:
    """Reword the caller's question. A hidden question stays hidden."""
    return await _edit(session, principal, "product_questions", question_id, body, QUESTION_MAX, "question",
                       "questionId")


async def delete_question(session: AsyncSession, principal: Principal, question_id: int) -> int:
    """Withdraw the caller's question: kept for moderators as DELETED, gone from the product page
    with its answers, which can no longer be added to."""
    return await _delete(session, principal, "product_questions", question_id, "question", "questionId")


async def update_answer(session: AsyncSession, principal: Principal, answer_id: int, body: str | None) -> int:
    """Reword the caller's answer (its label stays). A hidden answer stays hidden."""
    return await _edit(session, principal, "product_answers", answer_id, body, ANSWER_MAX, "answer", "answerId")


async def delete_answer(session: AsyncSession, principal: Principal, answer_id: int) -> int:
    """Withdraw the caller's answer: kept for moderators as DELETED, out of the question's count;
    the caller may answer the question again."""
    return await _delete(session, principal, "product_answers", answer_id, "answer", "answerId")
