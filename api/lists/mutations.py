"""List mutations: making and changing lists, their items, share links and households, syncing a
shopping list from a device and moving items to the cart. Each runs one use case in one
transaction; a refusal writes nothing."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.carts.types import Cart
from api.core import ids
from api.core.arguments import MutationInput
from api.lists.errors import ListError, item_ids, list_id, run_list
from api.lists.inputs import (
    AcceptShoppingListInvitationInput,
    AddListItemsInput,
    CheckOffListItemsInput,
    CreateListInput,
    InviteToShoppingListInput,
    ListIdInput,
    ListItemIdsInput,
    MoveListItemsToCartInput,
    UpdateListInput,
    UpdateListItemsInput,
)
from api.lists.sync_mutations import ListSyncMutation
from api.lists.types import CustomerList, SkippedListItem
from domain.carts import service as carts
from domain.lists import service as lists


@strawberry.type(description="Result of a list mutation.")
class ListPayload:
    list: Optional[CustomerList] = strawberry.field(description="The list as it is now; null on failure.")
    user_errors: list[ListError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `deleteList`.")
class DeleteListPayload:
    deleted_list_id: Optional[strawberry.ID] = strawberry.field(description="The deleted list's ID; null on failure.")
    user_errors: list[ListError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `shareList`.")
class ShareListPayload:
    list: Optional[CustomerList] = strawberry.field(description="The list, now SHARED; null on failure.")
    share_token: Optional[str] = strawberry.field(description="The link's token, shown only here: anyone holding it opens the list with `sharedList(token:)` until you revoke it. Null on failure.")
    user_errors: list[ListError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `moveListItemsToCart`.")
class MoveListItemsToCartPayload:
    cart: Optional[Cart] = strawberry.field(description="Your cart with the moved items; its lines report what you should know (price changed, already owned...). Null on failure, or when nothing moved and you have no cart.")
    list: Optional[CustomerList] = strawberry.field(description="The list as it is now; null on failure.")
    moved_item_ids: list[strawberry.ID] = strawberry.field(description="The items that went to the cart (off the list now, unless kept, or checked off on a shopping list).")
    skipped_items: list[SkippedListItem] = strawberry.field(description="The items that stayed on the list, each with why.")
    user_errors: list[ListError] = strawberry.field(description="Why it failed; nothing was changed.")


async def list_payload(info: Info, use_case) -> ListPayload:
    pk, errors = await run_list(info, use_case)
    if pk is None:
        return ListPayload(list=None, user_errors=errors)
    return ListPayload(list=await info.context.loaders.list_by_id.load(pk), user_errors=[])


@strawberry.type
class ListMutation(ListSyncMutation):
    @strawberry.mutation(description="Make a named or shopping list (at most 200 lists per customer). Requires sign-in.")
    async def create_list(self, info: Info, input: Annotated[CreateListInput, MutationInput]) -> ListPayload:
        return await list_payload(info, lambda s, viewer: lists.create_list(
            s, viewer, input.kind.value, input.name, input.description, input.visibility.value))

    @strawberry.mutation(description="Rename, describe, or make PRIVATE or PUBLIC your list (owner only). Requires sign-in.")
    async def update_list(self, info: Info, input: Annotated[UpdateListInput, MutationInput]) -> ListPayload:
        pk = list_id(input.list_id)
        visibility = None if input.visibility is None else input.visibility.value
        return await list_payload(info, lambda s, viewer: lists.update_list(
            s, viewer, pk, name=input.name, description=input.description, visibility=visibility))

    @strawberry.mutation(description="Delete your list with its items, link and household (owner only). Requires sign-in.")
    async def delete_list(self, info: Info, input: Annotated[ListIdInput, MutationInput]) -> DeleteListPayload:
        pk = list_id(input.list_id)
        done, errors = await run_list(info, lambda s, viewer: lists.delete_list(s, viewer, pk))
        return DeleteListPayload(deleted_list_id=None if done is None else input.list_id, user_errors=errors)

    @strawberry.mutation(description="Add products to your list, to a household's shopping list, or (without `listId`) to your wish list. A product already on the list gets the quantity added. A list holds at most 10,000 items (LIST_FULL). Requires sign-in.")
    async def add_list_items(self, info: Info, input: Annotated[AddListItemsInput, MutationInput]) -> ListPayload:
        pk = None if input.list_id is None else list_id(input.list_id)
        items = [lists.NewItem(ids.decode_as(i.product_id, "Product", "input.items.productId"), i.quantity, i.note)
                 for i in input.items]
        return await list_payload(info, lambda s, viewer: lists.add_list_items(s, viewer, pk, items))

    @strawberry.mutation(description="Take items off their list (all of one list you may change). Devices learn of it at their next sync. Requires sign-in.")
    async def remove_list_items(self, info: Info, input: Annotated[ListItemIdsInput, MutationInput]) -> ListPayload:
        pks = item_ids(input.item_ids)
        return await list_payload(info, lambda s, viewer: lists.remove_list_items(s, viewer, pks))

    @strawberry.mutation(description="Set the quantity and/or note of items of one list you may change. Requires sign-in.")
    async def update_list_items(self, info: Info, input: Annotated[UpdateListItemsInput, MutationInput]) -> ListPayload:
        changes = [lists.ItemChange(ids.decode_as(c.item_id, "ListItem", "input.items.itemId"), c.quantity, c.note)
                   for c in input.items]
        return await list_payload(info, lambda s, viewer: lists.update_list_items(s, viewer, changes))

    @strawberry.mutation(description="Check items of a shopping list off (or, with `checked: false`, back on). Requires sign-in.")
    async def check_off_list_items(self, info: Info, input: Annotated[CheckOffListItemsInput, MutationInput]) -> ListPayload:
        pks = item_ids(input.item_ids)
        return await list_payload(info, lambda s, viewer: lists.check_off_list_items(s, viewer, pks, input.checked))

    @strawberry.mutation(description="Share your list by link: it becomes SHARED and you get the link's token, shown once. Sharing again makes a new link and ends the old one. Owner only. Requires sign-in.")
    async def share_list(self, info: Info, input: Annotated[ListIdInput, MutationInput]) -> ShareListPayload:
        pk = list_id(input.list_id)
        shared, errors = await run_list(info, lambda s, viewer: lists.share_list(s, viewer, pk))
        if shared is None:
            return ShareListPayload(list=None, share_token=None, user_errors=errors)
        return ShareListPayload(list=await info.context.loaders.list_by_id.load(pk), share_token=shared[1],
                                user_errors=[])

    @strawberry.mutation(description="End your list's link and make it PRIVATE: the link then opens nothing (SHARE_LINK_INVALID, as for a link that never existed). Owner only. Requires sign-in.")
    async def revoke_list_share_link(self, info: Info, input: Annotated[ListIdInput, MutationInput]) -> ListPayload:
        pk = list_id(input.list_id)
        return await list_payload(info, lambda s, viewer: lists.revoke_list_share_link(s, viewer, pk))

    @strawberry.mutation(description="Invite someone by e-mail to your shopping list's household: the platform e-mails them a code, valid 7 days. The answer is the same whether or not an account uses the address. Owner only. Requires sign-in.")
    async def invite_to_shopping_list(self, info: Info, input: Annotated[InviteToShoppingListInput, MutationInput]) -> ListPayload:
        pk, settings = list_id(input.list_id), info.context.settings
        return await list_payload(info, lambda s, viewer: lists.invite_to_shopping_list(s, viewer, settings, pk,
                                                                                      input.email))

    @strawberry.mutation(description="Join a shopping list's household with the code from the invitation, signed in as the invited address. You then see, change and sync its items. Requires sign-in.")
    async def accept_shopping_list_invitation(self, info: Info, input: Annotated[AcceptShoppingListInvitationInput, MutationInput]) -> ListPayload:
        return await list_payload(info, lambda s, viewer: lists.accept_shopping_list_invitation(s, viewer, input.token))

    @strawberry.mutation(description="Move items of a list (all of them without `itemIds`) to your cart as their featured offers. Items that cannot go are left on the list and listed in `skippedItems`; what the cart refuses (a full cart) refuses the whole move. Requires sign-in.")
    async def move_list_items_to_cart(self, info: Info, input: Annotated[MoveListItemsToCartInput, MutationInput]) -> MoveListItemsToCartPayload:
        pk = list_id(input.list_id)
        chosen = None if input.item_ids is None else item_ids(input.item_ids)
        settings = info.context.settings
        limits = carts.CartLimits(quantity_per_line=settings.cart_quantity_limit, lines_per_cart=settings.cart_max_lines)
        moved, errors = await run_list(info, lambda s, viewer: lists.move_list_items_to_cart(
            s, viewer, limits, pk, chosen, input.keep_in_list))
        if moved is None:
            return MoveListItemsToCartPayload(cart=None, list=None, moved_item_ids=[], skipped_items=[],
                                              user_errors=errors)
        loaders, viewer = info.context.loaders, await info.context.viewer()
        cart = None if moved.cart_id is None else await carts.find_cart(info.context.reader, viewer,
                                                                         cart_id=moved.cart_id)
        skipped = [SkippedListItem(item=await loaders.list_item_by_id.load(item), reason=reason)
                   for item, reason in moved.skipped]
        return MoveListItemsToCartPayload(
            cart=cart, list=await loaders.list_by_id.load(pk),
            moved_item_ids=[ids.encode("ListItem", i) for i in moved.moved_item_ids],
            skipped_items=[s for s in skipped if s.item is not None], user_errors=[])
