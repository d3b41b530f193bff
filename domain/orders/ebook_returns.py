"""Returning an e-book bought by mistake, from the library.

Rules (error codes):
- Only the licence's owner returns it; anyone else, administrators included, finds no such
  licence (NOT_FOUND). A reason of 1-500 characters (REASON_REQUIRED).
- A licence already revoked (returned before, refunded, withdrawn) is LICENCE_REVOKED: a
  second return of the same e-book refunds nothing.
- Only a PURCHASE licence that came from an order line goes back (NOT_RETURNABLE otherwise:
  a rental or a membership title is not bought).
- Within `ebook_return_days` (7 by default) of the purchase, counted from when the licence
  was issued, i.e. when the e-book was paid for and reached the library (RETURN_WINDOW_CLOSED).
- At most 10% read: the furthest position ever reported is at most a tenth of the title's
  locations; a title never opened counts as 0% (READ_TOO_MUCH, with `percentRead`).

In one transaction the line is refunded whole (its total and tax, less what was refunded on
it) through the order's payment as a RETURN, the seller's sale is reversed, and the licence
is revoked: it leaves every device at its next library sync (LICENCE_REVOKED) and frees its
device slots. The order's row is locked first, like every order use case, then the
licence's: two returns of one e-book at once take turns, and the second sees it revoked.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.carts.errors import OrderingErrorCode
from domain.catalogue.statuses import ProductKind
from domain.licences import service as licences
from domain.licences.errors import LicenceStateErrorCode
from domain.licences.statuses import LicenceKind, LicenceStatus
from domain.orders import refunds
from domain.orders.entities import OrderRefund
from domain.orders.locks import lock_order_of_line
from domain.payments.provider import PaymentProvider
from domain.shared import clock
from domain.shared.config import get_settings
from domain.shared.db import SessionReader
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal

MAX_PERCENT_READ = 10
FIELD = ["input", "licenceId"]


@dataclass(frozen=True, slots=True)
class EbookReturn:
    licence: object  # the licence as the library shows it now (REVOKED)
    refund: OrderRefund | None


def _not_found() -> NotFound:
    return NotFound("No such licence in your library.", field=FIELD)


def _check(licence: licences.LicenceForReturn, return_days: int) -> None:
    if licence.status == LicenceStatus.REVOKED:
        raise DomainError("This e-book was already returned or its licence revoked.", code=LicenceStateErrorCode.LICENCE_REVOKED,
                          field=FIELD)
    if licence.status == LicenceStatus.SUSPENDED:
        # Refunding it would leave the borrower reading a book nobody paid for.
        raise DomainError("This e-book is lent to someone else; it can be returned once the loan has ended.",
                          code=OrderingErrorCode.NOT_RETURNABLE, field=FIELD)
    if licence.kind != LicenceKind.PURCHASE or licence.order_line_id is None or licence.product_kind != ProductKind.EBOOK:
        raise DomainError("Only an e-book you bought can be returned (not a rental or a membership title).",
                          code=OrderingErrorCode.NOT_RETURNABLE, field=FIELD)
    if clock.now() - licence.created_at > timedelta(days=return_days):
        raise DomainError(f"E-books can be returned within {return_days} days of purchase.",
                          code=OrderingErrorCode.RETURN_WINDOW_CLOSED, field=FIELD)
    if licence.read_more_than(MAX_PERCENT_READ):
        raise DomainError(f"You read {licence.percent_read}% of this e-book; it can be returned while at most"
                          f" {MAX_PERCENT_READ}% is read.", code=OrderingErrorCode.READ_TOO_MUCH, field=FIELD,
                          extensions={"percentRead": licence.percent_read})


async def return_ebook(session: AsyncSession, principal: Principal, provider: PaymentProvider, licence_id: int,
                       reason: str, *, return_days: int | None = None) -> EbookReturn:
    """Takes back one of the caller's e-books and refunds it (see the module docstring)."""
    account_id = principal.require_signed_in()
    reason = refunds.valid_reason(reason)
    return_days = return_days or get_settings().ebook_return_days
    found = await licences.licence_for_return(session, licence_id)
    if found is None or found.account_id != account_id:
        raise _not_found()
    order = None if found.order_line_id is None else await lock_order_of_line(session, found.order_line_id)
    if order is None:
        _check(found, return_days)
        raise DomainError("Only an e-book you bought can be returned.", code=OrderingErrorCode.NOT_RETURNABLE, field=FIELD)
    licence = await licences.licence_for_return(session, licence_id, lock=True)
    if licence is None or licence.account_id != account_id:
        raise _not_found()
    _check(licence, return_days)
    refund = await refunds.refund_digital_line(session, provider, order, licence.order_line_id,
                                               f"E-book returned: {reason}", account_id)
    await licences.revoke_licence(session, licence.id, "returned")
    shown = (await licences.licences_by_ids(SessionReader(session), principal, [licence.id]))[licence.id]
    return EbookReturn(shown, refund)
