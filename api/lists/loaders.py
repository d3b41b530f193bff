"""List loaders: lists and items by id (filtered for the caller), and pages of a list's entries
and items keyed by (list id, page), so a page of lists with their items costs a constant number
of statements."""
from api.core.dataloaders import grouped, keyed_for_viewer
from domain.lists import service as lists

FACTORIES = {
    "list_by_id": keyed_for_viewer(lists.lists_by_ids),
    "list_item_by_id": keyed_for_viewer(lists.items_by_ids),
    "list_entries_by_list_id": lambda r, *_: grouped(r, lists.entry_pages),
    "list_items_by_list_id": lambda r, *_: grouped(r, lists.item_pages),
    # (owner account id, how many): the public lists of profiles already shown to the caller.
    "profile_lists": lambda r, *_: grouped(r, lists.profile_lists),
}
