"""Households: customers sharing one shopping list.

The owner invites by e-mail; the platform sends the invitation (through the outbox, after
commit) whether or not an account uses the address, and the answer is the same either way, so
inviting never tells the owner who has an account. The invitee accepts signed in, with the
token from the e-mail, as the account of the invited address: a token that is unknown, used,
expired or presented by another account is INVITATION_INVALID, the same in every case. Members
then read, edit and sync the list's items like its owner; only the owner renames, shares,
deletes it or invites. A household has at most `MAX_MEMBERS` members besides its owner, and an
invitation is good for `INVITATION_DAYS` days."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity import service as identity
from domain.jobs import service as jobs
from domain.lists.access import open_list
from domain.lists.errors import ListErrorCode
from domain.shared import clock
from domain.shared.config import Settings
from domain.shared.errors import DomainError
from domain.shared.principal import Principal

MAX_MEMBERS = 10
INVITATION_DAYS = 7
# Open invitations one list may have at once (an inbox is not a target).
MAX_OPEN_INVITATIONS = 20
_PREFIX = "li_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def invite_to_shopping_list(session: AsyncSession, principal: Principal, settings: Settings, list_id: int,
                                  email: str) -> int:
    """Invites `email` to the caller's shopping list (owner only): queues the e-mail with the link
    and returns the list's id. Inviting an address again sends a new link."""
    email = identity.normalize_email(email, ["input", "email"])
    lst = await open_list(session, principal, list_id, owner_only=True)
    if not lst.is_shopping:
        raise DomainError("Only a shopping list is shared with a household.", code=ListErrorCode.NOT_SHOPPING_LIST,
                          field=["input", "listId"])
    counts = (await session.execute(text(
        "SELECT (SELECT count(*) FROM list_members WHERE list_id = :l),"
        " (SELECT count(*) FROM list_invitations WHERE list_id = :l AND accepted_at IS NULL AND expires_at > now())"),
        {"l": list_id})).one()
    if counts[0] >= MAX_MEMBERS:
        raise DomainError(f"A household has at most {MAX_MEMBERS} members besides its owner.",
                          code=ListErrorCode.HOUSEHOLD_FULL, field=["input", "listId"])
    if counts[1] >= MAX_OPEN_INVITATIONS:
        raise DomainError(f"At most {MAX_OPEN_INVITATIONS} invitations may wait for an answer at once.",
                          code=ListErrorCode.HOUSEHOLD_FULL, field=["input", "listId"])
    token = _PREFIX + secrets.token_urlsafe(32)
    await session.execute(text(
        "INSERT INTO list_invitations (list_id, email, token_hash, invited_by, expires_at)"
        " VALUES (:l, :e, :h, :a, :x)"),
        {"l": list_id, "e": email, "h": _digest(token), "a": principal.account_id,
         "x": clock.now() + timedelta(days=INVITATION_DAYS)})
    inviter = (await session.execute(text("SELECT display_name FROM accounts WHERE id = :a"),
                                     {"a": principal.account_id})).scalar()
    await jobs.send_email(session, to=email, template="shopping_list_invitation",
                          context={"inviterName": inviter, "listName": lst.name, "days": INVITATION_DAYS},
                          secrets={"token": token, "url": f"{settings.public_url}/lists/join?token={token}"})
    return list_id


async def accept_shopping_list_invitation(session: AsyncSession, principal: Principal, token: str) -> int:
    """Joins the household of the invitation's list; returns the list's id. Accepting again (a
    retry) answers the same."""
    account_id = principal.require_signed_in()
    invalid = DomainError("This invitation is not valid for your account: it expired, was used, or was sent to "
                          "another address.", code=ListErrorCode.INVITATION_INVALID, field=["input", "token"])
    if not isinstance(token, str) or not token.startswith(_PREFIX) or len(token) > 100:
        raise invalid
    found = (await session.execute(text(
        "SELECT i.id, i.list_id, i.accepted_by, i.expires_at > now() AS live, l.account_id AS owner"
        " FROM list_invitations i JOIN lists l ON l.id = i.list_id JOIN accounts a ON a.id = :a"
        " WHERE i.token_hash = :h AND i.email = a.email FOR UPDATE OF i"),
        {"h": _digest(token), "a": account_id})).first()
    if found is None:
        raise invalid
    if found.accepted_by is not None:
        if found.accepted_by == account_id:
            return found.list_id
        raise invalid
    if not found.live or found.owner == account_id:
        raise invalid
    await session.execute(text("SELECT 1 FROM lists WHERE id = :l FOR UPDATE"), {"l": found.list_id})
    members = (await session.execute(text("SELECT count(*) FROM list_members WHERE list_id = :l"),
                                     {"l": found.list_id})).scalar()
    if members >= MAX_MEMBERS:
        raise DomainError(f"A household has at most {MAX_MEMBERS} members besides its owner.",
                          code=ListErrorCode.HOUSEHOLD_FULL, field=["input", "token"])
    await session.execute(text(
        "INSERT INTO list_members (list_id, account_id) VALUES (:l, :a) ON CONFLICT DO NOTHING"),
        {"l": found.list_id, "a": account_id})
    await session.execute(text("UPDATE list_invitations SET accepted_at = now(), accepted_by = :a WHERE id = :i"),
                          {"i": found.id, "a": account_id})
    return found.list_id
