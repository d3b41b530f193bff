"""Inputs of the list mutations."""
from __future__ import annotations

from typing import Optional

import strawberry

from api.core.scalars import UUID
from api.lists.enums import ListChangeKind, ListKind, ListVisibility

_PLAIN = " Plain text, shown as written (never as HTML)."


@strawberry.input(description="A new list.")
class CreateListInput:
    name: str = strawberry.field(description=f"Its name, 1-100 characters, no control characters.{_PLAIN}")
    kind: ListKind = strawberry.field(default=ListKind.NAMED, description="NAMED (default) or SHOPPING; your wish list is made when you first add to it (WISH_LIST_FIXED here).")
    description: str = strawberry.field(default="", description=f"At most 1,000 characters.{_PLAIN}")
    visibility: ListVisibility = strawberry.field(default=ListVisibility.PRIVATE, description="PRIVATE (default) or PUBLIC; share by link with `shareList`.")


@strawberry.input(description="Changes to your list; fields left out stay as they are.")
class UpdateListInput:
    list_id: strawberry.ID = strawberry.field(description="Global ID of your list (owner only: NOT_LIST_OWNER for a household member).")
    name: Optional[str] = strawberry.field(default=None, description=f"A new name, 1-100 characters (not for the wish list: WISH_LIST_FIXED).{_PLAIN}")
    description: Optional[str] = strawberry.field(default=None, description=f"A new description, at most 1,000 characters.{_PLAIN}")
    visibility: Optional[ListVisibility] = strawberry.field(default=None, description="PRIVATE or PUBLIC (either ends a SHARED list's link); SHARED is set by `shareList`.")


@strawberry.input(description="A list of yours.")
class ListIdInput:
    list_id: strawberry.ID = strawberry.field(description="Global ID of your list.")


@strawberry.input(description="A product to add to a list.")
class ListItemInput:
    product_id: strawberry.ID = strawberry.field(description="Global ID of a product on sale (a format: the item keeps it).")
    quantity: int = strawberry.field(default=1, description="How many, 1-999 (added to the item's quantity when the product is on the list already, up to 999).")
    note: str = strawberry.field(default="", description=f"A note, at most 500 characters (replaces the item's note when not empty).{_PLAIN}")


@strawberry.input(description="Products to add to a list.")
class AddListItemsInput:
    items: list[ListItemInput] = strawberry.field(description="1 to 500 products, each once.")
    list_id: Optional[strawberry.ID] = strawberry.field(default=None, description="Global ID of your list or of a household's shopping list; leave it out for your wish list (made now if you have none).")


@strawberry.input(description="Items to act on, all of one list.")
class ListItemIdsInput:
    item_ids: list[strawberry.ID] = strawberry.field(description="1 to 500 global IDs of items (`ListItem.id`) of one list you may change.")


@strawberry.input(description="Items to check off (or back on), all of one shopping list.")
class CheckOffListItemsInput:
    item_ids: list[strawberry.ID] = strawberry.field(description="1 to 500 global IDs of items of one shopping list you may change.")
    checked: bool = strawberry.field(default=True, description="True (default) checks them off; false puts them back on.")


@strawberry.input(description="New quantity and/or note of an item; fields left out stay as they are.")
class ListItemChangeInput:
    item_id: strawberry.ID = strawberry.field(description="Global ID of the item.")
    quantity: Optional[int] = strawberry.field(default=None, description="How many, 1-999.")
    note: Optional[str] = strawberry.field(default=None, description=f"The note, at most 500 characters (empty clears it).{_PLAIN}")


@strawberry.input(description="Changes to items of one list.")
class UpdateListItemsInput:
    items: list[ListItemChangeInput] = strawberry.field(description="1 to 500 changes, each item once, all of one list.")


@strawberry.input(description="An invitation to your shopping list's household.")
class InviteToShoppingListInput:
    list_id: strawberry.ID = strawberry.field(description="Global ID of your shopping list (owner only).")
    email: str = strawberry.field(description="The e-mail address to invite; the platform sends the invitation, whether or not an account uses it.")


@strawberry.input(description="An invitation to accept.")
class AcceptShoppingListInvitationInput:
    token: str = strawberry.field(description="The code from the invitation e-mail; you must be signed in as the invited address.")


@strawberry.input(description="One change a device made to a shopping list (maybe while offline).")
class ShoppingListChangeInput:
    change_id: UUID = strawberry.field(description="An id the device made for this change (a UUID): sending it again applies nothing twice (DUPLICATE).")
    kind: ListChangeKind = strawberry.field(description="What the change does.")
    key: UUID = strawberry.field(description="The item's key (`ListItem.key`); for ADD, a new UUID the device made.")
    product_id: Optional[strawberry.ID] = strawberry.field(default=None, description="With ADD: global ID of the product.")
    quantity: Optional[int] = strawberry.field(default=None, description="With ADD (default 1) or SET_QUANTITY: 1-999.")
    note: Optional[str] = strawberry.field(default=None, description=f"With ADD or SET_NOTE: at most 500 characters.{_PLAIN}")


@strawberry.input(description="A device's sync of a shopping list: its changes since it last synced, and where it last synced.")
class SyncShoppingListInput:
    list_id: strawberry.ID = strawberry.field(description="Global ID of a shopping list you own or share as a household member.")
    since: Optional[str] = strawberry.field(default=None, description="The `syncToken` of the device's last sync; null to get every item.")
    changes: list[ShoppingListChangeInput] = strawberry.field(default_factory=list, description="0 to 500 changes, applied in this order, all or none.")


@strawberry.input(description="Items of a list to move to your cart.")
class MoveListItemsToCartInput:
    list_id: strawberry.ID = strawberry.field(description="Global ID of a list you may change.")
    item_ids: Optional[list[strawberry.ID]] = strawberry.field(default=None, description="Items of that list to move; leave it out to move every item.")
    keep_in_list: bool = strawberry.field(default=False, description="Keep the moved items on the list. Otherwise they leave it, except on a shopping list, where they stay checked off.")
