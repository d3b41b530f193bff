"""Statuses and codes of reviews and their moderation; the database enums, the use cases and the
GraphQL enums all take their values from here."""
from enum import StrEnum


class ReviewStatus(StrEnum):
    """PUBLISHED: shown and counted in the rating summary. HIDDEN: taken down by a moderator
    (kept, restorable, out of the summary). DELETED: withdrawn by its author (kept for
    moderators, out of the summary; the author may review the work again)."""

    PUBLISHED = "PUBLISHED"
    HIDDEN = "HIDDEN"
    DELETED = "DELETED"


class ReviewSortKey(StrEnum):
    """MOST_HELPFUL (most helpful votes, then newest), NEWEST, HIGHEST (stars, then newest),
    LOWEST (stars, then newest)."""

    MOST_HELPFUL = "MOST_HELPFUL"
    NEWEST = "NEWEST"
    HIGHEST = "HIGHEST"
    LOWEST = "LOWEST"


class ReportReason(StrEnum):
    """Why a customer reports a review or an answer."""

    SPAM = "SPAM"
    OFFENSIVE = "OFFENSIVE"
    OFF_TOPIC = "OFF_TOPIC"
    PERSONAL_INFORMATION = "PERSONAL_INFORMATION"
    FAKE = "FAKE"
    OTHER = "OTHER"


class ModerationAction(StrEnum):
    """What a moderator (or the author) did to a review, as written in its audit trail."""

    HIDE = "HIDE"
    RESTORE = "RESTORE"
    DISMISS_REPORTS = "DISMISS_REPORTS"
