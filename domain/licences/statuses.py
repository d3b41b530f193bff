"""Kinds and statuses of licences, library changes and annotations; the database enums, the use
cases and the GraphQL enums all take their values from here."""
from enum import StrEnum


class LicenceKind(StrEnum):
    PURCHASE = "PURCHASE"
    RENTAL = "RENTAL"
    MEMBERSHIP = "MEMBERSHIP"


class LicenceStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"


class LibraryChangeKind(StrEnum):
    LICENCE_ADDED = "LICENCE_ADDED"
    LICENCE_REVOKED = "LICENCE_REVOKED"
    LICENCE_EXPIRED = "LICENCE_EXPIRED"
    METADATA_CHANGED = "METADATA_CHANGED"
    READING_STATE_CHANGED = "READING_STATE_CHANGED"
    ANNOTATION_CHANGED = "ANNOTATION_CHANGED"


class AnnotationKind(StrEnum):
    BOOKMARK = "BOOKMARK"
    HIGHLIGHT = "HIGHLIGHT"
    NOTE = "NOTE"
