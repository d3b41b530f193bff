"""Prime Reading: members borrow titles of the membership library.

A member (trial, paid, in grace, or cancelled before its end) may borrow what the membership
includes, up to `prime_borrow_limit` titles at once (the library's rules: `licences.borrowing`);
borrowing is a benefit used (a cancel then refunds nothing). The membership row is locked first,
so a borrow and the membership's end take turns: a borrow never lends to a membership that
ended while it ran. Returning a title frees its slot; it needs no membership (a title of an
ended membership has expired already)."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.licences import service as licences
from domain.shared import clock
from domain.shared.config import Settings
from domain.shared.errors import DomainError
from domain.shared.principal import Principal
from domain.subscriptions import repository
from domain.subscriptions.errors import BorrowErrorCode
from domain.subscriptions.memberships import end_if_over, record_benefit_use
from domain.subscriptions.statuses import BenefitKind


async def borrow_title(session: AsyncSession, principal: Principal, settings: Settings,
                       product_id: int) -> licences.Licence:
    """Lends the product to the caller as a MEMBERSHIP licence: NOT_A_MEMBER without a live
    membership, then the library's refusals (NOT_FOUND, NOT_INCLUDED, ALREADY_IN_LIBRARY,
    BORROW_LIMIT_REACHED). Records the benefit's use. Requires sign-in."""
    account_id = principal.require_signed_in()
    membership = await end_if_over(session, await repository.live_locked(session, account_id), clock.now())
    if membership is None:
        raise DomainError("Borrowing titles is a Prime benefit: join Prime to borrow this title.",
                          code=BorrowErrorCode.NOT_A_MEMBER)
    licence = await licences.borrow_membership_title(session, account_id, product_id,
                                                     limit=settings.prime_borrow_limit,
                                                     device_limit=settings.licence_device_limit)
    await record_benefit_use(session, account_id, BenefitKind.BORROWED_TITLE)
    return licence


async def return_title(session: AsyncSession, principal: Principal, licence_id: int) -> licences.Licence:
    """Gives back a title the caller borrowed (NOT_FOUND for another customer's licence,
    NOT_BORROWED for one not borrowed now). Requires sign-in."""
    account_id = principal.require_signed_in()
    return await licences.return_membership_title(session, account_id, licence_id)
