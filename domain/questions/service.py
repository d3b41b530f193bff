"""Question and answer use cases, as the API calls them.

Reads: published questions and answers are public (anyone, signed in or not), an answer only
while its question is published too; a hidden post is seen by its author and administrators
only; deleted posts by nobody. A customer's own lists (published and hidden posts) are theirs
and an administrator's only."""
from __future__ import annotations

from collections.abc import Sequence

from domain.questions import repository
from domain.questions.entities import NOT_LOADED, Answer, Question, QuestionListing  # noqa: F401
from domain.questions.statuses import QuestionSortKey  # noqa: F401
from domain.shared.db import Reader
from domain.shared.errors import Forbidden, Unauthenticated
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

published_pages = repository.published_pages
count_published = repository.count_published
top_answers = repository.top_answers
answer_pages = repository.answer_pages
# A customer's published answers (their public profile's; whether it shows them is the profile's rule).
published_answers_by_account = repository.published_answers_by_account
count_published_answers_by_account = repository.count_published_answers_by_account


def _check_owner(principal: Principal, account_id: int) -> None:
    if principal.account_id is None:
        raise Unauthenticated("Sign in to see your questions and answers.")
    if principal.account_id != account_id and not principal.is_admin:
        raise Forbidden("Only the author and administrators see a customer's questions and answers.")


def _visible(principal: Principal, status: str, account_id: int) -> bool:
    return status == "PUBLISHED" or principal.is_admin or account_id == principal.account_id


async def customer_questions(reader: Reader, principal: Principal, account_id: int, page: PageRequest) -> Page:
    """A customer's questions, newest first (hidden ones included): for them and administrators."""
    _check_owner(principal, account_id)
    return await repository.account_questions(reader, account_id, page)


async def customer_answers(reader: Reader, principal: Principal, account_id: int, page: PageRequest) -> Page:
    """A customer's answers, newest first (hidden ones included): for them and administrators."""
    _check_owner(principal, account_id)
    return await repository.account_answers(reader, account_id, page)


async def count_customer_posts(reader: Reader, principal: Principal, account_id: int, answers: bool) -> int:
    _check_owner(principal, account_id)
    return await repository.count_account_posts(reader, account_id, answers=answers)


async def questions_by_ids(reader: Reader, principal: Principal, ids: Sequence[int]) -> dict[int, Question]:
    """Questions by id: published ones for anyone, a hidden one for its author and
    administrators only, deleted ones for nobody."""
    found = await repository.questions_by_ids(reader, ids)
    return {pk: q for pk, q in found.items() if _visible(principal, q.status, q.account_id)}


async def answers_by_ids(reader: Reader, principal: Principal, ids: Sequence[int]) -> dict[int, Answer]:
    """Answers by id: published answers to published questions for anyone; otherwise for the
    answer's author and administrators only; deleted ones for nobody."""
    found = await repository.answers_by_ids(reader, ids)
    return {pk: a for pk, (a, question_status) in found.items()
            if (a.status == "PUBLISHED" and question_status == "PUBLISHED") or principal.is_admin
            or a.account_id == principal.account_id}
