"""Input rules of marketplace management: money, stock, names, slugs and evidence links.

Pure functions: each returns the normalized value or raises `InvalidInput` with a stable
code and the path of the input field at fault."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from urllib.parse import urlsplit

from domain.marketplace.errors import MarketplaceErrorCode
from domain.shared import reasons
from domain.shared.errors import InvalidInput
from domain.shared.slugs import slugify

MARKETPLACE_CURRENCY = "USD"
MAX_PRICE_MINOR = 100_000_000  # $1,000,000.00 for one unit
MAX_QUANTITY = 1_000_000
MAX_CONDITION_NOTE = 1000
MAX_REASON = 1000
MAX_NAME = 120
MIN_NAME = 2
MAX_SLUG = 140
MAX_URL = 2000
MAX_TRADEMARK_NUMBER = 40

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TRADEMARK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]*$")


def money_minor(amount: Decimal, currency: str, field: list[str], *, allow_zero: bool) -> int:
    """Minor units of a marketplace amount: USD only (CURRENCY_MISMATCH), at most two
    decimals, above zero (or zero when `allow_zero`, for shipping) and at most $1,000,000
    (INVALID_PRICE)."""
    if currency != MARKETPLACE_CURRENCY:
        raise InvalidInput(f"Marketplace prices are in {MARKETPLACE_CURRENCY}, not {currency}.",
                           code=MarketplaceErrorCode.CURRENCY_MISMATCH, field=[*field, "currencyCode"])
    try:
        amount = Decimal(amount)
        finite = amount.is_finite()
    except (InvalidOperation, TypeError, ValueError):
        finite = False
    if not finite:
        raise InvalidInput("The amount is not a number.", code=MarketplaceErrorCode.INVALID_PRICE, field=[*field, "amount"])
    scaled = amount.scaleb(2)
    if scaled != scaled.to_integral_value():
        raise InvalidInput(f"{amount} has more than two decimals.", code=MarketplaceErrorCode.INVALID_PRICE, field=[*field, "amount"])
    minor = int(scaled)
    if minor < 0 or (minor == 0 and not allow_zero):
        limit = "zero or more" if allow_zero else "more than zero"
        raise InvalidInput(f"The amount must be {limit}; got {amount}.", code=MarketplaceErrorCode.INVALID_PRICE,
                           field=[*field, "amount"])
    if minor > MAX_PRICE_MINOR:
        raise InvalidInput("The amount is above the limit of 1000000.00.", code=MarketplaceErrorCode.INVALID_PRICE,
                           field=[*field, "amount"])
    return minor


def member_price_below(price_minor: int, member_price_minor: int | None, field: list[str]) -> int | None:
    """A member price, when there is one, is below the offer's price (MEMBER_PRICE_NOT_LOWER):
    a "Prime price" that is not lower would promise members a saving they do not get."""
    if member_price_minor is not None and member_price_minor >= price_minor:
        raise InvalidInput("A member price must be lower than the offer's price"
                           f" ({member_price_minor / 100:.2f} is not below {price_minor / 100:.2f}).",
                           code=MarketplaceErrorCode.MEMBER_PRICE_NOT_LOWER, field=field)
    return member_price_minor


def quantity(value: int, field: list[str]) -> int:
    """Units in stock: 0 to 1,000,000 (INVALID_QUANTITY)."""
    if not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
        raise InvalidInput(f"The quantity must be between 0 and {MAX_QUANTITY:,}; got {value}.",
                           code=MarketplaceErrorCode.INVALID_QUANTITY, field=field)
    return value


def condition_note(value: str, field: list[str]) -> str:
    value = value.strip()
    if len(value) > MAX_CONDITION_NOTE:
        raise InvalidInput(f"A condition note has at most {MAX_CONDITION_NOTE} characters.",
                           code=MarketplaceErrorCode.CONDITION_NOTE_TOO_LONG, field=field)
    return value


def one_of(value: str, allowed: type[StrEnum], field: list[str]) -> str:
    if value not in set(allowed):
        raise InvalidInput(f"{value!r} is not one of {', '.join(allowed)}.", field=field)
    return value


def name(value: str, field: list[str]) -> str:
    """A storefront or brand name: 2-120 characters once spaces are collapsed (NAME_INVALID)."""
    value = " ".join(value.split())
    if not MIN_NAME <= len(value) <= MAX_NAME:
        raise InvalidInput(f"A name has {MIN_NAME} to {MAX_NAME} characters.", code=MarketplaceErrorCode.NAME_INVALID, field=field)
    return value


def slug(value: str | None, from_name: str, field: list[str]) -> str:
    """The given slug (lower-case letters, digits and single hyphens, at most 140), or one made
    from the name (SLUG_INVALID when neither gives one)."""
    candidate = slugify(from_name, MAX_SLUG) if value is None else value.strip()
    if not candidate or len(candidate) > MAX_SLUG or not _SLUG.match(candidate):
        raise InvalidInput("A slug has 1 to 140 lower-case letters, digits and single hyphens"
                           " (e.g. `adas-books`); give one when the name has no Latin letters.",
                           code=MarketplaceErrorCode.SLUG_INVALID, field=field)
    return candidate


def reason(value: str, field: list[str]) -> str:
    """Why an administrator decided: 1-1000 characters (REASON_REQUIRED)."""
    return reasons.reason(value, MAX_REASON, field)


def https_url(value: str, field: list[str]) -> str:
    """An absolute https:// link with a host, at most 2000 characters (EVIDENCE_URL_INVALID)."""
    value = value.strip()
    try:
        parts = urlsplit(value)
        valid = parts.scheme == "https" and bool(parts.hostname) and len(value) <= MAX_URL
    except ValueError:
        valid = False
    if not valid or any(c.isspace() for c in value):
        raise InvalidInput("Evidence must be an https:// link (at most 2000 characters).",
                           code=MarketplaceErrorCode.EVIDENCE_URL_INVALID, field=field)
    return value


def trademark_number(value: str, field: list[str]) -> str:
    """A trademark registration number: 1-40 letters, digits, spaces, dots, slashes or hyphens."""
    value = " ".join(value.split())
    if not 1 <= len(value) <= MAX_TRADEMARK_NUMBER or not _TRADEMARK.match(value):
        raise InvalidInput("A trademark number has 1 to 40 letters, digits, spaces, dots, slashes or hyphens.",
                           code=MarketplaceErrorCode.TRADEMARK_INVALID, field=field)
    return value
