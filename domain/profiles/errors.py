"""Codes of profile errors: the `userErrors` of `updateProfile`, `followProfile`,
`unfollowProfile`, `blockProfile` and `unblockProfile`."""
from enum import StrEnum

from domain.catalogue.errors import CatalogueErrorCode
from domain.identity.errors import IdentityErrorCode
from domain.reviews.errors import ReviewErrorCode
from domain.shared.errors import CommonErrorCode


class ProfileErrorCode(StrEnum):
    INVALID = CommonErrorCode.INVALID
    NOT_FOUND = CommonErrorCode.NOT_FOUND
    TOO_LONG = CommonErrorCode.TOO_LONG
    HTML_NOT_ALLOWED = ReviewErrorCode.HTML_NOT_ALLOWED
    DISPLAY_NAME_INVALID = IdentityErrorCode.DISPLAY_NAME_INVALID
    IMAGE_URL_INVALID = CatalogueErrorCode.IMAGE_URL_INVALID
    HANDLE_INVALID = "HANDLE_INVALID"
    HANDLE_TAKEN = "HANDLE_TAKEN"
    WEBSITE_URL_INVALID = "WEBSITE_URL_INVALID"
    CANNOT_FOLLOW_YOURSELF = "CANNOT_FOLLOW_YOURSELF"
    CANNOT_BLOCK_YOURSELF = "CANNOT_BLOCK_YOURSELF"
    BLOCKED = "BLOCKED"
    PROFILE_PRIVATE = "PROFILE_PRIVATE"
