"""What a search-box suggestion stands for; the database enum and the GraphQL enum take their
values from here."""
from enum import StrEnum


class SearchSuggestionKind(StrEnum):
    PRODUCT = "PRODUCT"
    AUTHOR = "AUTHOR"
    BRAND = "BRAND"
    CATEGORY = "CATEGORY"
