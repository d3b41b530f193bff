"""Statuses and codes of reviews; the database enums, the use cases and the GraphQL enums all
take their values from here. Report reasons and moderation actions: `domain.moderation.statuses`."""
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
