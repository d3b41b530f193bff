"""Codes of the catalogue context's errors."""
from enum import StrEnum

from domain.shared.errors import CommonErrorCode


class CatalogueErrorCode(StrEnum):
    """Codes of catalogue mutations' `userErrors` and of import row errors, in the order clients
    see them."""

    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    SLUG_INVALID = CommonErrorCode.SLUG_INVALID
    SLUG_TAKEN = CommonErrorCode.SLUG_TAKEN
    ISBN_INVALID = "ISBN_INVALID"
    ISBN_TAKEN = "ISBN_TAKEN"
    FORMAT_INVALID = "FORMAT_INVALID"
    ATTRIBUTE_INVALID = "ATTRIBUTE_INVALID"
    IMAGE_URL_INVALID = "IMAGE_URL_INVALID"
    IMAGE_INVALID = "IMAGE_INVALID"
    CATEGORY_NOT_EMPTY = "CATEGORY_NOT_EMPTY"
    CATEGORY_CYCLE = "CATEGORY_CYCLE"
    BRAND_NOT_EMPTY = "BRAND_NOT_EMPTY"
    IMPORT_NOT_OPEN = "IMPORT_NOT_OPEN"
    IMPORT_CHUNK_OUT_OF_ORDER = "IMPORT_CHUNK_OUT_OF_ORDER"
    IMPORT_TOO_LARGE = "IMPORT_TOO_LARGE"
    IMPORT_EMPTY = "IMPORT_EMPTY"
    IMPORT_FILE_INVALID = "IMPORT_FILE_INVALID"
    FLAG_ALREADY_RESOLVED = "FLAG_ALREADY_RESOLVED"


class CatalogueQueryErrorCode(StrEnum):
    """Reasons of a BAD_USER_INPUT error of a catalogue query (never a `userError`)."""

    INVALID_ISBN = "INVALID_ISBN"
