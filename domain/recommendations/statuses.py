"""Why an item is recommended; the GraphQL enum takes its values from here."""
from enum import StrEnum


class RecommendationReasonKind(StrEnum):
    BOUGHT = "BOUGHT"
    RATED = "RATED"
    VIEWED = "VIEWED"
    POPULAR = "POPULAR"
