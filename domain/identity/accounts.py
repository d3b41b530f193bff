"""Customer accounts: registration, password change and reset, and who may read an account."""
from __future__ import annotations

import unicodedata
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import emails, passwords, sessions, throttle, tokens
from domain.identity.entities import Account, ClientInfo, SignedIn
from domain.identity.errors import IdentityErrorCode
from domain.jobs import service as jobs
from domain.shared import clock
from domain.shared.config import Settings
from domain.shared.db import Reader
from domain.shared.errors import InvalidInput
from domain.shared.principal import Principal

COLUMNS = "id, email::text, display_name, created_at"
MAX_DISPLAY_NAME = 100


def _display_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= MAX_DISPLAY_NAME or any(unicodedata.category(c) == "Cc" for c in name):
        raise InvalidInput(f"A name has 1 to {MAX_DISPLAY_NAME} characters, without control characters.",
                           code=IdentityErrorCode.DISPLAY_NAME_INVALID, field=["input", "displayName"])
    return name


async def register(session: AsyncSession, settings: Settings, email: str, password: str, display_name: str) -> None:
    """Creates a customer account. The answer is the same whether or not the e-mail already
    has an account (no enumeration): both paths hash the password and send one e-mail, a
    welcome to a new customer, a "you already have an account" note to an existing one."""
    email = emails.normalize(email)
    passwords.check_policy(password, email)
    display_name = _display_name(display_name)
    await _create(session, settings, email, await passwords.hash_password(settings, password), display_name)


async def register_hashed(session: AsyncSession, settings: Settings, email: str, password_hash: str,
                          display_name: str) -> None:
    """`register` for a password hashed beforehand with the configured Argon2 parameters (a
    hash made otherwise is refused), so that many accounts can share one hash: the test suite
    makes hundreds, and each hash costs tens of milliseconds of CPU. The account, its e-mail
    and the answer are as `register` leaves them; the password policy was the hasher's to check."""
    if passwords.needs_rehash(settings, password_hash):
        raise ValueError("not an Argon2 hash made with the configured parameters")
    await _create(session, settings, emails.normalize(email), password_hash, _display_name(display_name))


async def change_display_name(session: AsyncSession, account_id: int, display_name: str) -> str:
    """Renames the account (the name its reviews, answers and public profile show): 1-100
    characters without control characters, inner whitespace collapsed. Returns the name as stored."""
    display_name = _display_name(display_name)
    await session.execute(text("UPDATE accounts SET display_name = :name, updated_at = now() WHERE id = :id"),
                          {"name": display_name, "id": account_id})
    return display_name


async def _create(session: AsyncSession, settings: Settings, email: str, password_hash: str,
                  display_name: str) -> None:
    # One statement either way: the new account's id, or the address of the account that has
    # the e-mail already (it matched ignoring case; the note goes to the address on file).
    created, existing = (await session.execute(text(
        "WITH created AS (INSERT INTO accounts (email, display_name, password_hash)"
        " VALUES (:email, :name, :hash) ON CONFLICT (email) DO NOTHING RETURNING id)"
        " SELECT (SELECT id FROM created), (SELECT email::text FROM accounts WHERE email = :email)"),
        {"email": email, "name": display_name, "hash": password_hash})).one()
    if created is not None:
        await jobs.send_email(session, to=email, template="welcome", context={"displayName": display_name})
    else:
        await jobs.send_email(session, to=existing or email, template="account_exists",
                              context={"resetUrl": f"{settings.public_url}/reset-password"},
                              dedupe_key=_once_a_minute("account_exists", email))


def _once_a_minute(template: str, email: str) -> str:
    """A dedupe key that lets one such e-mail per address through per minute, so nobody can
    flood an inbox by repeating a registration or a reset request."""
    return f"{template}:{email.lower()}:{int(clock.now().timestamp() // 60)}"


async def _revoke_all(session: AsyncSession, account_id: int, reason: str) -> None:
    await sessions.revoke_sessions(session, "s.account_id = :account", {"account": account_id}, reason)


async def change_password(session: AsyncSession, settings: Settings, principal: Principal, current: str,
                          new: str, client: ClientInfo) -> SignedIn:
    """The current password proves the caller; every session of the account ends (all old
    tokens fail at once) and the caller gets a fresh session on the same client."""
    account_id = principal.require_signed_in()
    row = (await session.execute(text(
        "SELECT a.email::text, a.password_hash, s.client_kind::text, s.device_name, s.device_id FROM accounts a"
        " JOIN auth_sessions s ON s.account_id = a.id WHERE a.id = :account AND s.id = :sid FOR UPDATE OF a"),
        {"account": account_id, "sid": principal.session_id})).one()
    matches, _ = await passwords.verify_password(settings, row.password_hash, current)
    if not matches:
        raise InvalidInput("The current password is wrong.", code=IdentityErrorCode.WRONG_PASSWORD, field=["input", "currentPassword"])
    passwords.check_policy(new, row.email, ["input", "newPassword"])
    await session.execute(text("UPDATE accounts SET password_hash = :hash, updated_at = now() WHERE id = :id"),
                          {"hash": await passwords.hash_password(settings, new), "id": account_id})
    await _revoke_all(session, account_id, "PASSWORD_CHANGED")
    await jobs.send_email(session, to=row.email, template="password_changed", context={})
    return await sessions.start(session, settings, account_id, row.client_kind, row.device_name, client, row.device_id)


async def request_password_reset(session: AsyncSession, settings: Settings, email: str) -> None:
    """Sends a single-use reset link valid for `password_reset_minutes`. An unknown address
    gets an e-mail saying no account uses it, so the caller learns nothing either way."""
    email = emails.normalize(email)
    account = (await session.execute(text("SELECT id, display_name, email::text FROM accounts WHERE email = :email"),
                                     {"email": email})).one_or_none()
    if account is None:
        await jobs.send_email(session, to=email, template="password_reset_unknown", context={},
                              dedupe_key=_once_a_minute("password_reset_unknown", email))
        return
    recent = (await session.execute(text(
        "SELECT 1 FROM password_reset_tokens WHERE account_id = :account AND created_at > now() - interval '1 minute'"
        " LIMIT 1"), {"account": account.id})).scalar()
    if recent:
        return  # the link sent less than a minute ago is still good; an inbox is not a target
    secret = tokens.new_secret("pr")
    expires_at = clock.now() + timedelta(minutes=settings.password_reset_minutes)
    await session.execute(text(
        "INSERT INTO password_reset_tokens (account_id, token_hash, expires_at) VALUES (:account, :hash, :expires)"),
        {"account": account.id, "hash": tokens.digest(secret), "expires": expires_at})
    await jobs.send_email(session, to=account.email, template="password_reset", context={
        "displayName": account.display_name, "minutes": settings.password_reset_minutes},
        secrets={"token": secret, "url": f"{settings.public_url}/reset-password?token={secret}"})


async def reset_password(session: AsyncSession, settings: Settings, token: str, new: str) -> None:
    """A valid, unexpired, unused reset token sets a new password once; it also spends the
    account's other reset tokens, ends every session, and starts the account's count of failed
    sign-ins over (the password being guessed is gone)."""
    field = ["input", "token"]
    found = (await session.execute(text(
        "SELECT t.id, t.account_id, t.used_at, t.expires_at, a.email::text FROM password_reset_tokens t"
        " JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = :hash FOR UPDATE OF t, a"),
        {"hash": tokens.digest(token)})).one_or_none()
    if found is None or found.used_at is not None:
        raise InvalidInput("This reset link is not valid or was already used; ask for a new one.",
                           code=IdentityErrorCode.RESET_TOKEN_INVALID, field=field)
    if found.expires_at <= clock.now():
        raise InvalidInput("This reset link has expired; ask for a new one.", code=IdentityErrorCode.RESET_TOKEN_EXPIRED, field=field)
    passwords.check_policy(new, found.email, ["input", "newPassword"])
    await session.execute(text("UPDATE accounts SET password_hash = :hash, updated_at = now() WHERE id = :id"),
                          {"hash": await passwords.hash_password(settings, new), "id": found.account_id})
    await session.execute(text("UPDATE password_reset_tokens SET used_at = now() WHERE account_id = :account"
                               " AND used_at IS NULL"), {"account": found.account_id})
    await _revoke_all(session, found.account_id, "PASSWORD_RESET")
    await throttle.clear_account(session, found.email)
    await jobs.send_email(session, to=found.email, template="password_changed", context={})


async def accounts_by_ids(reader: Reader, principal: Principal, ids: list[int]) -> dict[int, Account]:
    """Accounts the caller may see: their own, or any for an administrator. Sellers and brand
    owners never see a customer's account (nor its e-mail)."""
    visible = [i for i in ids if principal.may_see_account(i)]
    if not visible:
        return {}
    rows = await reader.fetch(f"SELECT {COLUMNS} FROM accounts WHERE id = ANY($1::bigint[])", visible)
    return {r[0]: Account(*r) for r in rows}


async def email_of(session: AsyncSession, account_id: int) -> str | None:
    """The account's e-mail address, for other contexts' notifications (sent by the platform;
    never shown to sellers or brands); None for an unknown account."""
    return (await session.execute(text("SELECT email::text FROM accounts WHERE id = :id"), {"id": account_id})).scalar()


async def emails_of(session: AsyncSession, account_ids: list[int]) -> dict[int, str]:
    """The e-mail addresses of many accounts at once (one statement), for notifications the
    platform sends in bulk (brand campaigns); unknown accounts are left out. Never shown to
    sellers or brands."""
    rows = await session.execute(text("SELECT id, email::text FROM accounts WHERE id = ANY(:ids)"),
                                 {"ids": list(account_ids)})
    return {pk: email for pk, email in rows}
