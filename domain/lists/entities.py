"""What the list use cases and reads hand to the API: plain rows, so a page of a list is a few
batched statements and attribute reads."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

# Live items a list may hold: enough for any real list, small enough that a sync from the
# beginning stays one answer.
MAX_ITEMS_PER_LIST = 10_000
# Lists one customer may own (their wish list included).
MAX_LISTS_PER_ACCOUNT = 200
# Items one call may add, change or remove.
MAX_ITEMS_PER_CALL = 500


@dataclass(slots=True)
class CustomerList:
    id: int
    account_id: int
    kind: str
    name: str
    description: str
    visibility: str
    item_count: int
    last_seq: int
    created_at: datetime
    updated_at: datetime
    # Whether the caller owns it / belongs to its household (None when read without a caller).
    viewer_is_owner: bool = False
    viewer_is_member: bool = False
    # Whether the owner's profile shows its lists to the caller (read with the list by id).
    owner_shows_lists: bool = False

    @property
    def is_shopping(self) -> bool:
        return self.kind == "SHOPPING"


@dataclass(slots=True)
class ListItem:
    id: int
    list_id: int
    key: uuid.UUID
    product_id: int
    work_id: int | None
    quantity: int
    note: str
    checked: bool
    checked_at: datetime | None
    created_at: datetime
    updated_at: datetime
    removed_at: datetime | None
    seq: int

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


@dataclass(slots=True)
class ListEntry:
    """One line of a list's page: a work (every format of it on the list) or a product that is no
    work's format. `items` are the list's items of it, in the order they were added."""

    work_id: int | None
    items: list[ListItem] = field(default_factory=list)

    @property
    def product_id(self) -> int:
        return self.items[0].product_id


@dataclass(slots=True)
class PublicListBlock:
    """A public list with its first items, for a profile page."""

    list: CustomerList
    items: list[ListItem]
