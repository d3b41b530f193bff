"""Roles beyond customer. Other contexts grant them (an approved seller application makes
staff, an approved brand registration makes an owner) through `domain.identity.service`."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import emails, passwords
from domain.shared.config import Settings
from domain.shared.errors import InvalidInput
from domain.shared.principal import Principal


async def grant(session: AsyncSession, account_id: int, role: str, *, seller_id: int | None = None,
                brand_id: int | None = None) -> None:
    await session.execute(text(
        "INSERT INTO role_grants (account_id, role, seller_id, brand_id)"
        " VALUES (:account, CAST(:role AS account_role), :seller, :brand) ON CONFLICT DO NOTHING"),
        {"account": account_id, "role": role, "seller": seller_id, "brand": brand_id})


async def revoke(session: AsyncSession, account_id: int, role: str, *, seller_id: int | None = None,
                 brand_id: int | None = None) -> None:
    await session.execute(text(
        "DELETE FROM role_grants WHERE account_id = :account AND role = CAST(:role AS account_role)"
        " AND seller_id IS NOT DISTINCT FROM :seller AND brand_id IS NOT DISTINCT FROM :brand"),
        {"account": account_id, "role": role, "seller": seller_id, "brand": brand_id})


async def create_admin(session: AsyncSession, settings: Settings, email: str, password: str,
                       display_name: str = "Administrator") -> tuple[int, bool]:
    """Makes `email` an administrator: a new account with this password, or (keeping its
    password) an existing one. Returns (account id, created)."""
    email = emails.normalize(email)
    existing = (await session.execute(text("SELECT id FROM accounts WHERE email = :email"), {"email": email})).scalar()
    created = existing is None
    if created:
        passwords.check_policy(password, email)
        existing = (await session.execute(text(
            "INSERT INTO accounts (email, display_name, password_hash) VALUES (:email, :name, :hash) RETURNING id"),
            {"email": email, "name": display_name,
             "hash": await passwords.hash_password(settings, password)})).scalar()
    if existing is None:
        raise InvalidInput("Could not create the account.")
    await grant(session, existing, "ADMIN")
    return existing, created


async def principal_for_account(session: AsyncSession, account_id: int) -> Principal | None:
    """The account's principal with its roles as they are now, for work done on its behalf
    without a session (a webhook's payload, rendered with its owner's rights); None for an
    account that no longer exists."""
    row = (await session.execute(text(
        "SELECT a.id, coalesce(bool_or(g.role = 'ADMIN'), false) AS is_admin,"
        " coalesce(array_agg(g.seller_id) FILTER (WHERE g.role = 'SELLER_STAFF'), '{}') AS seller_ids,"
        " coalesce(array_agg(g.brand_id) FILTER (WHERE g.role = 'BRAND_OWNER'), '{}') AS brand_ids"
        " FROM accounts a LEFT JOIN role_grants g ON g.account_id = a.id WHERE a.id = :id GROUP BY a.id"),
        {"id": account_id})).first()
    if row is None:
        return None
    return Principal(row.id, None, row.is_admin, frozenset(row.seller_ids), frozenset(row.brand_ids))
