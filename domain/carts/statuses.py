"""Statuses and kinds of carts; the database enums, the use cases and the GraphQL enums all take
their values from here."""
from enum import StrEnum


class CartStatus(StrEnum):
    ACTIVE = "ACTIVE"
    MERGED = "MERGED"
    ORDERED = "ORDERED"


class DeliveryOptionKind(StrEnum):
    STANDARD = "STANDARD"
    TWO_DAY = "TWO_DAY"
    SAME_DAY = "SAME_DAY"
    PICKUP = "PICKUP"


class TaxClass(StrEnum):
    """Which rate of a country or region a line is taxed at."""

    STANDARD = "STANDARD"
    BOOKS = "BOOKS"


class TaxStatus(StrEnum):
    """How a cart's tax was worked out."""

    CALCULATED = "CALCULATED"
    NEEDS_ADDRESS = "NEEDS_ADDRESS"
    NO_RATE = "NO_RATE"


class CartLineProblemCode(StrEnum):
    """Something the customer should know about a cart line; never blocks a change."""

    PRICE_CHANGED = "PRICE_CHANGED"
    QUANTITY_UNAVAILABLE = "QUANTITY_UNAVAILABLE"
    OFFER_UNAVAILABLE = "OFFER_UNAVAILABLE"
    ALREADY_OWNED = "ALREADY_OWNED"
    MEMBERSHIP_NOT_SOLD_IN_CART = "MEMBERSHIP_NOT_SOLD_IN_CART"


class DeliveryEstimateStatus(StrEnum):
    """What a product page's delivery estimate says."""

    SHIPS = "SHIPS"
    INSTANT = "INSTANT"
    ON_RELEASE = "ON_RELEASE"
    UNAVAILABLE = "UNAVAILABLE"


class DeliveryLocationSource(StrEnum):
    """Where the location of a delivery estimate came from."""

    GIVEN = "GIVEN"
    DEFAULT_ADDRESS = "DEFAULT_ADDRESS"
    CONFIGURED_DEFAULT = "CONFIGURED_DEFAULT"
