"""The membership library: titles a membership includes, lent to its members as MEMBERSHIP
licences (the membership's own rules, who is a member, are the subscriptions context's, which
calls these in the transaction of its use case).

Lending: a product marked `membership_included` (an e-book or a streaming video), not in the
customer's library already (bought, a rental still running, or borrowed now), while fewer than
the limit of titles are borrowed. A customer's borrows take turns on a transaction-scoped lock
of the account, so two racing borrows never both take the last slot. A borrowed licence is a
licence like a bought one: the same device limit, downloads and library sync (LICENCE_ADDED).

Returning frees the slot: the licence is revoked (LICENCE_REVOKED at the next sync).

When the membership ends, its titles expire (LICENCE_EXPIRED at the next sync: reads,
activations and downloads are refused); when the customer joins again within the restore
window, the titles that expired with it are active again (LICENCE_ADDED). The time a title
expired is its `updated_at`, written with the caller's clock; nothing else changes an expired
licence, so it stays the time of the expiry."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.licences import changes, repository
from domain.licences.entities import Licence
from domain.licences.errors import MembershipTitleErrorCode
from domain.licences.ownership import owned_kinds_sql
from domain.licences.statuses import LibraryChangeKind, LicenceKind, LicenceStatus
from domain.shared.db import SessionReader
from domain.shared.errors import DomainError, NotFound

RETURNED = "RETURNED"

_TITLE = text(
    "SELECT p.membership_included AND (p.kind = 'EBOOK' OR (p.kind = 'VIDEO' AND p.format = 'STREAMING')) AS lendable,"
    f" {owned_kinds_sql(':account', 'p.id')} AS owned,"
    " EXISTS (SELECT 1 FROM licences b WHERE b.account_id = :account AND b.product_id = p.id"
    "         AND b.kind = 'MEMBERSHIP' AND b.status = 'ACTIVE') AS borrowed,"
    " (SELECT count(*) FROM licences b WHERE b.account_id = :account AND b.kind = 'MEMBERSHIP'"
    "  AND b.status = 'ACTIVE') AS borrowed_count"
    " FROM products p WHERE p.id = :product AND p.archived_at IS NULL")


async def _lock_borrows(session: AsyncSession, account_id: int) -> None:
    # Held to commit; taken before counting, so the count a borrow reads includes every borrow
    # committed before it.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended("
                               "'licences.borrow:' || CAST(CAST(:account AS bigint) AS text), 0))"), {"account": account_id})


async def _licence(session: AsyncSession, licence_id: int) -> Licence:
    return (await repository.licences_by_ids(SessionReader(session), [licence_id]))[licence_id]


async def borrow(session: AsyncSession, account_id: int, product_id: int, *, limit: int,
                 device_limit: int) -> Licence:
    """Lends the product to the account as a MEMBERSHIP licence (see the module's rules):
    NOT_FOUND for no such product, NOT_INCLUDED when the membership does not include it,
    ALREADY_IN_LIBRARY when the customer has it, BORROW_LIMIT_REACHED at `limit` borrowed
    titles. Records LICENCE_ADDED; returns the licence."""
    await _lock_borrows(session, account_id)
    row = (await session.execute(_TITLE, {"account": account_id, "product": product_id})).one_or_none()
    if row is None:
        raise NotFound("No such product.", field=["input", "productId"])
    if not row.lendable:
        raise DomainError("This title is not included in the membership: buy it instead.",
                          code=MembershipTitleErrorCode.NOT_INCLUDED, field=["input", "productId"])
    if row.borrowed or row.owned:
        raise DomainError("This title is in your library already.",
                          code=MembershipTitleErrorCode.ALREADY_IN_LIBRARY, field=["input", "productId"])
    if row.borrowed_count >= limit:
        raise DomainError(f"You have {row.borrowed_count} titles borrowed, the most at once ({limit}): return one "
                          "first.", code=MembershipTitleErrorCode.BORROW_LIMIT_REACHED, field=["input", "productId"])
    licence_id = (await session.execute(text(
        "INSERT INTO licences (account_id, product_id, kind, device_limit)"
        " VALUES (:account, :product, CAST(:kind AS licence_kind), :limit) RETURNING id"),
        {"account": account_id, "product": product_id, "kind": LicenceKind.MEMBERSHIP,
         "limit": device_limit})).scalar_one()
    await changes.record(session, account_id, [(licence_id, LibraryChangeKind.LICENCE_ADDED)])
    return await _licence(session, licence_id)


async def give_back(session: AsyncSession, account_id: int, licence_id: int) -> Licence:
    """Takes back a title the account borrowed, freeing its slot: the licence is revoked (its
    devices lose it, LICENCE_REVOKED at the next sync). Another customer's licence is NOT_FOUND;
    a licence not borrowed now (bought, or returned or expired already) is NOT_BORROWED."""
    row = (await session.execute(text(
        "SELECT kind::text AS kind, status::text AS status FROM licences WHERE id = :id AND account_id = :account"
        " FOR UPDATE"), {"id": licence_id, "account": account_id})).one_or_none()
    if row is None:
        raise NotFound("No such licence in your library.", field=["input", "licenceId"])
    if row.kind != LicenceKind.MEMBERSHIP or row.status != LicenceStatus.ACTIVE:
        raise DomainError("This title is not borrowed now: only a borrowed title that is still active can be "
                          "returned.", code=MembershipTitleErrorCode.NOT_BORROWED, field=["input", "licenceId"])
    await session.execute(text(
        "UPDATE licences SET status = 'REVOKED', revoked_at = now(), revoke_reason = :reason, updated_at = now()"
        " WHERE id = :id"), {"id": licence_id, "reason": RETURNED})
    await session.execute(text(
        "UPDATE licence_activations SET deactivated_at = now() WHERE licence_id = :id AND deactivated_at IS NULL"),
        {"id": licence_id})
    await changes.record(session, account_id, [(licence_id, LibraryChangeKind.LICENCE_REVOKED)])
    return await _licence(session, licence_id)


async def borrowed_count(session: AsyncSession, account_id: int) -> int:
    """How many titles the account has borrowed now."""
    return (await session.execute(text(
        "SELECT count(*) FROM licences WHERE account_id = :account AND kind = 'MEMBERSHIP' AND status = 'ACTIVE'"),
        {"account": account_id})).scalar_one()


async def expire_membership_titles(session: AsyncSession, account_id: int, now: datetime) -> list[int]:
    """The membership of the account ended at `now`: every title it borrowed expires (devices
    delete them at their next sync, LICENCE_EXPIRED; their slots are freed). Returns the ids."""
    await _lock_borrows(session, account_id)
    ids = sorted((await session.execute(text(
        "UPDATE licences SET status = 'EXPIRED', updated_at = :now WHERE account_id = :account"
        " AND kind = 'MEMBERSHIP' AND status = 'ACTIVE' RETURNING id"),
        {"account": account_id, "now": now})).scalars())
    if ids:
        await session.execute(text(
            "UPDATE licence_activations SET deactivated_at = now()"
            " WHERE licence_id = ANY(CAST(:ids AS bigint[])) AND deactivated_at IS NULL"), {"ids": ids})
        await changes.record(session, account_id, [(i, LibraryChangeKind.LICENCE_EXPIRED) for i in ids])
    return ids


async def restore_membership_titles(session: AsyncSession, account_id: int, expired_since: datetime) -> list[int]:
    """The account joined the membership again: the titles that expired with its membership
    from `expired_since` on are active again (LICENCE_ADDED at the next sync), but for a title
    borrowed again since. Returns the ids."""
    await _lock_borrows(session, account_id)
    ids = sorted((await session.execute(text(
        "UPDATE licences l SET status = 'ACTIVE', updated_at = now() WHERE l.account_id = :account"
        " AND l.kind = 'MEMBERSHIP' AND l.status = 'EXPIRED' AND l.updated_at >= :since"
        " AND NOT EXISTS (SELECT 1 FROM licences b WHERE b.account_id = l.account_id AND b.product_id = l.product_id"
        "                 AND b.kind = 'MEMBERSHIP' AND b.status = 'ACTIVE')"
        " AND l.id = (SELECT max(x.id) FROM licences x WHERE x.account_id = l.account_id"
        "             AND x.product_id = l.product_id AND x.kind = 'MEMBERSHIP')"
        " RETURNING l.id"), {"account": account_id, "since": expired_since})).scalars())
    await changes.record(session, account_id, [(i, LibraryChangeKind.LICENCE_ADDED) for i in ids])
    return ids
