"""Sessions per device: sign in, rotate refresh tokens with reuse detection, sign out.

A session is one refresh-token family (RFC 9700 §4.14): every refresh spends the presented
token and issues the next; presenting a spent token again means two parties hold it, so the
whole session is revoked. Access tokens name their session, and every request checks that the
session is still live, so revoking a session (sign-out, password change) kills its access
tokens at once rather than when they expire."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import passwords, throttle, tokens
from domain.identity.entities import ClientInfo, Session, SignedIn
from domain.identity.errors import IdentityErrorCode
from domain.identity.statuses import ClientKind
from domain.shared import clock
from domain.shared.config import Settings
from domain.shared.db import Reader
from domain.shared.errors import InvalidInput, NotFound, Unauthenticated
from domain.shared.pagination import Page, PageRequest, page_from_rows
from domain.shared.principal import Principal

COLUMNS = ("id, account_id, client_kind::text, device_name, device_id, created_at, last_used_at,"
           " expires_at, revoked_at")
MAX_DEVICE_NAME = 60


def _device_name(name: str, field: list[str]) -> str:
    name = name.strip()
    if len(name) > MAX_DEVICE_NAME:
        raise InvalidInput(f"A device name has at most {MAX_DEVICE_NAME} characters.",
                           code=IdentityErrorCode.DEVICE_NAME_INVALID, field=field)
    return name


async def start(session: AsyncSession, settings: Settings, account_id: int, client_kind: str,
                device_name: str, client: ClientInfo, device_id: int | None = None) -> SignedIn:
    """Opens a session for an authenticated account and issues its first tokens."""
    if client_kind not in set(ClientKind):
        raise InvalidInput("Unknown client kind.", code=IdentityErrorCode.INVALID, field=["input", "clientKind"])
    now = clock.now()
    row = (await session.execute(text(
        "INSERT INTO auth_sessions (account_id, client_kind, device_name, device_id, ip_address, user_agent,"
        " created_at, last_used_at, expires_at)"
        " VALUES (:account, CAST(:kind AS client_kind), :name, :device, CAST(:ip AS inet), :agent, :now, :now,"
        f" :expires) RETURNING {COLUMNS}"),
        {"account": account_id, "kind": client_kind, "name": device_name, "device": device_id,
         "ip": client.inet, "agent": client.user_agent[:300], "now": now,
         "expires": now + timedelta(days=settings.refresh_token_days)})).one()
    return await _issue(session, settings, Session(*row))


async def _issue(session: AsyncSession, settings: Settings, live: Session) -> SignedIn:
    refresh_token = tokens.new_secret("rt")
    await session.execute(text("INSERT INTO refresh_tokens (session_id, token_hash) VALUES (:sid, :hash)"),
                          {"sid": live.id, "hash": tokens.digest(refresh_token)})
    access, expires_at = tokens.issue_access_token(tokens.signing_key(settings), live.account_id, live.id,
                                                   clock.now(), settings.access_token_minutes)
    return SignedIn(live, access, expires_at, refresh_token)


async def sign_in(session: AsyncSession, settings: Settings, email: str, password: str, client_kind: str,
                  device_name: str, client: ClientInfo) -> SignedIn:
    """E-mail and password open a session. Known and unknown e-mails get the same answer
    after the same work (an Argon2 verification), and failures are throttled (see `throttle`)."""
    device_name = _device_name(device_name, ["input", "deviceName"])
    email = email.strip()
    account = (await session.execute(text("SELECT id, password_hash FROM accounts WHERE email = :email"),
                                     {"email": email})).one_or_none()
    await throttle.check(session, client.ip, email, account.id if account is not None else None)
    if account is None:
        await passwords.spend_verification(settings, password)
        matches = rehash = False
    else:
        matches, rehash = await passwords.verify_password(settings, account.password_hash, password)
    if not matches:
        await throttle.record_failure(session, client.ip, email)
        raise InvalidInput("The e-mail address or the password is wrong.", code=IdentityErrorCode.INVALID_CREDENTIALS,
                           keep_changes=True)
    if rehash:
        await session.execute(text("UPDATE accounts SET password_hash = :hash WHERE id = :id"),
                              {"hash": await passwords.hash_password(settings, password), "id": account.id})
    await throttle.clear(session, client.ip, email)
    return await start(session, settings, account.id, client_kind, device_name, client)


async def refresh(session: AsyncSession, settings: Settings, refresh_token: str, client: ClientInfo) -> SignedIn:
    """Spends a refresh token for a new pair; a spent token presented again revokes the
    session (the legitimate holder and the thief both lose it, and must sign in again)."""
    found = (await session.execute(text(
        "SELECT rt.id AS token_id, rt.used_at, s.id, s.revoked_at, s.expires_at FROM refresh_tokens rt"
        " JOIN auth_sessions s ON s.id = rt.session_id WHERE rt.token_hash = :hash FOR UPDATE OF rt, s"),
        {"hash": tokens.digest(refresh_token)})).one_or_none()
    field = ["input", "refreshToken"]
    if found is None:
        raise InvalidInput("This refresh token is not valid.", code=IdentityErrorCode.REFRESH_TOKEN_INVALID, field=field)
    if found.revoked_at is not None:
        raise InvalidInput("This session was signed out; sign in again.", code=IdentityErrorCode.SESSION_REVOKED, field=field)
    now = clock.now()
    if found.expires_at <= now:
        raise InvalidInput("This session has expired; sign in again.", code=IdentityErrorCode.SESSION_EXPIRED, field=field)
    if found.used_at is not None:
        await revoke_sessions(session, "s.id = :sid", {"sid": found.id}, "REFRESH_TOKEN_REUSED")
        raise InvalidInput("This refresh token was already used, so the session has been signed out for "
                           "safety; sign in again.", code=IdentityErrorCode.REFRESH_TOKEN_REUSED, field=field, keep_changes=True)
    await session.execute(text("UPDATE refresh_tokens SET used_at = :now WHERE id = :id"),
                          {"now": now, "id": found.token_id})
    row = (await session.execute(text(
        "UPDATE auth_sessions SET last_used_at = :now, expires_at = :expires,"
        " ip_address = coalesce(CAST(:ip AS inet), ip_address)"
        f" WHERE id = :sid RETURNING {COLUMNS}"),
        {"now": now, "expires": now + timedelta(days=settings.refresh_token_days), "ip": client.inet,
         "sid": found.id})).one()
    return await _issue(session, settings, Session(*row))


async def revoke_sessions(session: AsyncSession, where: str, params: dict, reason: str) -> int:
    result = await session.execute(text(
        f"UPDATE auth_sessions s SET revoked_at = now(), revoked_reason = :reason WHERE {where}"
        " AND s.revoked_at IS NULL"), {**params, "reason": reason})
    return result.rowcount


async def sign_out(session: AsyncSession, principal: Principal) -> None:
    """Ends the caller's own session (its refresh and access tokens stop working)."""
    principal.require_signed_in()
    await revoke_sessions(session, "s.id = :sid", {"sid": principal.session_id}, "SIGNED_OUT")


async def sign_out_everywhere(session: AsyncSession, principal: Principal) -> int:
    """Ends every session of the caller's account, this one included."""
    account_id = principal.require_signed_in()
    return await revoke_sessions(session, "s.account_id = :account", {"account": account_id}, "SIGNED_OUT_EVERYWHERE")


async def revoke(session: AsyncSession, principal: Principal, session_id: uuid.UUID) -> Session:
    """Ends one of the caller's sessions (e.g. a lost phone); other accounts' sessions do not exist
    for the caller."""
    account_id = principal.require_signed_in()
    row = (await session.execute(text(
        f"UPDATE auth_sessions SET revoked_at = coalesce(revoked_at, now()), revoked_reason = coalesce(revoked_reason,"
        f" 'REVOKED') WHERE id = :sid AND account_id = :account RETURNING {COLUMNS}"),
        {"sid": session_id, "account": account_id})).one_or_none()
    if row is None:
        raise NotFound("No such session.", field=["input", "sessionId"])
    return Session(*row)


async def active_sessions(reader: Reader, principal: Principal, account_id: int, page: PageRequest) -> Page[Session]:
    """Live sessions of an account, most recently used first (the account itself or an admin)."""
    if not principal.may_see_account(account_id):
        return Page([], page.offset, False)
    rows = await reader.fetch(
        f"SELECT {COLUMNS} FROM auth_sessions WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > now()"
        " ORDER BY last_used_at DESC, id OFFSET $2 LIMIT $3", account_id, page.offset, page.limit + 1)
    return page_from_rows([Session(*r) for r in rows], page)


async def sessions_by_ids(reader: Reader, principal: Principal, ids: list[uuid.UUID]) -> dict[uuid.UUID, Session]:
    rows = await reader.fetch(f"SELECT {COLUMNS} FROM auth_sessions WHERE id = ANY($1::uuid[])", list(ids))
    return {r[0]: Session(*r) for r in rows if principal.may_see_account(r[1])}


async def principal_for_token(reader: Reader, settings: Settings, access_token: str) -> Principal:
    """The principal an access token speaks for, with its roles, if its session is still live."""
    claims = tokens.read_access_token(tokens.signing_key(settings), access_token)
    row = await reader.fetchrow(
        "SELECT s.account_id,"
        " coalesce(bool_or(g.role = 'ADMIN'), false) AS is_admin,"
        " coalesce(array_agg(g.seller_id) FILTER (WHERE g.role = 'SELLER_STAFF'), '{}') AS seller_ids,"
        " coalesce(array_agg(g.brand_id) FILTER (WHERE g.role = 'BRAND_OWNER'), '{}') AS brand_ids"
        " FROM auth_sessions s LEFT JOIN role_grants g ON g.account_id = s.account_id"
        " WHERE s.id = $1 AND s.account_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()"
        " GROUP BY s.account_id", claims.session_id, claims.account_id)
    if row is None:
        raise Unauthenticated("This session has been signed out; sign in again.", code=IdentityErrorCode.SESSION_REVOKED)
    return Principal(row["account_id"], claims.session_id, row["is_admin"], frozenset(row["seller_ids"]),
                     frozenset(row["brand_ids"]))


async def count_active_sessions(reader: Reader, principal: Principal, account_id: int) -> int:
    if not principal.may_see_account(account_id):
        return 0
    row = await reader.fetchrow("SELECT count(*) FROM auth_sessions WHERE account_id = $1 AND revoked_at IS NULL"
                                " AND expires_at > now()", account_id)
    return row[0]
