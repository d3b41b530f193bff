"""Kinds and statuses of licences, library changes and annotations; the database enums, the use
cases and the GraphQL enums all take their values from here."""
from enum import StrEnum


class LicenceKind(StrEnum):
    PURCHASE = "PURCHASE"
    RENTAL = "RENTAL"
    MEMBERSHIP = "MEMBERSHIP"
    LOAN = "LOAN"


class LicenceStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    SUSPENDED = "SUSPENDED"


class LibraryChangeKind(StrEnum):
    LICENCE_ADDED = "LICENCE_ADDED"
    LICENCE_REVOKED = "LICENCE_REVOKED"
    LICENCE_EXPIRED = "LICENCE_EXPIRED"
    LICENCE_SUSPENDED = "LICENCE_SUSPENDED"
    LICENCE_REINSTATED = "LICENCE_REINSTATED"
    METADATA_CHANGED = "METADATA_CHANGED"
    READING_STATE_CHANGED = "READING_STATE_CHANGED"
    ANNOTATION_CHANGED = "ANNOTATION_CHANGED"


class AnnotationKind(StrEnum):
    BOOKMARK = "BOOKMARK"
    HIGHLIGHT = "HIGHLIGHT"
    NOTE = "NOTE"


class SyncOutcome(StrEnum):
    """What became of one entry of a sync batch (an annotation change or a position)."""

    APPLIED = "APPLIED"
    STALE = "STALE"
    REFUSED = "REFUSED"


class PlaybackProblem(StrEnum):
    """What made a playback poor, over all the reports of a licence added up."""

    REBUFFERING = "REBUFFERING"
    LOW_BITRATE = "LOW_BITRATE"
    ERRORS = "ERRORS"
