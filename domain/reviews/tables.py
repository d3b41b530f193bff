"""Review tables: reviews (one per customer per work, the formats of a book sharing them), the
versions an edit replaced, the rating summary per work, helpful votes, abuse reports and the
moderation audit trail.

The summary is kept by statement-level triggers on `reviews` (migration 7c4d2e9a5b13): every
statement that inserts, edits, hides or deletes reviews adds its net change per work to
`review_summaries` (`UPDATE ... SET n = n + delta` on the locked rows), in the same
transaction, and copies the new average and count to the work's products and their search
documents. See `domain/reviews/summary.py` for why a trigger."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.moderation.statuses import ModerationAction, ReportReason
from domain.reviews.statuses import ReviewStatus
from domain.shared.db import Base

review_status = ENUM(*ReviewStatus, name="review_status")
report_reason = ENUM(*ReportReason, name="review_report_reason")
moderation_action = ENUM(*ModerationAction, name="review_moderation_action")

TITLE_MAX = 200
TEXT_MAX = 10_000
_PLAIN = "{0} IS NULL OR ({0} !~ '<[A-Za-z/!?]' AND length(btrim({0})) >= 1 AND length({0}) <= {1})"


class Review(Base):
    """A customer's stars (1-5) and optional words on a work, naming the format they bought.
    Published as written; the author may edit (the replaced text goes to `review_versions`) or
    delete it, a moderator may hide it. Only PUBLISHED reviews count in the summary."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
        CheckConstraint(_PLAIN.format("title", TITLE_MAX), name="title_plain_text"),
        CheckConstraint(_PLAIN.format("body", TEXT_MAX), name="body_plain_text"),
        CheckConstraint("helpful_votes >= 0", name="helpful_votes_not_negative"),
        CheckConstraint("(status = 'HIDDEN') = (hidden_at IS NOT NULL)", name="hidden_has_time"),
        CheckConstraint("(status = 'DELETED') = (deleted_at IS NOT NULL)", name="deleted_has_time"),
        # One live review per customer per work; a deleted one makes room for a new one.
        Index("uq_reviews_work_id_account_id", "work_id", "account_id", unique=True,
              postgresql_where=text("status <> 'DELETED'")),
        # The orders a product page lists published reviews in.
        Index("ix_reviews_work_helpful", "work_id", text("helpful_votes DESC"), text("created_at DESC"),
              text("id DESC"), postgresql_where=text("status = 'PUBLISHED'")),
        Index("ix_reviews_work_newest", "work_id", text("created_at DESC"), text("id DESC"),
              postgresql_where=text("status = 'PUBLISHED'")),
        Index("ix_reviews_account_id", "account_id", text("created_at DESC"), text("id DESC")),
        # No index by stars (a book's published reviews, a few thousand at most, sort in memory
        # for HIGHEST and LOWEST) nor by product (products are archived, never deleted): each
        # index costs every write and a large share of the seed's time.
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="RESTRICT"))
    # The format the review is about (the one bought, when bought through us).
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # The delivered purchase that earned the verified badge; null for unverified reviews.
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id", ondelete="SET NULL"))
    verified_purchase: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    stars: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(review_status, server_default="PUBLISHED")
    helpful_votes: Mapped[int] = mapped_column(Integer, server_default="0")
    # Edits so far (the number of rows in review_versions).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReviewVersion(Base):
    """What a review said before an edit replaced it; for moderators, never changed."""

    __tablename__ = "review_versions"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
        UniqueConstraint("review_id", "version"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    stars: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    # When this version was written, and when the edit replaced it.
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    replaced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReviewSummary(Base):
    """The published reviews of one work, counted: what the product page, the RATING sort, the
    minRating filter and the rating facet all read. Kept by the triggers on `reviews` only."""

    __tablename__ = "review_summaries"
    __table_args__ = (
        CheckConstraint("stars_1 >= 0 AND stars_2 >= 0 AND stars_3 >= 0 AND stars_4 >= 0 AND stars_5 >= 0",
                        name="counts_not_negative"),
        CheckConstraint("review_count = stars_1 + stars_2 + stars_3 + stars_4 + stars_5", name="count_adds_up"),
        CheckConstraint("star_total = stars_1 + 2 * stars_2 + 3 * stars_3 + 4 * stars_4 + 5 * stars_5",
                        name="total_adds_up"),
    )

    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), primary_key=True)
    review_count: Mapped[int] = mapped_column(Integer, server_default="0")
    star_total: Mapped[int] = mapped_column(BigInteger, server_default="0")
    stars_1: Mapped[int] = mapped_column(Integer, server_default="0")
    stars_2: Mapped[int] = mapped_column(Integer, server_default="0")
    stars_3: Mapped[int] = mapped_column(Integer, server_default="0")
    stars_4: Mapped[int] = mapped_column(Integer, server_default="0")
    stars_5: Mapped[int] = mapped_column(Integer, server_default="0")


class ReviewVote(Base):
    """One customer found one review helpful (one vote each; undone by deleting the row)."""

    __tablename__ = "review_votes"
    __table_args__ = (Index("ix_review_votes_account_id", "account_id"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReviewReport(Base):
    """A customer's report that a review breaks the rules; open until a moderator acts on it."""

    __tablename__ = "review_reports"
    __table_args__ = (
        CheckConstraint("note IS NULL OR length(note) <= 1000", name="note_length"),
        UniqueConstraint("review_id", "account_id"),
        Index("ix_review_reports_open", "created_at", "id", postgresql_where=text("resolved_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(report_reason)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReviewModerationEvent(Base):
    """One moderation action on a review, with who took it and why; never changed."""

    __tablename__ = "review_moderation_events"
    __table_args__ = (
        CheckConstraint("length(reason) BETWEEN 1 AND 1000", name="reason_length"),
        Index("ix_review_moderation_events_review_id", "review_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(moderation_action)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
