"""Becoming a seller, and a seller's standing with the platform.

A signed-in customer applies with a storefront name (and slug); one pending application per
account at a time (APPLICATION_PENDING); the slug must not belong to a seller (SLUG_TAKEN).
An administrator approves (the seller is created in good standing, the applicant becomes its
staff and is told by e-mail) or rejects with a reason; a decided application is final
(NOT_PENDING). Administrators set a seller's standing (GOOD, AT_RISK, SUSPENDED) with a
reason, kept in an audit trail; the seller's offers leave or re-enter search at once.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import service as identity
from domain.jobs import service as jobs
from domain.marketplace import derived, repository, rules
from domain.marketplace.entities import Seller, SellerApplication, StandingChange
from domain.marketplace.errors import MarketplaceErrorCode
from domain.marketplace.statuses import ApplicationStatus, SellerStanding
from domain.shared.db import Reader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

_COLUMNS = "id, account_id, name, slug, status::text AS status, reason, decided_at, seller_id, created_at"


async def _slug_taken(session: AsyncSession, slug: str) -> bool:
    return bool((await session.execute(text("SELECT EXISTS (SELECT 1 FROM sellers WHERE slug = :slug)"),
                                       {"slug": slug})).scalar())


async def apply(session: AsyncSession, principal: Principal, name: str, slug: str | None) -> SellerApplication:
    """File an application to sell under `name` (2-120 characters) at `slug` (made from the
    name when not given)."""
    account_id = principal.require_signed_in()
    name = rules.name(name, ["input", "name"])
    slug = rules.slug(slug, name, ["input", "slug"])
    if await _slug_taken(session, slug):
        raise InvalidInput(f"A seller already uses the slug {slug!r}; choose another.", code=MarketplaceErrorCode.SLUG_TAKEN,
                           field=["input", "slug"])
    try:
        row = (await session.execute(text(
            f"INSERT INTO seller_applications (account_id, name, slug) VALUES (:account, :name, :slug)"
            f" RETURNING {_COLUMNS}"), {"account": account_id, "name": name, "slug": slug})).one()
    except IntegrityError as error:
        if "uq_seller_applications_pending" in str(error.orig):
            raise _pending() from None
        raise
    return SellerApplication(*row)


def _pending() -> DomainError:
    return DomainError("You already have an application waiting for a decision.", code=MarketplaceErrorCode.APPLICATION_PENDING)


async def _locked_pending(session: AsyncSession, application_id: int) -> SellerApplication:
    row = (await session.execute(text(f"SELECT {_COLUMNS} FROM seller_applications WHERE id = :id FOR UPDATE"),
                                 {"id": application_id})).one_or_none()
    if row is None:
        raise NotFound("No such seller application.", field=["input", "applicationId"])
    application = SellerApplication(*row)
    if application.status != ApplicationStatus.PENDING:
        raise DomainError(f"The application was already {application.status.lower()}.", code=MarketplaceErrorCode.NOT_PENDING,
                          field=["input", "applicationId"])
    return application


async def approve(session: AsyncSession, principal: Principal, application_id: int) -> SellerApplication:
    """Administrators only: create the seller (good standing, the application's name and
    slug), make the applicant its staff and e-mail them."""
    principal.require_admin()
    application = await _locked_pending(session, application_id)
    seller_id = (await session.execute(text(
        "INSERT INTO sellers (slug, name) VALUES (:slug, :name) ON CONFLICT (slug) DO NOTHING RETURNING id"),
        {"slug": application.slug, "name": application.name})).scalar()
    if seller_id is None:
        raise InvalidInput(f"A seller took the slug {application.slug!r} since the application was filed;"
                           " reject it so the applicant can apply with another.", code=MarketplaceErrorCode.SLUG_TAKEN,
                           field=["input", "applicationId"])
    await identity.grant(session, application.account_id, "SELLER_STAFF", seller_id=seller_id)
    row = (await session.execute(text(
        f"UPDATE seller_applications SET status = 'APPROVED', decided_by = :admin, decided_at = now(),"
        f" seller_id = :seller WHERE id = :id RETURNING {_COLUMNS}"),
        {"admin": principal.account_id, "seller": seller_id, "id": application_id})).one()
    email = await identity.email_of(session, application.account_id)
    if email is not None:
        await jobs.send_email(session, to=email, template="seller_application_approved", context={
            "sellerName": application.name, "sellerSlug": application.slug})
    return SellerApplication(*row)


async def reject(session: AsyncSession, principal: Principal, application_id: int, reason: str) -> SellerApplication:
    """Administrators only: refuse the application with a reason (1-1000 characters) the
    applicant sees; they may apply again."""
    principal.require_admin()
    reason = rules.reason(reason, ["input", "reason"])
    application = await _locked_pending(session, application_id)
    row = (await session.execute(text(
        f"UPDATE seller_applications SET status = 'REJECTED', decided_by = :admin, decided_at = now(),"
        f" reason = :reason WHERE id = :id RETURNING {_COLUMNS}"),
        {"admin": principal.account_id, "reason": reason, "id": application_id})).one()
    email = await identity.email_of(session, application.account_id)
    if email is not None:
        await jobs.send_email(session, to=email, template="seller_application_rejected", context={
            "sellerName": application.name, "reason": reason})
    return SellerApplication(*row)


async def set_standing(session: AsyncSession, principal: Principal, seller_id: int, standing: str,
                       reason: str) -> tuple[Seller, StandingChange]:
    """Administrators only: set the seller's standing with a reason (1-1000 characters),
    recorded with who set it. AT_RISK sellers never hold the featured offer; SUSPENDED
    sellers' offers are hidden and their staff can change none of them. The search documents
    of every product the seller offers are refreshed in the same transaction."""
    principal.require_admin()
    standing = rules.one_of(standing, SellerStanding, ["input", "standing"])
    reason = rules.reason(reason, ["input", "reason"])
    updated = (await session.execute(text(
        "UPDATE sellers SET standing = CAST(:standing AS seller_standing) WHERE id = :id RETURNING id"),
        {"standing": standing, "id": seller_id})).scalar()
    if updated is None:
        raise NotFound("No such seller.", field=["input", "sellerId"])
    change = (await session.execute(text(
        "INSERT INTO seller_standing_changes (seller_id, standing, reason, changed_by)"
        " VALUES (:seller, CAST(:standing AS seller_standing), :reason, :admin)"
        " RETURNING id, seller_id, standing::text, reason, changed_at"),
        {"seller": seller_id, "standing": standing, "reason": reason, "admin": principal.account_id})).one()
    product_ids = (await session.execute(text(
        "SELECT DISTINCT product_id FROM offers WHERE seller_id = :seller AND archived_at IS NULL"),
        {"seller": seller_id})).scalars().all()
    await derived.lock_products(session, product_ids)
    await derived.refresh_search(session, product_ids)
    return await repository.seller_in_session(session, seller_id), StandingChange(*change)


async def applications_by_ids(reader: Reader, principal: Principal, ids: Sequence[int]) -> dict[int, SellerApplication]:
    """Applications the caller may see: their own, or any for an administrator."""
    if not principal.signed_in:
        return {}
    rows = await reader.fetch(
        f"SELECT {_COLUMNS} FROM seller_applications WHERE id = ANY($1::bigint[])"
        " AND ($2 OR account_id = $3)", list(ids), principal.is_admin, principal.account_id)
    return {r["id"]: SellerApplication(*r) for r in rows}


async def my_applications(reader: Reader, principal: Principal, page: PageRequest) -> Page[SellerApplication]:
    """The caller's own applications, newest first."""
    account_id = principal.require_signed_in()
    return await repository.paged(reader, SellerApplication, f"SELECT {_COLUMNS} FROM seller_applications WHERE account_id = $1",
                       "id DESC", page, account_id)


async def applications(reader: Reader, principal: Principal, status: str | None,
                       page: PageRequest) -> Page[SellerApplication]:
    """Administrators only: applications in a status (all when None), oldest first, the order
    they are to be decided in."""
    principal.require_admin()
    return await repository.paged(reader, SellerApplication,
                       f"SELECT {_COLUMNS} FROM seller_applications"
                       " WHERE $1::application_status IS NULL OR status = $1::application_status",
                       "id", page, status)

