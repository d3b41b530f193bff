"""Share links: an unguessable token that shows one list to whoever holds it, until revoked.

Only the token's SHA-256 is stored; the token is shown once, to the owner, when made. Sharing
again makes a new link (the old one stops working). Revoking ends the link and makes the list
PRIVATE; from then on the link gets SHARE_LINK_INVALID, exactly like a link that never existed,
so it reveals nothing (not even that the list is still there)."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.lists import repository, visibility
from domain.lists.access import open_list
from domain.lists.entities import CustomerList
from domain.lists.errors import ListQueryErrorCode
from domain.shared.db import Reader
from domain.shared.errors import DomainError, InvalidInput
from domain.shared.principal import Principal

_PREFIX = "sl_"
MAX_TOKEN = 100


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def share_list(session: AsyncSession, principal: Principal, list_id: int) -> tuple[int, str]:
    """Makes the caller's list SHARED under a new link; returns (list id, token)."""
    await open_list(session, principal, list_id, owner_only=True)
    token = _PREFIX + secrets.token_urlsafe(32)
    await session.execute(text(
        "UPDATE lists SET visibility = 'SHARED', share_token_hash = :h, last_seq = last_seq + 1, updated_at = now()"
        " WHERE id = :l"), {"l": list_id, "h": digest(token)})
    return list_id, token


async def revoke_list_share_link(session: AsyncSession, principal: Principal, list_id: int) -> int:
    """Ends the list's link and makes it PRIVATE. A list without a link: nothing changes."""
    lst = await open_list(session, principal, list_id, owner_only=True)
    if lst.visibility != "SHARED":
        return list_id
    await session.execute(text(
        "UPDATE lists SET visibility = 'PRIVATE', share_token_hash = NULL, last_seq = last_seq + 1,"
        " updated_at = now() WHERE id = :l"), {"l": list_id})
    return list_id


def _invalid() -> DomainError:
    return InvalidInput("This link does not open a list: it was revoked or never existed.",
                        code=ListQueryErrorCode.SHARE_LINK_INVALID, field=["token"])


async def shared_list(reader: Reader, principal: Principal, token: str) -> CustomerList:
    """The list a live share link opens; SHARE_LINK_INVALID for a revoked, unknown or malformed
    link, the same in every case."""
    if not isinstance(token, str) or not token.startswith(_PREFIX) or len(token) > MAX_TOKEN:
        raise _invalid()
    found = await repository.list_by_share_hash(reader, digest(token))
    if found is None:
        raise _invalid()
    viewer = principal.account_id
    owners = await visibility.public_owners_visible_to(reader, viewer, [found.account_id])
    if not visibility.may_view_list(viewer, found.account_id, found.visibility, is_member=False,
                                    owner_visible=found.account_id in owners, through_link=True):
        raise _invalid()
    found.viewer_is_owner = viewer == found.account_id
    return found


