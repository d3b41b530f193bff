"""Roles and client kinds; the database enums, the use cases and the GraphQL enums all take their
values from here."""
from enum import StrEnum


class Role(StrEnum):
    """What a caller may do. ANONYMOUS and CUSTOMER follow from being signed in or not; the
    others are granted to an account and stored (`STORED_ROLES`)."""

    ANONYMOUS = "ANONYMOUS"
    CUSTOMER = "CUSTOMER"
    SELLER_STAFF = "SELLER_STAFF"
    BRAND_OWNER = "BRAND_OWNER"
    ADMIN = "ADMIN"


# The roles an account is granted, in the order of the database enum.
STORED_ROLES = (Role.ADMIN, Role.SELLER_STAFF, Role.BRAND_OWNER)


class ClientKind(StrEnum):
    WEB = "WEB"
    MOBILE = "MOBILE"
    EREADER = "EREADER"
