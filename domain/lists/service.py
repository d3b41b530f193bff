"""List use cases, as the API and other contexts call them.

Reads: who sees a list is decided in `visibility` (its owner and household always; a PUBLIC list
anyone the owner's profile allows; a SHARED one only through its link). A customer's own lists
(`customer_lists`, `wish_list`) are theirs alone. Writes: lists and items (`writes`), share links
(`sharing`), households (`households`), device sync (`sync`), moving items to the cart
(`to_cart`); each module's docstring states its rules."""
from __future__ import annotations

from collections.abc import Sequence

from domain.lists import households, repository, sharing, sync, to_cart, visibility, writes
from domain.lists.entities import MAX_ITEMS_PER_CALL, MAX_ITEMS_PER_LIST, CustomerList, ListItem  # noqa: F401
from domain.shared.db import Reader
from domain.shared.errors import Forbidden
from domain.shared.pagination import Page, PageRequest
from domain.shared.principal import Principal

# Writes
NewItem = writes.NewItem
ItemChange = writes.ItemChange
create_list = writes.create_list
update_list = writes.update_list
delete_list = writes.delete_list
add_list_items = writes.add_list_items
remove_list_items = writes.remove_list_items
update_list_items = writes.update_list_items
check_off_list_items = writes.check_off_list_items
share_list = sharing.share_list
revoke_list_share_link = sharing.revoke_list_share_link
invite_to_shopping_list = households.invite_to_shopping_list
accept_shopping_list_invitation = households.accept_shopping_list_invitation
SyncChange = sync.SyncChange
shopping_list_sync = sync.shopping_list_sync
shopping_list_changes = sync.shopping_list_changes
move_list_items_to_cart = to_cart.move_list_items_to_cart

# Reads of lists already visible to the caller (the API loads them through `lists_by_ids`).
entry_pages = repository.entry_pages
item_pages = repository.item_pages
shared_list = sharing.shared_list
# For the profile page (one statement for any number of owners); the caller applies
# `visibility.public_owners_visible_to` for its viewer.
public_lists_of_owners = repository.public_lists_of_owners


async def profile_lists(reader: Reader, owner_ids: Sequence[int], first: int) -> dict[int, list[CustomerList]]:
    """Each owner's newest-changed PUBLIC lists (at most `first`), in one statement for any number
    of owners: for profiles whose LISTS section the caller already may see (the profile decides)."""
    blocks = await repository.public_lists_of_owners(reader, owner_ids, first_lists=first, first_items=0)
    return {owner: [block.list for block in found] for owner, found in blocks.items()}


async def lists_by_ids(reader: Reader, principal: Principal, ids: Sequence[int]) -> dict[int, CustomerList]:
    """The lists among `ids` the caller may see (see `visibility`)."""
    viewer = principal.account_id
    found = await repository.lists_by_ids(reader, viewer, ids)
    return {pk: lst for pk, lst in found.items()
            if visibility.may_view_list(viewer, lst.account_id, lst.visibility, is_member=lst.viewer_is_member,
                                        owner_visible=lst.owner_shows_lists)}


async def items_by_ids(reader: Reader, principal: Principal, ids: Sequence[int]) -> dict[int, ListItem]:
    """Live items among `ids` on lists the caller may see (see `visibility`)."""
    items = {pk: item for pk, item in (await repository.items_by_ids(reader, ids)).items() if not item.removed}
    visible = await lists_by_ids(reader, principal, sorted({i.list_id for i in items.values()}))
    return {pk: item for pk, item in items.items() if item.list_id in visible}


def _check_self(principal: Principal, account_id: int) -> None:
    principal.require_signed_in()
    if principal.account_id != account_id:
        raise Forbidden("A customer's lists are theirs alone; see another customer's public lists on their page.")


async def customer_lists(reader: Reader, principal: Principal, account_id: int, kind: str | None,
                         page: PageRequest) -> Page[CustomerList]:
    """The lists a customer owns or shares as a household member (their wish list first, then the
    most recently changed): for that customer only."""
    _check_self(principal, account_id)
    return await repository.account_lists(reader, account_id, kind, page)


async def wish_list(reader: Reader, principal: Principal, account_id: int) -> CustomerList | None:
    """The customer's wish list (None before they first add to it): for that customer only."""
    _check_self(principal, account_id)
    return await repository.wish_list_of(reader, account_id)
