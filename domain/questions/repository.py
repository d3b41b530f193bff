"""SQL of the question read side: pages of published questions for many products in one
statement (each with its top answer), top answers and pages of answers for many questions,
a customer's own questions and answers, and posts by id.

Authors' display names are public wherever their posts are: they are read in the same statement
as the posts (a join on accounts), so a page costs one statement."""
from __future__ import annotations

from collections.abc import Sequence

from domain.questions.entities import Answer, Question, QuestionListing
from domain.questions.statuses import QuestionSortKey
from domain.shared.db import Reader
from domain.shared.pagination import Page, PageRequest, page_from_rows

_QUESTION_ORDER = {
    QuestionSortKey.MOST_ANSWERED: "q.answer_count DESC, q.created_at DESC, q.id DESC",
    QuestionSortKey.NEWEST: "q.created_at DESC, q.id DESC",
}
_ANSWER_ORDER = "x.helpful_votes DESC, x.created_at DESC, x.id DESC"
_QUESTION = ("q.id, q.product_id, q.account_id, qa.display_name, q.body, q.status::text, q.answer_count,"
             " q.created_at, q.updated_at")
_ANSWER = ("x.id, x.question_id, x.account_id, xa.display_name, x.answerer::text, x.seller_id, x.brand_id, x.body,"
           " x.status::text, x.helpful_votes, x.created_at, x.updated_at")
_ANSWER_WIDTH = 12
# The most helpful published answer of the question `q`, with its author's name.
_TOP = (f"LEFT JOIN LATERAL (SELECT {_ANSWER} FROM product_answers x JOIN accounts xa ON xa.id = x.account_id"
        f" WHERE x.question_id = q.id AND x.status = 'PUBLISHED' ORDER BY {_ANSWER_ORDER} LIMIT 1) t ON true")


def _answer(values) -> Answer | None:
    return None if values[0] is None else Answer(*values)


async def published_pages(reader: Reader, product_ids: Sequence[int], listing: QuestionListing) -> dict[int, Page]:
    """One page of each product's published questions with each one's top answer, in one
    statement: per product an index scan in the list's order that stops after the page, then
    per question the first entry of its answers' index."""
    order = _QUESTION_ORDER[listing.sort_key]
    rows = await reader.fetch(
        f"SELECT {_QUESTION}, t.* FROM unnest($1::bigint[]) AS p(id) CROSS JOIN LATERAL ("
        f" SELECT q.* FROM product_questions q WHERE q.product_id = p.id AND q.status = 'PUBLISHED'"
        f" ORDER BY {order} OFFSET $2 LIMIT $3) q JOIN accounts qa ON qa.id = q.account_id {_TOP}"
        f" ORDER BY q.product_id, {order}", list(product_ids), listing.offset, listing.limit + 1)
    by_product: dict[int, list] = {p: [] for p in product_ids}
    for row in rows:
        values = tuple(row)
        by_product[row[1]].append(Question(*values[:9], top_answer=_answer(values[9:9 + _ANSWER_WIDTH])))
    request = PageRequest(listing.offset, listing.limit)
    return {p: page_from_rows(items, request) for p, items in by_product.items()}


async def count_published(reader: Reader, product_ids: Sequence[int]) -> dict[int, int]:
    rows = await reader.fetch(
        "SELECT product_id, count(*) FROM product_questions WHERE product_id = ANY($1::bigint[])"
        " AND status = 'PUBLISHED' GROUP BY product_id", list(product_ids))
    found = dict((r[0], r[1]) for r in rows)
    return {p: found.get(p, 0) for p in product_ids}


async def top_answers(reader: Reader, question_ids: Sequence[int]) -> dict[int, Answer | None]:
    """The most helpful published answer of each question, in one statement."""
    rows = await reader.fetch(
        f"SELECT q.id, t.* FROM unnest($1::bigint[]) AS q(id) {_TOP}", list(question_ids))
    return {r[0]: _answer(tuple(r)[1:]) for r in rows}


async def answer_pages(reader: Reader, question_ids: Sequence[int], page: PageRequest) -> dict[int, Page]:
    """One page of each question's published answers, most helpful first, in one statement."""
    rows = await reader.fetch(
        f"SELECT {_ANSWER} FROM unnest($1::bigint[]) AS q(id) CROSS JOIN LATERAL ("
        f" SELECT x.* FROM product_answers x WHERE x.question_id = q.id AND x.status = 'PUBLISHED'"
        f" ORDER BY {_ANSWER_ORDER} OFFSET $2 LIMIT $3) x JOIN accounts xa ON xa.id = x.account_id"
        f" ORDER BY x.question_id, {_ANSWER_ORDER}", list(question_ids), page.offset, page.limit + 1)
    by_question: dict[int, list] = {q: [] for q in question_ids}
    for row in rows:
        by_question[row[1]].append(Answer(*row))
    return {q: page_from_rows(items, page) for q, items in by_question.items()}


_AS_CUSTOMER = ("x.status = 'PUBLISHED' AND q.status = 'PUBLISHED'"
                " AND x.answerer IN ('CUSTOMER', 'VERIFIED_BUYER')")


async def published_answers_by_account(reader: Reader, account_ids: Sequence[int],
                                       page: PageRequest) -> dict[int, Page]:
    """One page of each customer's published answers to published questions, newest first, in
    one statement (what their public profile shows). Only answers given as a customer: one given
    for a seller or a brand speaks for them, and would tell who works for whom."""
    rows = await reader.fetch(
        f"SELECT {_ANSWER} FROM unnest($1::bigint[]) AS w(id) CROSS JOIN LATERAL ("
        " SELECT x.* FROM product_answers x JOIN product_questions q ON q.id = x.question_id"
        f" WHERE x.account_id = w.id AND {_AS_CUSTOMER}"
        " ORDER BY x.created_at DESC, x.id DESC OFFSET $2 LIMIT $3) x JOIN accounts xa ON xa.id = x.account_id"
        " ORDER BY x.account_id, x.created_at DESC, x.id DESC", list(account_ids), page.offset, page.limit + 1)
    by_account: dict[int, list] = {a: [] for a in account_ids}
    for row in rows:
        by_account[row[2]].append(Answer(*row))
    return {a: page_from_rows(items, page) for a, items in by_account.items()}


async def count_published_answers_by_account(reader: Reader, account_ids: Sequence[int]) -> dict[int, int]:
    rows = await reader.fetch(
        "SELECT x.account_id, count(*) FROM product_answers x JOIN product_questions q ON q.id = x.question_id"
        f" WHERE x.account_id = ANY($1::bigint[]) AND {_AS_CUSTOMER}"
        " GROUP BY x.account_id", list(account_ids))
    found = {r[0]: r[1] for r in rows}
    return {a: found.get(a, 0) for a in account_ids}


async def account_questions(reader: Reader, account_id: int, page: PageRequest) -> Page:
    """A customer's questions, newest first: published and hidden ones (deleted ones are gone)."""
    rows = await reader.fetch(
        f"SELECT {_QUESTION}, count(*) OVER () FROM product_questions q JOIN accounts qa ON qa.id = q.account_id"
        " WHERE q.account_id = $1 AND q.status <> 'DELETED' ORDER BY q.created_at DESC, q.id DESC OFFSET $2 LIMIT $3",
        account_id, page.offset, page.limit + 1)
    return _counted(rows, Question, page)


async def account_answers(reader: Reader, account_id: int, page: PageRequest) -> Page:
    """A customer's answers, newest first: published and hidden ones (deleted ones are gone)."""
    rows = await reader.fetch(
        f"SELECT {_ANSWER}, count(*) OVER () FROM product_answers x JOIN accounts xa ON xa.id = x.account_id"
        " WHERE x.account_id = $1 AND x.status <> 'DELETED' ORDER BY x.created_at DESC, x.id DESC OFFSET $2 LIMIT $3",
        account_id, page.offset, page.limit + 1)
    return _counted(rows, Answer, page)


def _counted(rows, entity, page: PageRequest) -> Page:
    total = rows[0][-1] if rows else (0 if page.offset == 0 else None)
    return page_from_rows([entity(*tuple(r)[:-1]) for r in rows], page, total)


async def count_account_posts(reader: Reader, account_id: int, *, answers: bool) -> int:
    """How many live questions (or answers) the customer has."""
    table = "product_answers" if answers else "product_questions"
    return (await reader.fetchrow(
        f"SELECT count(*) FROM {table} WHERE account_id = $1 AND status <> 'DELETED'", account_id))[0]


async def questions_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, Question]:
    rows = await reader.fetch(
        f"SELECT {_QUESTION} FROM product_questions q JOIN accounts qa ON qa.id = q.account_id"
        " WHERE q.id = ANY($1::bigint[]) AND q.status <> 'DELETED'", list(ids))
    return {r[0]: Question(*r) for r in rows}


async def answers_by_ids(reader: Reader, ids: Sequence[int]) -> dict[int, tuple[Answer, str]]:
    """Live answers by id, each with its question's status."""
    rows = await reader.fetch(
        f"SELECT {_ANSWER}, q.status::text FROM product_answers x JOIN accounts xa ON xa.id = x.account_id"
        " JOIN product_questions q ON q.id = x.question_id WHERE x.id = ANY($1::bigint[]) AND x.status <> 'DELETED'",
        list(ids))
    return {r[0]: (Answer(*tuple(r)[:-1]), r[-1]) for r in rows}
