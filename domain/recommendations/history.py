"""Browsing history: the products a customer looked at, newest first, recorded from any client.

Rules:
- A view is recorded for the signed-in customer, or for a guest under a history token (made at
  the guest's first view and shown once, kept hashed, as a guest cart's token is). Signing in
  attaches the guest's views to the customer (`merge_guest_history`, called with the guest
  cart's merge).
- One entry per product: viewing a product again moves it to the top. A history keeps its
  newest `HistoryLimits.entries` products; older ones go as new ones come.
- A missing or withdrawn product is NOT_FOUND; more views than the rate limit allows
  (`burst` at once, refilled at `per_second`) are RATE_LIMITED; nothing is written either way.
  While the customer has paused their history nothing is recorded, and that is no error.
- A history is its owner's alone: nobody else reads it, sellers and administrators included
  (administrators see how many entries a customer's history holds, not what they are), and
  another customer's entry does not exist for the caller.
"""
from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import service as catalogue
from domain.catalogue.entities import Product
from domain.recommendations import history_store as store
from domain.recommendations.errors import HistoryErrorCode
from domain.shared.db import Reader, SessionReader
from domain.shared.errors import DomainError, Forbidden, NotFound, Unauthenticated
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True, slots=True)
class HistoryLimits:
    """How many products a history keeps, and how many views a history may record at once
    (`burst`) and per second after that (`per_second`)."""

    entries: int = 1000
    burst: int = 30
    per_second: float = 2.0


@dataclass(frozen=True, slots=True)
class Recorded:
    """Whether the view was recorded (not while the history is paused), and a new guest
    history's token (shown once; None for a customer or a guest that sent its token)."""

    recorded: bool
    token: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One product of a history, with when it was last viewed."""

    product: Product
    viewed_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryPage:
    page: Page
    total: int
    paused: bool


@dataclass(frozen=True, slots=True)
class Merged:
    """How many guest views joined the customer's history (0 when merged before, or when the
    customer's history is paused: the guest's views are then dropped)."""

    merged: int
    paused: bool


class RateLimited(DomainError):
    code = HistoryErrorCode.RATE_LIMITED


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _no_history(field: list[str]) -> NotFound:
    return NotFound("No browsing history has this token (a guest's history stops at sign-in, when it is merged).",
                    field=field)


def _guest_hash(token: str, field: list[str]) -> str:
    if len(token) > MAX_TOKEN_LENGTH:
        raise _no_history(field)
    return hash_token(token)


async def record_view(session: AsyncSession, principal: Principal, product_id: int, token: str | None,
                      limits: HistoryLimits) -> Recorded:
    """Records that the caller viewed the product: in the signed-in customer's history (a token
    is then ignored), in the guest history of `token`, or in a new guest history whose token is
    returned. The product moves to the top of the history, which keeps its newest
    `limits.entries` products. Refused with nothing written: a product that does not exist or was
    withdrawn (NOT_FOUND), a token of no live guest history (NOT_FOUND), and a view past the
    history's rate limit (RATE_LIMITED, with `retryAfterSeconds`). A paused history records
    nothing, without error."""
    new_token = None
    field = ["input", "historyToken"]
    if principal.account_id is not None:
        history = await store.take_customer(session, principal.account_id, limits.burst, limits.per_second)
    elif token is not None:
        history = await store.take_guest(session, _guest_hash(token, field), limits.burst, limits.per_second)
        if history is None:
            raise _no_history(field)
    else:
        new_token = secrets.token_urlsafe(32)
        history = await store.new_guest(session, hash_token(new_token), limits.burst)
    if history.allowance < 0:
        wait = max(1, math.ceil(-history.allowance / limits.per_second))
        raise RateLimited(f"Too many product views in a short time: at most {limits.burst} at once and "
                          f"{limits.per_second:g} a second after that. Try again in {wait} s.",
                          extensions={"retryAfterSeconds": wait})
    if product_id not in await catalogue.products_by_ids(SessionReader(session), [product_id]):
        raise NotFound("No such product, or it was withdrawn.", field=["input", "productId"])
    if history.paused:
        return Recorded(False, new_token)
    count = await store.record(session, history.id, product_id)
    if count > limits.entries:
        await store.trim(session, history.id, count - limits.entries)
    return Recorded(True, new_token)


async def _locked_history(session: AsyncSession, principal: Principal, token: str | None) -> store.Locked | None:
    """The caller's history, locked: the customer's (None when they never had one), or the
    live guest history of `token` (NOT_FOUND when none). Anonymous callers without a token are
    refused."""
    if principal.account_id is not None:
        return await store.lock_existing_customer(session, principal.account_id)
    if token is None:
        raise Unauthenticated("Sign in (or, as a guest, send your historyToken) to change your browsing history.")
    field = ["input", "historyToken"]
    history = await store.lock_guest(session, _guest_hash(token, field))
    if history is None or history.merged_into_account_id is not None:
        raise _no_history(field)
    return history


async def remove_entry(session: AsyncSession, principal: Principal, product_id: int, token: str | None) -> None:
    """Takes one product out of the caller's own history. A product not in it (in another
    customer's history, say) is NOT_FOUND."""
    history = await _locked_history(session, principal, token)
    if history is None or not await store.remove(session, history.id, product_id):
        raise NotFound("This product is not in your browsing history.", field=["input", "productId"])


async def clear(session: AsyncSession, principal: Principal, token: str | None) -> int:
    """Empties the caller's own history (its paused setting stays); how many entries went."""
    history = await _locked_history(session, principal, token)
    return 0 if history is None else await store.clear(session, history.id)


async def set_paused(session: AsyncSession, principal: Principal, paused: bool, limits: HistoryLimits) -> bool:
    """Pauses or resumes recording in the signed-in customer's history (what it holds stays).
    Doing it twice changes nothing."""
    history = await store.lock_customer(session, principal.require_signed_in(), limits.burst)
    if history.paused != paused:
        await store.set_paused(session, history.id, paused)
    return paused


async def merge_guest_history(session: AsyncSession, principal: Principal, token: str,
                              limits: HistoryLimits) -> Merged:
    """At sign-in, moves the views of the guest history of `token` into the customer's: a
    product in both keeps its latest view, the history keeps its newest `limits.entries`
    products, and the guest history's token stops working. While the customer's history is
    paused the guest's views are dropped instead. Merging the same token again changes nothing;
    a token of no guest history, or of one merged into another customer's, is NOT_FOUND."""
    account_id = principal.require_signed_in()
    field = ["input", "historyToken"]
    guest_hash = _guest_hash(token, field)
    # Locks in a fixed order, the customer's history first, so concurrent merges cannot deadlock.
    customer = await store.lock_customer(session, account_id, limits.burst)
    guest = await store.lock_guest(session, guest_hash)
    if guest is None:
        raise _no_history(field)
    if guest.merged_into_account_id is not None:
        if guest.merged_into_account_id == account_id:
            return Merged(0, customer.paused)
        raise _no_history(field)
    count, moved = await store.merge(session, guest.id, customer.id, account_id, keep=not customer.paused)
    if count > limits.entries:
        await store.trim(session, customer.id, count - limits.entries)
    return Merged(0 if customer.paused else moved, customer.paused)


async def browsing_history(reader: Reader, principal: Principal, token: str | None,
                           request: PageRequest) -> HistoryPage:
    """A page of the caller's own history, newest first: the signed-in customer's, or the guest
    history of `token` (NOT_FOUND when none); empty for an anonymous caller without a token. A
    product withdrawn since it was viewed is left out of the page. Two statements whatever the
    page size."""
    if principal.account_id is not None:
        rows = await store.page(reader, account_id=principal.account_id, offset=request.offset,
                                limit=request.limit + 1)
    elif token is not None:
        rows = await store.page(reader, token_hash=_guest_hash(token, ["historyToken"]), offset=request.offset,
                                limit=request.limit + 1)
        if not rows:
            raise _no_history(["historyToken"])
    else:
        rows = []
    viewed = [(r["product_id"], r["viewed_at"]) for r in rows if r["product_id"] is not None]
    products = await catalogue.products_by_ids(reader, [pk for pk, _ in viewed]) if viewed else {}
    shown = viewed[:request.limit]
    entries = [Entry(products[pk], at) for pk, at in shown if pk in products]
    page = Page(entries, request.offset, len(viewed) > request.limit, rows[0]["entry_count"] if rows else 0)
    return HistoryPage(page, page.total, bool(rows) and rows[0]["paused"])


async def entry_counts(reader: Reader, principal: Principal, account_ids: list[int]) -> dict[int, int]:
    """How many products each customer's history holds, for the customer and administrators
    only (what the history holds is the customer's alone)."""
    if principal.account_id is None:
        raise Unauthenticated("Sign in to see a browsing history.")
    if any(not principal.may_see_account(pk) for pk in account_ids):
        raise Forbidden("Only the customer and administrators see how long a browsing history is.")
    found = await store.entry_counts(reader, account_ids)
    return {pk: found.get(pk, 0) for pk in account_ids}


async def recent_views(conn, account_id: int, limit: int) -> list[int]:
    """The ids of the products the customer viewed most recently, newest first, at most `limit`
    (withdrawn products included: the caller filters what it shows). For the recommender, which
    runs for the customer; nothing here checks who asks."""
    return await store.recent_product_ids(conn, account_id, limit)
