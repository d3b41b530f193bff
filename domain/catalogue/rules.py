"""The rules catalogue data must follow, as pure functions: text lengths, slugs, ISBNs,
kinds and formats, typed attributes and images. Each raises a typed `InvalidInput` naming
the input field at fault, so a mutation and an import row report the same error."""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from domain.catalogue.errors import CatalogueErrorCode
from domain.catalogue.isbn import normalize_isbn
from domain.catalogue.models import FORMATS_BY_KIND
from domain.catalogue.statuses import AttributeType, ProductFormat, ProductKind
from domain.shared.errors import DomainError, InvalidInput
from domain.shared.slugs import slugify  # noqa: F401  (part of this module's rules)

CATEGORY_NAME_MAX = 120
CATEGORY_SLUG_MAX = 140
CATEGORY_DESCRIPTION_MAX = 2_000
CATEGORY_POSITION_MAX = 10_000
BRAND_NAME_MAX = 120
BRAND_SLUG_MAX = 140
BRAND_DESCRIPTION_MAX = 5_000
PRODUCT_TITLE_MAX = 500
PRODUCT_SLUG_MAX = 200
PRODUCT_DESCRIPTION_MAX = 20_000
WORK_TITLE_MAX = 500
AUTHORS_MAX = 30
AUTHOR_MAX = 200
ATTRIBUTES_MAX = 50
ATTRIBUTE_STRING_MAX = 500
ATTRIBUTE_LIST_MAX = 50
IMAGES_MAX = 20
IMAGE_URL_MAX = 2_000
IMAGE_ALT_MAX = 300
IMAGE_SIDE_MAX = 20_000


class _Keep:
    """The value of a field an update leaves as it is (None means "clear it")."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ATTRIBUTE_NAME = re.compile(r"^[a-z][A-Za-z0-9]{0,39}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

DEFAULT_FORMAT = {"PHYSICAL": "STANDARD", "EBOOK": "KINDLE", "VIDEO": "STREAMING", "MEMBERSHIP": "STANDARD"}

# Attributes the storefront relies on have a fixed type (and numbers a range); others are free.
KNOWN_ATTRIBUTES: dict[str, tuple[str, float | None, float | None]] = {
    "pages": ("NUMBER", 1, 100_000),
    "weightGrams": ("NUMBER", 0, 10_000_000),
    "fileSizeKb": ("NUMBER", 0, 100_000_000),
    "publicationYear": ("NUMBER", -3000, 3000),
    "releaseYear": ("NUMBER", 1800, 3000),
    "runtimeMinutes": ("NUMBER", 1, 10_000),
    "discs": ("NUMBER", 1, 1_000),
    "tracks": ("NUMBER", 1, 10_000),
    "minAge": ("NUMBER", 0, 120),
    "language": ("STRING", None, None),
    "publisher": ("STRING", None, None),
    "colour": ("STRING", None, None),
    "size": ("STRING", None, None),
    "material": ("STRING", None, None),
}


def text(value: str, field: str, *, max_length: int, required: bool = True, what: str = "It",
         multiline: bool = False) -> str:
    """Trimmed text within its length limit; single-line text has its whitespace collapsed."""
    value = (value or "").strip() if multiline else " ".join((value or "").split())
    if _CONTROL.search(value):
        raise InvalidInput(f"{what} contains control characters.", field=["input", field])
    if required and not value:
        raise InvalidInput(f"{what} is required.", field=["input", field])
    if len(value) > max_length:
        raise InvalidInput(f"{what} has {len(value)} characters; the limit is {max_length}.",
                           field=["input", field])
    return value


def given_slug(slug: str, max_length: int) -> str:
    """A slug chosen by the caller: lower-case ASCII letters and digits separated by single
    hyphens, at most `max_length` characters."""
    slug = slug.strip()
    if not _SLUG.match(slug) or len(slug) > max_length:
        raise InvalidInput(
            f"A slug is 1-{max_length} lower-case letters and digits separated by single hyphens,"
            f" like 'kitchen-knives'; got {slug[:60]!r}.", code=CatalogueErrorCode.SLUG_INVALID, field=["input", "slug"])
    return slug


def isbn13(raw: str) -> str:
    """The ISBN-13 of an ISBN-10 or ISBN-13 (hyphens and spaces allowed, check digit verified)."""
    try:
        return normalize_isbn(raw)
    except DomainError:
        raise InvalidInput(f"{raw[:40]!r} is not a valid ISBN-10 or ISBN-13 (check the digits).",
                           code=CatalogueErrorCode.ISBN_INVALID, field=["input", "isbn"]) from None


def kind_and_format(kind: str, fmt: str, *, format_field: str = "format") -> None:
    if kind not in set(ProductKind):
        raise InvalidInput(f"Unknown kind {kind!r}.", field=["input", "kind"])
    if fmt not in set(ProductFormat):
        raise InvalidInput(f"Unknown format {fmt!r}.", code=CatalogueErrorCode.FORMAT_INVALID, field=["input", format_field])
    if fmt not in FORMATS_BY_KIND[kind]:
        raise InvalidInput(
            f"{kind} products come in {', '.join(FORMATS_BY_KIND[kind])}, not {fmt}.",
            code=CatalogueErrorCode.FORMAT_INVALID, field=["input", format_field])


def authors(names: list[str]) -> list[str]:
    if len(names) > AUTHORS_MAX:
        raise InvalidInput(f"At most {AUTHORS_MAX} authors.", field=["input", "authors"])
    cleaned = [text(n, "authors", max_length=AUTHOR_MAX, what="An author's name") for n in names]
    if len(set(cleaned)) != len(cleaned):
        raise InvalidInput("An author is listed twice.", field=["input", "authors"])
    return cleaned


@dataclass(frozen=True, slots=True)
class AttributeInput:
    """An attribute as clients send it: a name, a type, and the value as text (JSON for LIST)."""

    name: str
    type: str
    value: str


def _attribute_error(index: int, message: str, part: str = "value") -> InvalidInput:
    return InvalidInput(message, code=CatalogueErrorCode.ATTRIBUTE_INVALID, field=["input", "attributes", str(index), part])


def _number(raw: str, index: int, name: str) -> int | float:
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        raise _attribute_error(index, f"{name} must be a number; got {raw[:40]!r}.") from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        raise _attribute_error(index, f"{name} must be a finite number below 10^15.")
    return int(number) if number == number.to_integral_value() else float(number)


def _attribute_value(attribute: AttributeInput, index: int) -> object:
    name, kind, raw = attribute.name, attribute.type, attribute.value
    if kind == AttributeType.STRING:
        value = " ".join(raw.split())
        if not value or len(value) > ATTRIBUTE_STRING_MAX or _CONTROL.search(value):
            raise _attribute_error(index, f"{name} must be 1-{ATTRIBUTE_STRING_MAX} characters of text.")
        return value
    if kind == AttributeType.NUMBER:
        return _number(raw, index, name)
    if kind == AttributeType.BOOLEAN:
        if raw.strip().lower() not in ("true", "false"):
            raise _attribute_error(index, f"{name} must be true or false; got {raw[:40]!r}.")
        return raw.strip().lower() == "true"
    try:
        items = json.loads(raw)
    except ValueError:
        items = None
    if (not isinstance(items, list) or len(items) > ATTRIBUTE_LIST_MAX
            or not all(isinstance(i, str) and 0 < len(i) <= ATTRIBUTE_STRING_MAX
                       or isinstance(i, int | float) and not isinstance(i, bool) and math.isfinite(i)
                       for i in items)):
        raise _attribute_error(
            index, f"{name} must be a JSON array of at most {ATTRIBUTE_LIST_MAX} strings or numbers,"
            ' like ["USB-C", "Bluetooth"].')
    return items


def attributes(given: list[AttributeInput]) -> dict[str, object]:
    """Typed attribute values by name. Names are camelCase (`pages`, `weightGrams`), unique;
    a value must parse as its declared type, and well-known attributes have a fixed type."""
    if len(given) > ATTRIBUTES_MAX:
        raise InvalidInput(f"At most {ATTRIBUTES_MAX} attributes.", code=CatalogueErrorCode.ATTRIBUTE_INVALID,
                           field=["input", "attributes"])
    result: dict[str, object] = {}
    for index, attribute in enumerate(given):
        name = attribute.name.strip()
        if not _ATTRIBUTE_NAME.match(name):
            raise _attribute_error(index, f"An attribute name is camelCase ASCII, 1-40 characters, like"
                                   f" 'weightGrams'; got {name[:40]!r}.", "name")
        if name in result:
            raise _attribute_error(index, f"The attribute {name} is given twice.", "name")
        if attribute.type not in set(AttributeType):
            raise _attribute_error(index, f"Unknown attribute type {attribute.type!r}.", "type")
        known = KNOWN_ATTRIBUTES.get(name)
        if known is not None and known[0] != attribute.type:
            raise _attribute_error(index, f"The attribute {name} is a {known[0]}, not a {attribute.type}.", "type")
        value = _attribute_value(attribute, index)
        if known is not None and known[1] is not None and not known[1] <= value <= known[2]:
            raise _attribute_error(index, f"{name} must be between {known[1]:g} and {known[2]:g}.")
        result[name] = value
    return result


@dataclass(frozen=True, slots=True)
class ImageInput:
    url: str
    alt_text: str | None = None
    width: int | None = None
    height: int | None = None


def _image_url(url: str, index: int) -> str:
    return image_url(url, ["input", "images", str(index), "url"])


def image_url(url: str, field: list[str]) -> str:
    """An image's address: absolute https:// with a host name, no spaces or credentials
    (IMAGE_URL_INVALID)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if (parts is None or parts.scheme != "https" or not host or "." not in host
            or len(url) > IMAGE_URL_MAX or any(c.isspace() or ord(c) < 32 for c in url)
            or parts.username is not None or parts.password is not None):
        raise InvalidInput(
            f"An image URL is an absolute https:// URL of at most {IMAGE_URL_MAX} characters with a host"
            f" name, no spaces and no credentials; got {url[:60]!r}.",
            code=CatalogueErrorCode.IMAGE_URL_INVALID, field=field)
    return url


def images(given: list[ImageInput]) -> list[dict]:
    """Images in display order, stored as `{"url", "altText", "width", "height"}`."""
    if len(given) > IMAGES_MAX:
        raise InvalidInput(f"At most {IMAGES_MAX} images.", code=CatalogueErrorCode.IMAGE_INVALID, field=["input", "images"])
    result = []
    for index, image in enumerate(given):
        stored: dict = {"url": _image_url(image.url, index)}
        if image.alt_text is not None:
            alt = " ".join(image.alt_text.split())
            if len(alt) > IMAGE_ALT_MAX or _CONTROL.search(alt):
                raise InvalidInput(f"Alt text has at most {IMAGE_ALT_MAX} characters.", code=CatalogueErrorCode.IMAGE_INVALID,
                                   field=["input", "images", str(index), "altText"])
            if alt:
                stored["altText"] = alt
        for side, value in (("width", image.width), ("height", image.height)):
            if value is not None:
                if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= IMAGE_SIDE_MAX:
                    raise InvalidInput(f"An image {side} is 1-{IMAGE_SIDE_MAX} pixels.", code=CatalogueErrorCode.IMAGE_INVALID,
                                       field=["input", "images", str(index), side])
                stored[side] = value
        result.append(stored)
    urls = [i["url"] for i in result]
    for index, url in enumerate(urls):
        if url in urls[:index]:
            raise InvalidInput("An image is listed twice.", code=CatalogueErrorCode.IMAGE_INVALID,
                               field=["input", "images", str(index), "url"])
    return result
