"""The `List`, `ListItem` and `ListEntry` types, and the result types of sync and moving to the cart."""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core.arguments import After, First
from api.core.node import Node, node_id
from api.core.pagination import Connection, connection, page_request
from api.core.scalars import UUID
from api.lists.enums import ListChangeOutcome, ListKind, ListVisibility, MoveSkipReason
from domain.lists import entities

if TYPE_CHECKING:
    from api.catalogue.types import Product, Work
    from api.profiles.types import Profile


@strawberry.type(description="A product on a list, with its quantity, note and (on a shopping list) check-off.")
class ListItem(Node):
    id: strawberry.ID = node_id("ListItem")
    key: UUID = strawberry.field(description="The item's key as devices know it (made by the device that added it, or by the server): `syncShoppingList` changes name items by it.")
    quantity: int = strawberry.field(description="How many (1-999).")
    note: str = strawberry.field(description="A note, plain text (at most 500 characters); empty when none.")
    checked: bool = strawberry.field(description="Whether it is checked off (shopping lists).")
    checked_at: Optional[datetime.datetime] = strawberry.field(description="When it was checked off (UTC); null when it is not.")
    created_at: datetime.datetime = strawberry.field(description="When it was added (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.ListItem)

    @strawberry.field(description="Whether it was removed from the list: only sync answers return removed items, for devices to delete them.")
    def removed(self) -> bool:
        return self.removed_at is not None

    @strawberry.field(description="The product (one format of a work: the item keeps the format chosen).")
    async def product(self, info: Info) -> Optional[Annotated["Product", strawberry.lazy("api.catalogue.types")]]:
        return await info.context.loaders.product_by_id.load(self.product_id)


@strawberry.type(description="One line of a list's page: a work once, with every format of it on the list, or a product that is no work's format.")
class ListEntry:
    items: list[ListItem] = strawberry.field(description="The list's items of this work (its formats), or the one item, in the order added.")
    work_id: strawberry.Private[Optional[int]] = None

    @strawberry.field(description="The work whose formats these are; null for a product of no work (e.g. groceries).")
    async def work(self, info: Info) -> Optional[Annotated["Work", strawberry.lazy("api.catalogue.types")]]:
        if self.work_id is None:
            return None
        return await info.context.loaders.work_by_id.load(self.work_id)

    @strawberry.field(description="The first format of it added to the list.")
    async def product(self, info: Info) -> Optional[Annotated["Product", strawberry.lazy("api.catalogue.types")]]:
        return await info.context.loaders.product_by_id.load(self.items[0].product_id)


def _entry(value: entities.ListEntry) -> ListEntry:
    return ListEntry(items=value.items, work_id=value.work_id)


@strawberry.type(name="List", description="A customer's list: their wish list, a named list or a shopping list. Seen by its owner and (a shopping list) its household; a PUBLIC one by anyone on its page (`list(id:)`); a SHARED one by anyone holding its link (`sharedList(token:)`).")
class CustomerList(Node):
    id: strawberry.ID = node_id("List")
    name: str = strawberry.field(description="Its name, plain text (1-100 characters).")
    description: str = strawberry.field(description="Its description, plain text (at most 1,000 characters); empty when none.")
    item_count: int = strawberry.field(description="How many items it holds (each format counts; at most 10,000).")
    created_at: datetime.datetime = strawberry.field(description="When it was made (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When it or its items last changed (UTC).")
    viewer_is_owner: bool = strawberry.field(description="Whether you own it (false for a household member and for everyone else).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.CustomerList)

    @strawberry.field(description="The owner's public profile; null when it is not shown to you (a private profile, or its owner blocked you).")
    async def owner(self, info: Info) -> Optional[Annotated["Profile", strawberry.lazy("api.profiles.types")]]:
        return await info.context.loaders.profile_by_id.load(self.account_id)

    @strawberry.field(description="What the list is for.")
    def kind(self) -> ListKind:
        return ListKind(self.kind)

    @strawberry.field(description="Who sees it.")
    def visibility(self) -> ListVisibility:
        return ListVisibility(self.visibility)

    @strawberry.field(description="The list's page: each work once (with every format of it on the list), then products of no work, in the order first added. Page size 1-100 (default 20); `totalCount` counts entries.")
    async def entries(self, info: Info, first: First = None, after: After = None) -> Connection[ListEntry]:
        page = await info.context.loaders.list_entries_by_list_id.load((self.id, page_request(first, after)))
        page.items = [_entry(e) for e in page.items]
        return connection(page)

    @strawberry.field(description="The items one by one (every format its own item), in the order added. Page size 1-100 (default 20).")
    async def items(self, info: Info, first: First = None, after: After = None) -> Connection[ListItem]:
        return connection(await info.context.loaders.list_items_by_list_id.load((self.id, page_request(first, after))))


@strawberry.type(description="What became of one change sent to `syncShoppingList`.")
class ListChangeResult:
    change_id: UUID = strawberry.field(description="The change's id, as sent.")
    key: UUID = strawberry.field(description="The item it went to: the key sent, or with MERGED the key of the item already on the list (adopt it).")
    outcome: ListChangeOutcome = strawberry.field(description="What became of it.")


@strawberry.type(description="Items of a shopping list changed since a device's last sync, and the token to pass next time.")
class ShoppingListSyncPage:
    items: list[ListItem] = strawberry.field(description="Every item changed after `since` (from the beginning when null), removed ones included (`removed: true`), in the order of their changes: store these.")
    sync_token: str = strawberry.field(description="Pass it as `since` next time: the answer then starts after these changes.")


@strawberry.type(description="An item left on its list by `moveListItemsToCart`, and why.")
class SkippedListItem:
    item: ListItem = strawberry.field(description="The item, still on its list.")
    reason: MoveSkipReason = strawberry.field(description="Why it did not go to the cart.")
