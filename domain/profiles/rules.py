"""What a profile may hold: the handle, the bio and the two links, checked before anything is
written (each refusal is a typed error with the input field at fault)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from domain.profiles.errors import ProfileErrorCode
from domain.shared import plain_text
from domain.shared.errors import InvalidInput

HANDLE_MIN, HANDLE_MAX = 3, 30
# 3-30 lower-case letters, digits, hyphens and underscores, starting and ending with a letter
# or digit: safe in a URL path as it is (`/profiles/ada-b-3`).
HANDLE_PATTERN = "^[a-z0-9][a-z0-9_-]{1,28}[a-z0-9]$"
_HANDLE = re.compile(HANDLE_PATTERN)
# Handles that would pass for the platform speaking, or for a page of a storefront.
RESERVED_HANDLES = frozenset({
    "admin", "administrator", "api", "help", "me", "moderator", "official", "root", "settings", "staff",
    "support", "system", "tributary", "www"})
BIO_MAX = 300
URL_MAX = 2000


def handle(value: str) -> str:
    """The handle as stored: trimmed and lower-cased (handles are unique whatever the case)."""
    candidate = value.strip().lower()
    field = ["input", "handle"]
    if not _HANDLE.match(candidate):
        raise InvalidInput(
            f"A handle has {HANDLE_MIN} to {HANDLE_MAX} letters, digits, hyphens or underscores, and starts and"
            " ends with a letter or digit (e.g. `ada-reads`).", code=ProfileErrorCode.HANDLE_INVALID, field=field)
    if candidate in RESERVED_HANDLES:
        raise InvalidInput(f"The handle {candidate!r} is reserved: choose another.",
                           code=ProfileErrorCode.HANDLE_TAKEN, field=field)
    return candidate


def bio(value: str | None) -> str | None:
    """Plain text of at most BIO_MAX characters; None removes it."""
    return plain_text.check_words(value, "bio", BIO_MAX, ProfileErrorCode, blank_hint=": give null to remove it")


def _url(value: str, schemes: tuple[str, ...]) -> str | None:
    value = value.strip()
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return None
    if (parts.scheme not in schemes or not host or "." not in host or len(value) > URL_MAX
            or any(c.isspace() or ord(c) < 32 for c in value) or parts.username is not None
            or parts.password is not None):
        return None
    # The scheme as stored is lower-case (`HTTPS://` is the same link), as the table's checks read it.
    return parts.scheme + value[len(parts.scheme):]


def photo_url(value: str | None) -> str | None:
    """An absolute https:// image URL with a host name and no credentials; None removes it."""
    if value is None:
        return None
    checked = _url(value, ("https",))
    if checked is None:
        raise InvalidInput(f"A photo is an absolute https:// URL of at most {URL_MAX} characters with a host name,"
                           " no spaces and no credentials.", code=ProfileErrorCode.IMAGE_URL_INVALID,
                           field=["input", "photoUrl"])
    return checked


def website_url(value: str | None) -> str | None:
    """An absolute http:// or https:// link with a host name and no credentials; None removes it."""
    if value is None:
        return None
    checked = _url(value, ("http", "https"))
    if checked is None:
        raise InvalidInput(f"A website is an absolute http:// or https:// URL of at most {URL_MAX} characters with a"
                           " host name, no spaces and no credentials.", code=ProfileErrorCode.WEBSITE_URL_INVALID,
                           field=["input", "websiteUrl"])
    return checked
