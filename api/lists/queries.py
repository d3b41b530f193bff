"""List root fields: a list's page by id, a shared list by its link, and a device's read-only sync."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import After, First
from api.core.pagination import Connection, connection, page_request
from api.lists.enums import ListKind
from api.lists.types import CustomerList, ShoppingListSyncPage
from domain.identity import tokens
from domain.lists import service as lists

ListIdArg = Annotated[strawberry.ID, strawberry.argument(description="Global ID of a list (`List.id`).")]
TokenArg = Annotated[str, strawberry.argument(description="The token of a list's share link.")]
SinceArg = Annotated[Optional[str], strawberry.argument(description="The `syncToken` of the device's last sync; null for every item.")]
KindArg = Annotated[Optional[ListKind], strawberry.argument(description="Only lists of this kind.")]


@strawberry.type
class ListQuery:
    @strawberry.field(description="A list's page: a PUBLIC list for anyone, any list for its owner and (a shopping list) its household. Null when there is no such list or it is not visible to you (a SHARED list opens only through `sharedList`).")
    async def list(self, info: Info, id: ListIdArg) -> Optional[CustomerList]:
        pk = ids.decode_as(id, "List", "id")
        return await info.context.loaders.list_by_id.load(pk)

    @strawberry.field(description="The list a share link opens, for anyone holding it. A revoked, unknown or malformed link is a top-level error with `extensions.reason` SHARE_LINK_INVALID, the same in every case: it reveals nothing.")
    async def shared_list(self, info: Info, token: TokenArg) -> CustomerList:
        return await lists.shared_list(info.context.reader, await info.context.viewer(), token)

    @strawberry.field(description="A device's read-only sync of a shopping list you own or share: every item changed since `since`, removed ones included, and the token to pass next time (send changes with `syncShoppingList`). A token of another list, forged or malformed, is a top-level error with `extensions.reason` SYNC_TOKEN_INVALID. Requires sign-in.")
    async def shopping_list_sync(self, info: Info, list_id: ListIdArg, since: SinceArg = None) -> ShoppingListSyncPage:
        pk = ids.decode_as(list_id, "List", "listId")
        key = tokens.signing_key(info.context.settings)
        synced = await lists.shopping_list_changes(info.context.reader, await info.context.viewer(), key, pk, since)
        return ShoppingListSyncPage(items=synced.items, sync_token=synced.sync_token)


async def customer_lists(info: Info, account_id: int, kind, first, after) -> Connection[CustomerList]:
    reader, principal = info.context.reader, await info.context.viewer()
    page = await lists.customer_lists(reader, principal, account_id, None if kind is None else kind.value,
                                      page_request(first, after))
    return connection(page)


async def customer_wish_list(info: Info, account_id: int) -> Optional[CustomerList]:
    return await lists.wish_list(info.context.reader, await info.context.viewer(), account_id)


__all__ = ["After", "First", "KindArg", "ListQuery", "customer_lists", "customer_wish_list"]
