"""Brand Registry: a customer claims a brand (an existing one, or a new brand name) with its
trademark; an administrator approves, which makes the applicant the brand's owner (creating
the brand when it is new), or rejects with a reason.

Rules: one owner per brand (BRAND_ALREADY_REGISTERED, also a unique index on approved
registrations); a new name must not be an existing brand's (BRAND_NAME_TAKEN: register that
brand instead); one pending registration per account and brand (REGISTRATION_PENDING, by
unique indexes); a decided registration is final (NOT_PENDING).

The `brands` rows are written here: the architecture puts brands in the marketplace context
(the brand registry), though the catalogue reads them.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import service as identity
from domain.jobs import service as jobs
from domain.marketplace import repository, rules
from domain.marketplace.entities import BrandRegistration
from domain.marketplace.errors import MarketplaceErrorCode
from domain.marketplace.statuses import ApplicationStatus
from domain.shared.db import Reader
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

_COLUMNS = ("id, account_id, brand_id, brand_name, trademark_number, evidence_url, status::text AS status, reason,"
            " decided_at, created_at")


def _already_registered() -> DomainError:
    return DomainError("This brand already has a registered owner.", code=MarketplaceErrorCode.BRAND_ALREADY_REGISTERED,
                       field=["input", "brandId"])


async def _has_owner(session: AsyncSession, brand_id: int) -> bool:
    return bool((await session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM brand_registrations WHERE brand_id = :brand AND status = 'APPROVED')"),
        {"brand": brand_id})).scalar())


async def _brand_by_slug(session: AsyncSession, slug: str) -> int | None:
    return (await session.execute(text("SELECT id FROM brands WHERE slug = :slug"), {"slug": slug})).scalar()


async def register(session: AsyncSession, principal: Principal, *, brand_id: int | None, brand_name: str | None,
                   trademark_number: str, evidence_url: str | None) -> BrandRegistration:
    """Apply to own an existing brand (`brand_id`) or a new one (`brand_name`, 2-120
    characters); exactly one of the two."""
    account_id = principal.require_signed_in()
    if (brand_id is None) == (brand_name is None):
        raise InvalidInput("Give either brandId (an existing brand) or brandName (a new brand).",
                           field=["input", "brandId"])
    trademark = rules.trademark_number(trademark_number, ["input", "trademarkNumber"])
    evidence = None if evidence_url is None else rules.https_url(evidence_url, ["input", "evidenceUrl"])
    if brand_id is not None:
        exists = (await session.execute(text("SELECT id FROM brands WHERE id = :id"),
                                        {"id": brand_id})).scalar()
        if exists is None:
            raise NotFound("No such brand.", field=["input", "brandId"])
        if await _has_owner(session, brand_id):
            raise _already_registered()
    else:
        brand_name = rules.name(brand_name, ["input", "brandName"])
        slug = rules.slug(None, brand_name, ["input", "brandName"])
        if await _brand_by_slug(session, slug) is not None:
            raise InvalidInput(f"A brand named like {brand_name!r} exists: register it by its brandId.",
                               code=MarketplaceErrorCode.BRAND_NAME_TAKEN, field=["input", "brandName"])
    try:
        row = (await session.execute(text(
            f"INSERT INTO brand_registrations (account_id, brand_id, brand_name, trademark_number, evidence_url)"
            f" VALUES (:account, :brand, :name, :trademark, :evidence) RETURNING {_COLUMNS}"),
            {"account": account_id, "brand": brand_id, "name": brand_name, "trademark": trademark,
             "evidence": evidence})).one()
    except IntegrityError as error:
        if "uq_brand_registrations_pending" in str(error.orig):
            raise DomainError("You already have a registration of this brand waiting for a decision.",
                              code=MarketplaceErrorCode.REGISTRATION_PENDING) from None
        raise
    return BrandRegistration(*row)


async def _locked_pending(session: AsyncSession, registration_id: int) -> BrandRegistration:
    row = (await session.execute(text(f"SELECT {_COLUMNS} FROM brand_registrations WHERE id = :id FOR UPDATE"),
                                 {"id": registration_id})).one_or_none()
    if row is None:
        raise NotFound("No such brand registration.", field=["input", "registrationId"])
    registration = BrandRegistration(*row)
    if registration.status != ApplicationStatus.PENDING:
        raise DomainError(f"The registration was already {registration.status.lower()}.", code=MarketplaceErrorCode.NOT_PENDING,
                          field=["input", "registrationId"])
    return registration


async def approve(session: AsyncSession, principal: Principal, registration_id: int) -> BrandRegistration:
    """Administrators only: make the applicant the brand's owner, creating the brand first when
    the registration names a new one, and e-mail them."""
    principal.require_admin()
    registration = await _locked_pending(session, registration_id)
    brand_id = registration.brand_id
    if brand_id is None:
        slug = rules.slug(None, registration.brand_name, ["input", "registrationId"])
        brand_id = (await session.execute(text(
            "INSERT INTO brands (name, slug) VALUES (:name, :slug) ON CONFLICT (slug) DO NOTHING RETURNING id"),
            {"name": registration.brand_name, "slug": slug})).scalar()
        if brand_id is None:
            raise InvalidInput("A brand of this name was created since the registration was filed; reject it so"
                               " the applicant can register that brand.", code=MarketplaceErrorCode.BRAND_NAME_TAKEN,
                               field=["input", "registrationId"])
    else:
        # Serialize approvals of one brand: the second sees the first's approval.
        await session.execute(text("SELECT 1 FROM brands WHERE id = :id FOR NO KEY UPDATE"), {"id": brand_id})
        if await _has_owner(session, brand_id):
            raise _already_registered()
    await identity.grant(session, registration.account_id, "BRAND_OWNER", brand_id=brand_id)
    row = (await session.execute(text(
        f"UPDATE brand_registrations SET status = 'APPROVED', brand_id = :brand, decided_by = :admin,"
        f" decided_at = now() WHERE id = :id RETURNING {_COLUMNS}"),
        {"brand": brand_id, "admin": principal.account_id, "id": registration_id})).one()
    email = await identity.email_of(session, registration.account_id)
    if email is not None:
        brand_name = (await session.execute(text("SELECT name FROM brands WHERE id = :id"), {"id": brand_id})).scalar()
        await jobs.send_email(session, to=email, template="brand_registration_approved",
                              context={"brandName": brand_name})
    return BrandRegistration(*row)


async def reject(session: AsyncSession, principal: Principal, registration_id: int,
                 reason: str) -> BrandRegistration:
    """Administrators only: refuse the registration with a reason (1-1000 characters)."""
    principal.require_admin()
    reason = rules.reason(reason, ["input", "reason"])
    registration = await _locked_pending(session, registration_id)
    row = (await session.execute(text(
        f"UPDATE brand_registrations SET status = 'REJECTED', reason = :reason, decided_by = :admin,"
        f" decided_at = now() WHERE id = :id RETURNING {_COLUMNS}"),
        {"reason": reason, "admin": principal.account_id, "id": registration_id})).one()
    email = await identity.email_of(session, registration.account_id)
    if email is not None:
        await jobs.send_email(session, to=email, template="brand_registration_rejected", context={"reason": reason})
    return BrandRegistration(*row)


async def registrations_by_ids(reader: Reader, principal: Principal,
                               ids: Sequence[int]) -> dict[int, BrandRegistration]:
    """Registrations the caller may see: their own, or any for an administrator."""
    if not principal.signed_in:
        return {}
    rows = await reader.fetch(
        f"SELECT {_COLUMNS} FROM brand_registrations WHERE id = ANY($1::bigint[]) AND ($2 OR account_id = $3)",
        list(ids), principal.is_admin, principal.account_id)
    return {r["id"]: BrandRegistration(*r) for r in rows}


async def my_registrations(reader: Reader, principal: Principal, page: PageRequest) -> Page[BrandRegistration]:
    """The caller's own registrations, newest first."""
    account_id = principal.require_signed_in()
    return await repository.paged(reader, BrandRegistration,
                                  f"SELECT {_COLUMNS} FROM brand_registrations WHERE account_id = $1",
                                  "id DESC", page, account_id)


async def registrations(reader: Reader, principal: Principal, status: str | None,
                        page: PageRequest) -> Page[BrandRegistration]:
    """Administrators only: registrations in a status (all when None), oldest first."""
    principal.require_admin()
    return await repository.paged(reader, BrandRegistration,
                                  f"SELECT {_COLUMNS} FROM brand_registrations"
                                  " WHERE $1::application_status IS NULL OR status = $1::application_status",
                                  "id", page, status)
