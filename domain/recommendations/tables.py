"""What the nightly job writes and the API reads: related items per item, with their scores.

An item is a work (all its formats), or a product that has no work: its key is the work id, or
minus the product id (`model.py`). The job replaces each table's rows in one transaction, so a
reader sees the previous night's table or the new one, never part of one.

- `recommendation_related`: "customers who bought this also bought", the EASE weight of each
  related item (top K per item), and what `recommendedForYou` sums.
- `recommendation_together`: complements bought in the same order, scored by observed minus
  expected co-purchases (top K per item).
- `recommendation_popular`: the items most customers have, for a customer with no history."""
from __future__ import annotations

from sqlalchemy import REAL, BigInteger, CheckConstraint, Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from domain.shared.db import Base


class RelatedItem(Base):
    __tablename__ = "recommendation_related"
    __table_args__ = (
        CheckConstraint("item <> related", name="not_itself"),
        CheckConstraint("score > 0", name="score_positive"),
        Index("ix_recommendation_related_item_score", "item", text("score DESC"), "related"),
    )

    item: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    related: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    score: Mapped[float] = mapped_column(REAL)


class BoughtTogetherItem(Base):
    __tablename__ = "recommendation_together"
    __table_args__ = (
        CheckConstraint("item <> related", name="not_itself"),
        CheckConstraint("score > 0", name="score_positive"),
        Index("ix_recommendation_together_item_score", "item", text("score DESC"), "related"),
    )

    item: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    related: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    score: Mapped[float] = mapped_column(REAL)


class PopularItem(Base):
    __tablename__ = "recommendation_popular"
    __table_args__ = (CheckConstraint("customers > 0", name="customers_positive"),
                      Index("ix_recommendation_popular_rank", "rank", unique=True))

    item: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    customers: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
