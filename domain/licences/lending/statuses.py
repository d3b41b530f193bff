"""Statuses of e-book loans; the database enum and the GraphQL enum take their values from here."""
from enum import StrEnum


class EbookLoanStatus(StrEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    DECLINED = "DECLINED"
    NOT_ACCEPTED = "NOT_ACCEPTED"
    RETURNED = "RETURNED"


# A loan in one of these is over: the lender has the book back.
ENDED = frozenset({EbookLoanStatus.DECLINED, EbookLoanStatus.NOT_ACCEPTED, EbookLoanStatus.RETURNED})
