"""The e-book loans table: a PURCHASE licence lent once, for a fixed time, to another customer
invited by e-mail."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.dialects.postgresql import CITEXT, ENUM
from sqlalchemy.orm import Mapped, mapped_column

from domain.licences.lending.statuses import EbookLoanStatus
from domain.shared.db import Base

ebook_loan_status = ENUM(*EbookLoanStatus, name="ebook_loan_status")


class EbookLoan(Base):
    """One lending of one licence (a licence is lent at most once, ever: `licence_id` is unique).
    PENDING from lending until accepted (then ACTIVE, with the borrower's LOAN licence), declined,
    or not accepted by `accept_by`; an ACTIVE loan is RETURNED at `ends_at` or earlier by the
    borrower. Only the hash of the invitation's token is kept."""

    __tablename__ = "ebook_loans"
    __table_args__ = (
        CheckConstraint("accept_by > lent_at", name="accept_by_after_lent_at"),
        CheckConstraint("(status = 'PENDING') = (accepted_at IS NULL AND ended_at IS NULL)", name="pending_has_no_times"),
        CheckConstraint("(accepted_at IS NULL) = (borrower_licence_id IS NULL)", name="accepted_has_licence"),
        CheckConstraint("(accepted_at IS NULL) = (ends_at IS NULL)", name="accepted_has_end"),
        CheckConstraint("(status IN ('PENDING', 'ACTIVE')) = (ended_at IS NULL)", name="ended_has_time"),
        Index("uq_ebook_loans_licence_id", "licence_id", unique=True),
        Index("uq_ebook_loans_borrower_licence_id", "borrower_licence_id", unique=True),
        Index("uq_ebook_loans_token_hash", "token_hash", unique=True),
        Index("ix_ebook_loans_lender_account_id_id", "lender_account_id", "id"),
        Index("ix_ebook_loans_borrower_email_id", "borrower_email", "id"),
        Index("ix_ebook_loans_pending_accept_by", "accept_by", postgresql_where=text("status = 'PENDING'")),
        Index("ix_ebook_loans_active_ends_at", "ends_at", postgresql_where=text("status = 'ACTIVE'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"))
    lender_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # Whoever the lender named, account or not; the loan is theirs once signed in with it.
    borrower_email: Mapped[str] = mapped_column(CITEXT)
    borrower_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    borrower_licence_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(ebook_loan_status, server_default="PENDING")
    token_hash: Mapped[str] = mapped_column(String(64))
    lent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accept_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
