"""Enums of customer lists."""
from api.core.enums import graphql_enum
from domain.lists import statuses

ListKind = graphql_enum(statuses.ListKind, description="What a list is for: WISH_LIST (your one wish list, made when you first add to it), NAMED (a themed list you name, e.g. \"Books for a rainy day\"), SHOPPING (a shopping list with quantities and check-off that syncs between devices and can be shared with a household).")
ListVisibility = graphql_enum(statuses.ListVisibility, description="Who sees a list: PRIVATE (its owner, and a shopping list's household), PUBLIC (anyone, on its page), SHARED (anyone holding its link, until the owner revokes it; never listed anywhere).")
ListChangeKind = graphql_enum(statuses.ListChangeKind, description="A change a device sends to `syncShoppingList`: ADD (a product, under a `key` the device made), SET_QUANTITY, SET_NOTE, CHECK (check off), UNCHECK, REMOVE.")
ListChangeOutcome = graphql_enum(statuses.ListChangeOutcome, description="What became of a synced change: APPLIED; MERGED (an ADD of a product already on the list went into that item: adopt the returned `key`); STALE (it lost to a change the device had not seen: a check-off beats an un-check, and an item something was added into since your last sync is not removed); GONE (the item was removed meanwhile); DUPLICATE (this change id was received before: nothing was applied again).")
MoveSkipReason = graphql_enum(statuses.MoveSkipReason, description="Why an item stayed on its list when moved to the cart: NO_OFFER (nobody offers it new and in stock now), NOT_SOLD_IN_CART (a membership plan: join it instead), ALREADY_IN_CART (a digital title already in your cart).")
