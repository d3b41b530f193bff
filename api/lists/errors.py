"""The list mutations' error type and codes, and the helpers every list mutation shares."""
from __future__ import annotations

from typing import Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.enums import error_codes
from api.core.error_codes import UserErrorCode
from api.core.errors import UserError
from api.core.mutations import run
from domain.lists import errors as list_errors

ListErrorCode = error_codes(list_errors.ListErrorCode, description="""Stable codes of list `userErrors` (a refused mutation changes nothing):
INVALID (a blank name, an empty or oversized batch, a value in the wrong place), NOT_FOUND (no such list or item of yours,
or no such product on sale: another customer's list does not exist for an edit, whatever its visibility), TOO_LONG (a
name, description or note over its limit), INVALID_QUANTITY (a quantity outside 1-999), LIST_FULL (a list holds at most
10,000 items: see `itemLimit`), TOO_MANY_LISTS (at most 200 lists), NOT_LIST_OWNER (a household member may change a
shopping list's items, not rename, share, delete it or invite), NOT_SHOPPING_LIST (check-off, households and sync are for
shopping lists), WISH_LIST_FIXED (the wish list is made on first use and keeps its name), EMAIL_INVALID, INVITATION_INVALID
(an invitation unknown, used, expired, or for another address: never told apart), HOUSEHOLD_FULL (at most 10 members and
20 waiting invitations), SYNC_TOKEN_INVALID (sync again with since: null), and the cart's own CART_FULL, QUANTITY_LIMIT,
QUANTITY_UNAVAILABLE when moving items to it.""")


@strawberry.type(description="Why a list mutation failed.")
class ListError(UserError):
    code: UserErrorCode = ListErrorCode.field()
    item_limit: Optional[int] = strawberry.field(default=None, description="With LIST_FULL: the most items a list holds.")


def list_id(global_id: str, field: str = "input.listId") -> int:
    return ids.decode_as(global_id, "List", field)


def item_ids(global_ids: list[str], field: str = "input.itemIds") -> list[int]:
    return [ids.decode_as(g, "ListItem", field) for g in global_ids]


async def run_list(info: Info, use_case):
    return await run(info, use_case, ListError, ListErrorCode)


