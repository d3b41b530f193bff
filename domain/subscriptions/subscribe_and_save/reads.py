"""A customer's subscriptions and upcoming deliveries as they see them: one statement a page
(the page's total comes with it), whatever its size."""
from __future__ import annotations

from domain.shared.db import Reader
from domain.shared.errors import Forbidden, Unauthenticated
from domain.shared.pagination import Page, PageRequest, page_from_rows
from domain.shared.principal import Principal
from domain.subscriptions.subscribe_and_save.entities import COLUMNS, Subscription

# Newest first; cancelled ones stay listed (their status says so).
_MINE = (f"SELECT {COLUMNS}, count(*) OVER () FROM subscriptions WHERE account_id = $1"
         " ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3")
# The next delivery of each active subscription, soonest first.
_UPCOMING = (f"SELECT {COLUMNS}, count(*) OVER () FROM subscriptions WHERE account_id = $1 AND status = 'ACTIVE'"
             " ORDER BY next_delivery_date, id OFFSET $2 LIMIT $3")


def _check_owner(principal: Principal, account_id: int) -> None:
    if principal.account_id is None:
        raise Unauthenticated("Sign in to see your subscriptions.")
    if principal.account_id != account_id and not principal.is_admin:
        raise Forbidden("Only the customer and administrators see a customer's subscriptions.")


async def _page(reader: Reader, sql: str, account_id: int, page: PageRequest) -> Page:
    rows = await reader.fetch(sql, account_id, page.offset, page.limit + 1)
    total = rows[0][-1] if rows else (0 if page.offset == 0 else None)
    return page_from_rows([Subscription(*r[:-1]) for r in rows], page, total)


async def subscriptions_page(reader: Reader, principal: Principal, account_id: int, page: PageRequest) -> Page:
    """The customer's subscriptions, newest first: for that customer and administrators."""
    _check_owner(principal, account_id)
    return await _page(reader, _MINE, account_id, page)


async def upcoming_page(reader: Reader, principal: Principal, account_id: int, page: PageRequest) -> Page:
    """The next delivery of each of the customer's active subscriptions, soonest first."""
    _check_owner(principal, account_id)
    return await _page(reader, _UPCOMING, account_id, page)


async def count(reader: Reader, principal: Principal, account_id: int, *, upcoming: bool) -> int:
    _check_owner(principal, account_id)
    where = " AND status = 'ACTIVE'" if upcoming else ""
    return (await reader.fetchrow(f"SELECT count(*) FROM subscriptions WHERE account_id = $1{where}", account_id))[0]
