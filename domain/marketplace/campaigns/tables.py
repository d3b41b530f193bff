"""Brand follows, brand-message opt-outs, brand campaigns and their recipients.

None of these rows ever reaches a brand, a seller or an administrator through the API: the
brand sees counts only (see `domain.marketplace.campaigns.reads`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.marketplace.statuses import BrandCampaignKind, BrandCampaignStatus
from domain.shared.db import Base

brand_campaign_kind = ENUM(*BrandCampaignKind, name="brand_campaign_kind")
brand_campaign_status = ENUM(*BrandCampaignStatus, name="brand_campaign_status")


class BrandFollow(Base):
    """A customer follows a brand; `opted_out_at` set: they keep following but get none of its
    messages."""

    __tablename__ = "brand_follows"
    __table_args__ = (
        # The viewer's own follows, newest first.
        Index("ix_brand_follows_account_id_followed_at", "account_id", "followed_at", "brand_id"),
    )

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    followed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    opted_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BrandMessageOptOut(Base):
    """A customer who gets no brand's messages at all, whatever they follow."""

    __tablename__ = "brand_message_opt_outs"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    opted_out_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BrandCampaign(Base):
    """A message a brand's owner asks the platform to send to the brand's followers. Counters
    are kept here so the owner's page reads one row; the recipients themselves never leave the
    platform."""

    __tablename__ = "brand_campaigns"
    __table_args__ = (
        CheckConstraint("length(subject) BETWEEN 1 AND 150", name="subject_length"),
        CheckConstraint("length(body) BETWEEN 1 AND 5000", name="body_length"),
        CheckConstraint("cardinality(product_ids) <= 10", name="at_most_ten_products"),
        CheckConstraint("delivered_count + skipped_count <= recipients_count", name="counts_consistent"),
        CheckConstraint("(status = 'REJECTED') = (cardinality(rejection_reasons) > 0)", name="rejected_has_reasons"),
        CheckConstraint("status IN ('SCHEDULED', 'REJECTED') OR started_at IS NOT NULL", name="started_when_sending"),
        CheckConstraint("(status = 'SENT') = (finished_at IS NOT NULL)", name="finished_when_sent"),
        Index("ix_brand_campaigns_brand_id_id", "brand_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="RESTRICT"))
    # Kept as a plain reference: the campaign outlives whoever wrote it.
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(brand_campaign_kind)
    subject: Mapped[str] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text)
    product_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default=text("'{}'"))
    status: Mapped[str] = mapped_column(brand_campaign_status, server_default="SCHEDULED")
    rejection_reasons: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    recipients_count: Mapped[int] = mapped_column(Integer, server_default="0")
    delivered_count: Mapped[int] = mapped_column(Integer, server_default="0")
    # Recipients who opted out (or whose account went) before their batch was sent.
    skipped_count: Mapped[int] = mapped_column(Integer, server_default="0")
    batch_size: Mapped[int] = mapped_column(Integer, server_default="500")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BrandCampaignRecipient(Base):
    """One follower a campaign goes to, fixed when sending starts. `position` (1..n) splits
    the recipients into the batches the worker sends; `settled_at` marks a recipient sent
    (`delivered`) or skipped, so a batch run again sends nobody twice."""

    __tablename__ = "brand_campaign_recipients"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_positive"),
        Index("uq_brand_campaign_recipients_campaign_id_position", "campaign_id", "position", unique=True),
        Index("ix_brand_campaign_recipients_account_id", "account_id"),
        # "Opted out since" is counted over these only.
        Index("ix_brand_campaign_recipients_opted_out", "campaign_id",
              postgresql_where=text("opted_out_at IS NOT NULL")),
    )

    campaign_id: Mapped[int] = mapped_column(ForeignKey("brand_campaigns.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    delivered: Mapped[bool | None] = mapped_column(Boolean)
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opted_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
