"""Kinds, visibilities and sync outcomes of customer lists; the database enums, the use cases and
the GraphQL enums all take their values from here."""
from enum import StrEnum


class ListKind(StrEnum):
    """WISH_LIST: the customer's one wish list, made on first use. NAMED: a themed list the
    customer names ("Books for a rainy day"). SHOPPING: a shopping list, with quantities and
    check-off, that syncs between devices and can be shared with a household."""

    WISH_LIST = "WISH_LIST"
    NAMED = "NAMED"
    SHOPPING = "SHOPPING"


class ListVisibility(StrEnum):
    """PRIVATE: its owner (and a shopping list's household) only. PUBLIC: anyone, on the list's
    page. SHARED: anyone holding its link, until the owner revokes the link."""

    PRIVATE = "PRIVATE"
    PUBLIC = "PUBLIC"
    SHARED = "SHARED"


class ListChangeKind(StrEnum):
    """One change a device sends to `shoppingListSync`: ADD an item (under a key the device made),
    SET_QUANTITY, SET_NOTE, CHECK (checked off), UNCHECK, REMOVE."""

    ADD = "ADD"
    SET_QUANTITY = "SET_QUANTITY"
    SET_NOTE = "SET_NOTE"
    CHECK = "CHECK"
    UNCHECK = "UNCHECK"
    REMOVE = "REMOVE"


class ListChangeOutcome(StrEnum):
    """What became of one synced change. APPLIED: it is in the list now. MERGED: an ADD of a
    product already on the list went into that item (its key is returned). STALE: it lost to a
    change the device had not seen (a check-off beats an un-check the device made without
    seeing it; an item re-added since the device's last sync is not removed). GONE: the item
    was removed meanwhile. DUPLICATE: this change id was received before (a retry): nothing
    was applied again."""

    APPLIED = "APPLIED"
    MERGED = "MERGED"
    STALE = "STALE"
    GONE = "GONE"
    DUPLICATE = "DUPLICATE"


class MoveSkipReason(StrEnum):
    """Why an item stayed out of the cart when its list was moved there: NO_OFFER (nobody offers
    the product new and in stock now), NOT_SOLD_IN_CART (a membership plan: join it instead),
    ALREADY_IN_CART (a digital title already in the cart: a line holds one)."""

    NO_OFFER = "NO_OFFER"
    NOT_SOLD_IN_CART = "NOT_SOLD_IN_CART"
    ALREADY_IN_CART = "ALREADY_IN_CART"
