"""An e-book loan as its lender and its borrower see it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


def masked_email(email: str) -> str:
    """The address with its local part hidden but its first character: enough for the lender to
    recognise whom they invited, nothing a page shown over a shoulder gives away."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


@dataclass(slots=True)
class EbookLoan:
    id: int
    licence_id: int
    lender_account_id: int
    lender_name: str
    borrower_email: str
    borrower_account_id: int | None
    borrower_licence_id: int | None
    status: str
    lent_at: datetime
    accept_by: datetime
    accepted_at: datetime | None
    ends_at: datetime | None
    ended_at: datetime | None
    product_id: int
    title: str

    @property
    def borrower_email_masked(self) -> str:
        return masked_email(self.borrower_email)
