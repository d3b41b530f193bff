"""Product questions and their answers (threaded one level), helpful votes on answers, and the
reports and moderation trail of both.

A question is about one product (a Kindle edition's question is not the hardcover's). Each
question keeps `answer_count`, its published answers, and each answer `helpful_votes`, in the
same transaction as the write that changes them (answer_count by a trigger on answers, see
migration 7d2a6c1e8b47; votes by `domain/questions/votes.py`), so the
product page sorts and counts without counting rows."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.questions.statuses import AnswererKind, PostKind, PostStatus
from domain.reviews.tables import moderation_action, report_reason
from domain.shared.db import Base

post_status = ENUM(*PostStatus, name="question_post_status")
answerer_kind = ENUM(*AnswererKind, name="answerer_kind")
post_kind = ENUM(*PostKind, name="question_post_kind")

QUESTION_MAX = 500
ANSWER_MAX = 2_000
_PLAIN = "{0} !~ '<[A-Za-z/!?]' AND length(btrim({0})) >= 1 AND length({0}) <= {1}"
_STATUS_TIMES = (
    ("(status = 'HIDDEN') = (hidden_at IS NOT NULL)", "hidden_has_time"),
    ("(status = 'DELETED') = (deleted_at IS NOT NULL)", "deleted_has_time"),
)


class ProductQuestion(Base):
    """A customer's question about a product, published at once as written."""

    __tablename__ = "product_questions"
    __table_args__ = (
        CheckConstraint(_PLAIN.format("body", QUESTION_MAX), name="body_plain_text"),
        CheckConstraint("answer_count >= 0", name="answer_count_not_negative"),
        *(CheckConstraint(sql, name=name) for sql, name in _STATUS_TIMES),
        # The product page: most answered first, then newest.
        Index("ix_product_questions_product", "product_id", text("answer_count DESC"), text("created_at DESC"),
              text("id DESC"), postgresql_where=text("status = 'PUBLISHED'")),
        Index("ix_product_questions_account_id", "account_id", text("created_at DESC"), text("id DESC")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(post_status, server_default="PUBLISHED")
    # Published answers.
    answer_count: Mapped[int] = mapped_column(Integer, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProductAnswer(Base):
    """An answer to a question, labelled with who it is from: a customer, a verified buyer, a
    seller that offers the product (`seller_id`) or the brand's owner (`brand_id`)."""

    __tablename__ = "product_answers"
    __table_args__ = (
        CheckConstraint(_PLAIN.format("body", ANSWER_MAX), name="body_plain_text"),
        CheckConstraint("helpful_votes >= 0", name="helpful_votes_not_negative"),
        CheckConstraint("(answerer = 'SELLER') = (seller_id IS NOT NULL)", name="seller_answer_names_seller"),
        CheckConstraint("(answerer = 'BRAND') = (brand_id IS NOT NULL)", name="brand_answer_names_brand"),
        *(CheckConstraint(sql, name=name) for sql, name in _STATUS_TIMES),
        # One live answer per account per question (edit it instead).
        Index("uq_product_answers_question_id_account_id", "question_id", "account_id", unique=True,
              postgresql_where=text("status <> 'DELETED'")),
        # A question's answers, most helpful first.
        Index("ix_product_answers_question_helpful", "question_id", text("helpful_votes DESC"),
              text("created_at DESC"), text("id DESC"), postgresql_where=text("status = 'PUBLISHED'")),
        Index("ix_product_answers_account_id", "account_id", text("created_at DESC"), text("id DESC")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("product_questions.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    answerer: Mapped[str] = mapped_column(answerer_kind)
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("sellers.id", ondelete="SET NULL"))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(post_status, server_default="PUBLISHED")
    helpful_votes: Mapped[int] = mapped_column(Integer, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AnswerVote(Base):
    """One customer found one answer helpful (one vote each; undone by deleting the row)."""

    __tablename__ = "answer_votes"
    __table_args__ = (Index("ix_answer_votes_account_id", "account_id", "created_at"),)

    answer_id: Mapped[int] = mapped_column(ForeignKey("product_answers.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class QuestionReport(Base):
    """A customer's report that a question or an answer breaks the rules; open until a moderator
    acts on the post. Exactly one of `question_id` and `answer_id` is set (by `kind`)."""

    __tablename__ = "question_reports"
    __table_args__ = (
        CheckConstraint("note IS NULL OR length(note) <= 1000", name="note_length"),
        CheckConstraint("(kind = 'QUESTION') = (question_id IS NOT NULL AND answer_id IS NULL)"
                        " AND (kind = 'ANSWER') = (answer_id IS NOT NULL AND question_id IS NULL)",
                        name="one_post"),
        Index("uq_question_reports_question", "question_id", "account_id", unique=True,
              postgresql_where=text("question_id IS NOT NULL")),
        Index("uq_question_reports_answer", "answer_id", "account_id", unique=True,
              postgresql_where=text("answer_id IS NOT NULL")),
        Index("ix_question_reports_open", "created_at", "id", postgresql_where=text("resolved_at IS NULL")),
        Index("ix_question_reports_account_id", "account_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(post_kind)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("product_questions.id", ondelete="CASCADE"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("product_answers.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(report_reason)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class QuestionModerationEvent(Base):
    """One moderation action on a question or an answer, with who took it and why; never changed."""

    __tablename__ = "question_moderation_events"
    __table_args__ = (
        CheckConstraint("length(reason) BETWEEN 1 AND 1000", name="reason_length"),
        CheckConstraint("(kind = 'QUESTION') = (question_id IS NOT NULL AND answer_id IS NULL)"
                        " AND (kind = 'ANSWER') = (answer_id IS NOT NULL AND question_id IS NULL)",
                        name="one_post"),
        Index("ix_question_moderation_events_question_id", "question_id", "id",
              postgresql_where=text("question_id IS NOT NULL")),
        Index("ix_question_moderation_events_answer_id", "answer_id", "id",
              postgresql_where=text("answer_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(post_kind)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("product_questions.id", ondelete="CASCADE"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("product_answers.id", ondelete="CASCADE"))
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(moderation_action)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
