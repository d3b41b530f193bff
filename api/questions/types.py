"""The `Question` and `Answer` types, and the question lists of products and customers."""
from __future__ import annotations

import datetime
import functools
from typing import TYPE_CHECKING, Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core.arguments import After, First
from api.core.node import Node, node_id
from api.core.pagination import Connection, connection, page_request
from api.questions.enums import AnswererKind, PostStatus, QuestionSortKey
from domain.questions import entities
from domain.questions import service as questions

if TYPE_CHECKING:
    from api.catalogue.types import Brand, Product
    from api.marketplace.types import Seller

_HIDDEN = "PUBLISHED, or HIDDEN by a moderator (seen only by its author and administrators)."


@strawberry.type(description="An answer to a product question, labelled with who it is from. Public while it and its question are PUBLISHED; a hidden one is seen only by its author and administrators.")
class Answer(Node):
    id: strawberry.ID = node_id("Answer")
    body: str = strawberry.field(name="text", description="The answer, plain text (1-2,000 characters).")
    author_name: str = strawberry.field(description="The answerer's display name (never their e-mail).")
    helpful_votes: int = strawberry.field(description="How many other customers found the answer helpful.")
    created_at: datetime.datetime = strawberry.field(description="When the answer was written (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When its author last edited it (UTC); equal to createdAt when never edited.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Answer)

    @strawberry.field(description="Who the answer is from: a customer, a verified buyer, a seller of the product or its brand.")
    def answered_by(self) -> AnswererKind:
        return AnswererKind(self.answerer)

    @strawberry.field(description=_HIDDEN)
    def status(self) -> PostStatus:
        return PostStatus(self.status)

    @strawberry.field(description="With SELLER: the seller the answer speaks for; null otherwise.")
    async def seller(self, info: Info) -> Optional[Annotated["Seller", strawberry.lazy("api.marketplace.types")]]:
        if self.seller_id is None:
            return None
        return await info.context.loaders.seller_by_id.load(self.seller_id)

    @strawberry.field(description="With BRAND: the brand the answer speaks for; null otherwise.")
    async def brand(self, info: Info) -> Optional[Annotated["Brand", strawberry.lazy("api.catalogue.types")]]:
        if self.brand_id is None:
            return None
        return await info.context.loaders.brand_by_id.load(self.brand_id)

    @strawberry.field(description="The question answered; null when it is no longer visible to you.")
    async def question(self, info: Info) -> Optional[Question]:
        return await info.context.loaders.question_by_id.load(self.question_id)


@strawberry.type(description="A customer's question about a product (each format has its own), published as written, with its answers. Public while PUBLISHED; a hidden one is seen only by its author and administrators.")
class Question(Node):
    id: strawberry.ID = node_id("Question")
    body: str = strawberry.field(name="text", description="The question, plain text (1-500 characters).")
    author_name: str = strawberry.field(description="The asker's display name (never their e-mail).")
    answer_count: int = strawberry.field(description="Its published answers.")
    created_at: datetime.datetime = strawberry.field(description="When the question was asked (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When its author last edited it (UTC); equal to createdAt when never edited.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.Question)

    @strawberry.field(description=_HIDDEN)
    def status(self) -> PostStatus:
        return PostStatus(self.status)

    @strawberry.field(description="The product asked about.")
    async def product(self, info: Info) -> Optional[Annotated["Product", strawberry.lazy("api.catalogue.types")]]:
        return await info.context.loaders.product_by_id.load(self.product_id)

    @strawberry.field(description="The most helpful published answer (then the newest); null before the first. Read with the product's page of questions, so it costs no statement of its own there.")
    async def top_answer(self, info: Info) -> Optional[Answer]:
        if self.top_answer is not entities.NOT_LOADED:
            return self.top_answer
        return await info.context.loaders.top_answer_by_question_id.load(self.id)

    @strawberry.field(description="Published answers, most helpful first, then newest. Public. Page size 1-100 (default 20).")
    async def answers(self, info: Info, first: First = None, after: After = None) -> Connection[Answer]:
        request = page_request(first, after)
        page = await info.context.loaders.answers_by_question_id.load((self.id, request))
        count = self.answer_count

        async def total() -> int:
            return count

        return connection(page, total)


QuestionSortArg = Annotated[QuestionSortKey, strawberry.argument(description="Order of the list.")]


@functools.lru_cache(maxsize=256)
def product_questions_listing(sort_key, first, after) -> entities.QuestionListing:
    """What a product's `questions` field asks `questions_by_product_id` for, with the product's id:
    made once per page asked for, the same object on every request of a product page."""
    request = page_request(first, after)
    return entities.QuestionListing(questions.QuestionSortKey(sort_key.value), request.offset, request.limit)


async def product_questions(info: Info, product_id: int, sort_key, first, after) -> Connection[Question]:
    listing = product_questions_listing(sort_key, first, after)
    page = await info.context.loaders.questions_by_product_id.load((product_id, listing))
    return connection(page, lambda: info.context.loaders.question_count_by_product_id.load(product_id))


async def customer_questions(info: Info, account_id: int, first, after) -> Connection[Question]:
    reader, principal = info.context.reader, await info.context.viewer()
    return connection(await questions.customer_questions(reader, principal, account_id, page_request(first, after)),
                      lambda: questions.count_customer_posts(reader, principal, account_id, answers=False))


async def customer_answers(info: Info, account_id: int, first, after) -> Connection[Answer]:
    reader, principal = info.context.reader, await info.context.viewer()
    return connection(await questions.customer_answers(reader, principal, account_id, page_request(first, after)),
                      lambda: questions.count_customer_posts(reader, principal, account_id, answers=True))
