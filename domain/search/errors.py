"""Codes of the search context's errors: reasons of a BAD_USER_INPUT error of a search query
(search has no mutations)."""
from enum import StrEnum


class SearchErrorCode(StrEnum):
    QUERY_TOO_LONG = "QUERY_TOO_LONG"
    FILTER_TOO_LARGE = "FILTER_TOO_LARGE"
    INVALID_PRICE_RANGE = "INVALID_PRICE_RANGE"
    INVALID_RATING = "INVALID_RATING"
    INVALID_SORT = "INVALID_SORT"
