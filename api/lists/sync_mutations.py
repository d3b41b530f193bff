"""`syncShoppingList`: a device sends its changes to a shopping list (often a batch made offline)
and gets back every item changed since its last sync; the batch is one transaction."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.lists.errors import ListError, list_id, run_list
from api.lists.inputs import SyncShoppingListInput
from api.lists.types import CustomerList, ListChangeResult, ListItem
from domain.identity import tokens
from domain.lists import service as lists


@strawberry.type(description="Result of `syncShoppingList`.")
class SyncShoppingListPayload:
    list: Optional[CustomerList] = strawberry.field(description="The list as it is now; null on failure.")
    results: Optional[list[ListChangeResult]] = strawberry.field(description="What became of each change, in the order sent; null on failure.")
    items: Optional[list[ListItem]] = strawberry.field(description="Every item changed after `since` (from the beginning when null), removed ones included (`removed: true`), in the order of their changes, your own changes included: adopt these. Null on failure.")
    sync_token: Optional[str] = strawberry.field(description="Pass it as `since` next time. Null on failure.")
    user_errors: list[ListError] = strawberry.field(description="Why it failed; nothing was changed.")


def _changes(input: SyncShoppingListInput) -> list:
    return [lists.SyncChange(
        change_id=c.change_id, kind=c.kind.value, key=c.key,
        product_id=None if c.product_id is None else ids.decode_as(c.product_id, "Product", "input.changes.productId"),
        quantity=c.quantity, note=c.note) for c in input.changes]


@strawberry.type
class ListSyncMutation:
    @strawberry.mutation(description="Sync a shopping list from a device: send its changes since it last synced (0-500, each with its own change id, applied in order, all or none; a retried change applies nothing twice) and get back every item changed since `since`, with a new `syncToken`. Quantity and note: the last writer wins; a check-off beats an un-check the device made without seeing it; an added item is never lost (an ADD of a product already on the list is MERGED into it). The list's owner and household only. Requires sign-in.")
    async def sync_shopping_list(self, info: Info, input: Annotated[SyncShoppingListInput, MutationInput]) -> SyncShoppingListPayload:
        pk = list_id(input.list_id)
        changes = _changes(input)
        key = tokens.signing_key(info.context.settings)
        synced, errors = await run_list(info, lambda s, viewer: lists.shopping_list_sync(
            s, viewer, key, pk, input.since, changes))
        if synced is None:
            return SyncShoppingListPayload(list=None, results=None, items=None, sync_token=None, user_errors=errors)
        return SyncShoppingListPayload(
            list=await info.context.loaders.list_by_id.load(pk),
            results=[ListChangeResult(change_id=r.change_id, key=r.key, outcome=r.outcome) for r in synced.results],
            items=synced.items, sync_token=synced.sync_token, user_errors=[])
