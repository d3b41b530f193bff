"""Opening a list for a change: the caller's own list, or a shopping list of their household,
locked for the rest of the transaction, with the number its changes will take.

Another customer's list does not exist for an edit (NOT_FOUND, whatever its visibility), so an
edit never tells a stranger that a list id is real. Household members may change a shopping
list's items; only its owner may rename, share, delete it or invite."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import outbox
from domain.events.kinds import EventKind
from domain.lists.entities import CustomerList
from domain.lists.errors import ListErrorCode
from domain.lists.repository import LIST_COLUMNS, list_of
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal

_LOCK = text(
    f"SELECT {LIST_COLUMNS}, EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = l.id AND m.account_id = :a)"
    " FROM lists l WHERE l.id = :l FOR UPDATE")
_NEXT = text("UPDATE lists SET last_seq = last_seq + 1, updated_at = now() WHERE id = :l"
             " RETURNING last_seq, account_id, kind = 'SHOPPING'")


def not_found(field: list[str]) -> NotFound:
    return NotFound("No such list of yours.", code=ListErrorCode.NOT_FOUND, field=field)


async def open_list(session: AsyncSession, principal: Principal, list_id: int, *, owner_only: bool = False,
                    field: list[str] | None = None) -> CustomerList:
    """The list, locked, when the caller owns it or (unless `owner_only`) shares it as a
    household member; NOT_FOUND for anyone else, NOT_LIST_OWNER for a member where only the
    owner may act."""
    account_id = principal.require_signed_in()
    field = field or ["input", "listId"]
    row = (await session.execute(_LOCK, {"l": list_id, "a": account_id})).first()
    if row is None:
        raise not_found(field)
    found = list_of(row, viewer_id=account_id)
    found.viewer_is_member = row[-1]
    if not found.viewer_is_owner and not found.viewer_is_member:
        raise not_found(field)
    if owner_only and not found.viewer_is_owner:
        raise DomainError("Only the list's owner can do this.", code=ListErrorCode.NOT_LIST_OWNER, field=field)
    return found


async def next_seq(session: AsyncSession, list_id: int) -> int:
    """The number of this transaction's changes to the list (call once, with the list locked);
    a shopping list's change is announced (`shopping_list.changed`) to its owner and household."""
    seq, owner, shopping = (await session.execute(_NEXT, {"l": list_id})).one()
    if shopping:
        await outbox.publish(session, EventKind.SHOPPING_LIST_CHANGED, list_id, customer_id=owner, data={"seq": seq})
    return seq
