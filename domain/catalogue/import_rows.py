"""Reading products files (CSV or JSON Lines) into rows, and one row into a product change.

Columns (CSV header names; JSON Lines objects use the same keys):

- `isbn`: ISBN-10 or ISBN-13. A row whose ISBN a live product has updates that product.
- `slug`: URL name. Without an ISBN match, a row whose slug a live product has updates it;
  otherwise the row creates a product with this slug (generated from the title when absent).
- `title`, `description`: text (title required to create).
- `kind`: PHYSICAL, EBOOK, VIDEO or MEMBERSHIP (required to create).
- `format`: HARDCOVER, PAPERBACK, KINDLE, AUDIOBOOK, DVD, BLU_RAY, CD, VINYL, STREAMING or
  STANDARD (default for the kind: STANDARD, or KINDLE for EBOOK, STREAMING for VIDEO).
- `category`: slug of a live category (required to create).
- `brand`: slug of a live brand.
- `work_title`: makes the product a format of a new work with this title.
- `work_of`: ISBN or slug of another product; this one becomes a format of the same work (a
  work titled after that product is made when it has none). Rows are read in file order, so
  an earlier row of the same file can be named.
- `authors`: names separated by `;` in CSV; a list of strings in JSON Lines.
- `attributes`: a JSON object of typed values, e.g. `{"pages": 320, "language": "eng"}`
  (strings, numbers, true/false, or lists of strings and numbers).
- `images`: in CSV, image URLs separated by spaces, or a JSON array; in JSON Lines, a list
  of URLs or of objects `{"url", "altText", "width", "height"}`. https URLs only.
- `release_date`: YYYY-MM-DD.

In CSV an empty cell leaves the field as it is (on a new product: its default). In JSON Lines
a missing key leaves the field as it is and `null` clears an optional field (brand, work,
ISBN, release date). The CSV file is UTF-8 (a byte-order mark is allowed), comma-separated,
with a header line and double quotes around cells holding commas, quotes or line breaks.
Row numbers in error reports are the line a record starts on (the CSV header is line 1).
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import rules
from domain.catalogue.entities import RowError
from domain.catalogue.errors import CatalogueErrorCode
from domain.catalogue.products import ProductFields, create_product, find_for_import, update_product
from domain.catalogue.rules import KEEP, AttributeInput, ImageInput
from domain.shared.errors import DomainError, InvalidInput, NotFound
from domain.shared.principal import Principal

COLUMNS = ("isbn", "slug", "title", "description", "kind", "format", "category", "brand", "work_title",
           "work_of", "authors", "attributes", "images", "release_date")
FORMATS = ("csv", "jsonl")
MAX_FIELD_CHARS = 100_000
# Input field names of the domain's errors, as the columns of a file.
_COLUMN_OF_FIELD = {"categoryId": "category", "brandId": "brand", "workId": "work_of", "workTitle": "work_title",
                    "releaseDate": "release_date"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

csv.field_size_limit(MAX_FIELD_CHARS)


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (unknown columns, no header, not UTF-8)."""

    code = CatalogueErrorCode.IMPORT_FILE_INVALID


@dataclass(slots=True)
class Row:
    """One record of a file: the line it starts on and its values by column."""

    line: int
    values: dict[str, Any]


def _csv_rows(lines: Iterable[str]) -> Iterator[Row | RowError]:
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    consumed = 0
    while True:
        start = consumed + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            consumed = reader.line_num
            if header is None:
                raise ImportFileError(f"The CSV header cannot be read: {error}.") from None
            yield RowError(start, None, "INVALID", f"This CSV record cannot be read: {error}.")
            continue
        consumed = reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue
        if header is None:
            header = [name.strip().lower() for name in record]
            unknown = [name for name in header if name not in COLUMNS]
            if unknown:
                raise ImportFileError(f"Unknown column {unknown[0]!r}; the columns are {', '.join(COLUMNS)}.")
            if len(set(header)) != len(header):
                raise ImportFileError("A column appears twice in the header.")
            continue
        if len(record) != len(header):
            yield RowError(start, None, "INVALID",
                           f"The row has {len(record)} cells; the header has {len(header)}.")
            continue
        yield Row(start, {name: cell for name, cell in zip(header, record) if cell.strip()})
    if header is None:
        raise ImportFileError("The file is empty: a CSV file starts with a header line naming its columns.")


def _jsonl_rows(lines: Iterable[str]) -> Iterator[Row | RowError]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            values = json.loads(line)
        except ValueError as error:
            yield RowError(number, None, "INVALID", f"This line is not valid JSON: {error}.")
            continue
        if not isinstance(values, dict):
            yield RowError(number, None, "INVALID", "Each line is one JSON object.")
            continue
        unknown = [key for key in values if key not in COLUMNS]
        if unknown:
            yield RowError(number, str(unknown[0])[:40], "INVALID",
                           f"Unknown field {str(unknown[0])[:40]!r}; the fields are {', '.join(COLUMNS)}.")
            continue
        yield Row(number, values)


def read_rows(lines: Iterable[str], fmt: str) -> Iterator[Row | RowError]:
    """The records of a file in order; a record that cannot be read is a RowError, a file
    that cannot be read at all an ImportFileError."""
    if fmt not in FORMATS:
        raise ImportFileError(f"Unknown file format {fmt!r}; use csv or jsonl.")
    rows = _csv_rows(lines) if fmt == "csv" else _jsonl_rows(lines)
    try:
        yield from rows
    except UnicodeDecodeError as error:
        raise ImportFileError(f"The file is not UTF-8 text ({error.reason} at byte {error.start}).") from None


def count_rows(lines: Iterable[str], fmt: str) -> int:
    """How many records a file has (what a progress bar counts); ImportFileError as `read_rows`."""
    return sum(1 for _ in read_rows(lines, fmt))


def row_error(line: int, error: DomainError) -> RowError:
    field = None
    if error.field:
        name = error.field[1] if error.field[0] == "input" and len(error.field) > 1 else error.field[0]
        field = _COLUMN_OF_FIELD.get(name, name)
    return RowError(line, field, error.code, error.message)


def _invalid(column: str, message: str, code: CatalogueErrorCode = CatalogueErrorCode.INVALID) -> InvalidInput:
    # Errors raised here name the column as an input field, like the domain's own errors.
    return InvalidInput(message, code=code, field=["input", column])


def _text(values: dict, column: str) -> Any:
    if column not in values:
        return KEEP
    value = values[column]
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and column in ("isbn", "title"):
        return str(value)
    raise _invalid(column, f"{column} must be text.")


def _authors(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [name for name in (n.strip() for n in value.split(";")) if name]
    if isinstance(value, list) and all(isinstance(n, str) for n in value):
        return value
    raise _invalid("authors", "authors must be names separated by ';' or a list of strings.")


def _attributes(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _invalid("attributes", 'attributes must be a JSON object, like {"pages": 320}.',
                           "ATTRIBUTE_INVALID") from None
    if not isinstance(value, dict):
        raise _invalid("attributes", 'attributes must be a JSON object, like {"pages": 320}.', CatalogueErrorCode.ATTRIBUTE_INVALID)
    result = []
    for name, item in value.items():
        if isinstance(item, bool):
            result.append(AttributeInput(name, "BOOLEAN", "true" if item else "false"))
        elif isinstance(item, int | float):
            result.append(AttributeInput(name, "NUMBER", json.dumps(item)))
        elif isinstance(item, str):
            result.append(AttributeInput(name, "STRING", item))
        elif isinstance(item, list):
            result.append(AttributeInput(name, "LIST", json.dumps(item)))
        else:
            raise _invalid("attributes", f"The attribute {str(name)[:40]} must be text, a number, true/false or"
                           " a list.", CatalogueErrorCode.ATTRIBUTE_INVALID)
    return result


def _image(item: Any) -> ImageInput:
    if isinstance(item, str):
        return ImageInput(url=item)
    if isinstance(item, dict) and isinstance(item.get("url"), str) and set(item) <= {"url", "altText", "width",
                                                                                     "height"}:
        alt = item.get("altText")
        if alt is not None and not isinstance(alt, str):
            raise _invalid("images", "An image's altText is text.", CatalogueErrorCode.IMAGE_INVALID)
        return ImageInput(url=item["url"], alt_text=alt, width=item.get("width"), height=item.get("height"))
    raise _invalid("images", 'An image is a URL or an object {"url", "altText", "width", "height"}.',
                   "IMAGE_INVALID")


def _images(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        if value.lstrip().startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                raise _invalid("images", "images is not a valid JSON array.", CatalogueErrorCode.IMAGE_INVALID) from None
        else:
            return [ImageInput(url=url) for url in value.split()]
    if not isinstance(value, list):
        raise _invalid("images", "images must be a list.", CatalogueErrorCode.IMAGE_INVALID)
    return [_image(item) for item in value]


def _release_date(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _invalid("release_date", f"release_date must be a date like 2027-03-01; got {str(value)[:40]!r}.")


def _enum(values: dict, column: str) -> Any:
    value = _text(values, column)
    return value.strip().upper() if isinstance(value, str) else value


async def _live_id_by_slug(session: AsyncSession, table: str, column: str, slug: Any, what: str) -> Any:
    if slug is KEEP or slug is None:
        return slug
    found = (await session.execute(text(f"SELECT id FROM {table} WHERE slug = :slug AND archived_at IS NULL"),
                                   {"slug": slug.strip()})).scalar()
    if found is None:
        raise NotFound(f"No live {what} has the slug {slug.strip()[:60]!r}.", field=["input", column])
    return found


async def _work_of(session: AsyncSession, principal: Principal, reference: str) -> int:
    """The work of the product an import row names (made from its title if it has none)."""
    key = reference.strip()
    try:
        isbn = rules.isbn13(key)
    except InvalidInput:
        isbn = None
    found = await find_for_import(session, isbn=isbn, slug=None if isbn else key)
    if found is None:
        raise NotFound(f"No live product has the ISBN or slug {key[:60]!r}.", field=["input", "work_of"])
    work_id, title = (await session.execute(text("SELECT work_id, title FROM products WHERE id = :id"),
                                            {"id": found})).one()
    if work_id is None:
        sibling = await update_product(session, principal, found, ProductFields(work_title=title),
                                       refresh_search=False)
        work_id = sibling.work_id
    return work_id


async def apply_row(session: AsyncSession, principal: Principal, row: Row) -> tuple[str, int]:
    """Creates or updates the product a row describes, through the same use cases as the
    mutations: ("created" | "updated", product id); a DomainError when the row is refused."""
    values = row.values
    for column, value in values.items():
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            raise _invalid(column, f"{column} is longer than {MAX_FIELD_CHARS} characters.")
    isbn_given = _text(values, "isbn")
    slug_given = _text(values, "slug")
    isbn = rules.isbn13(isbn_given) if isinstance(isbn_given, str) and isbn_given.strip() else None
    slug = slug_given.strip() if isinstance(slug_given, str) and slug_given.strip() else None
    fields = ProductFields(
        title=_text(values, "title"),
        slug=slug if slug is not None else KEEP,
        description=_text(values, "description"),
        kind=_enum(values, "kind"),
        format=_enum(values, "format"),
        category_id=await _live_id_by_slug(session, "categories", "category", _text(values, "category"),
                                           "category"),
        brand_id=await _live_id_by_slug(session, "brands", "brand", _text(values, "brand"), "brand"),
        work_title=_text(values, "work_title"),
        isbn=KEEP if isbn_given is KEEP else isbn,
        authors=_authors(values["authors"]) if "authors" in values else KEEP,
        attributes=_attributes(values["attributes"]) if "attributes" in values else KEEP,
        images=_images(values["images"]) if "images" in values else KEEP,
        release_date=_release_date(values["release_date"]) if "release_date" in values else KEEP,
    )
    work_of = _text(values, "work_of")
    if isinstance(work_of, str):
        if fields.work_title not in (KEEP, None):
            raise _invalid("work_title", "Give work_title or work_of, not both.")
        fields.work_id = await _work_of(session, principal, work_of)
    elif work_of is None and fields.work_title is KEEP:
        fields.work_id = None
    existing = await find_for_import(session, isbn=isbn, slug=slug)
    if existing is not None:
        product = await update_product(session, principal, existing, fields, refresh_search=False)
        return "updated", product.id
    product = await create_product(session, principal, fields, refresh_search=False)
    return "created", product.id
