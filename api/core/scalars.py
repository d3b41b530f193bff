"""Shared GraphQL value types: the custom scalars (each with one wire format, named by its
`@specifiedBy` URL), money and currencies.

The scalars are registered in the schema's `scalar_map` (api/schema.py), which also replaces
strawberry's own DateTime and Date: those print whatever `isoformat()` gives, with or without
microseconds and with `+00:00`, so one field could come back in two shapes."""
from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import NewType

import strawberry
from graphql import GraphQLError

# No field takes a decimal this large (prices stop at 1,000,000.00). Bounding it here keeps
# numbers like 1e999990 from reaching code that turns them into integers of a million digits,
# which takes the process's CPU for seconds.
DECIMAL_LIMIT = Decimal(10) ** 15

# JavaScript reads JSON numbers as doubles: past 2^53 - 1 a whole number is no longer exact.
MAX_SAFE_INTEGER = 2 ** 53 - 1

# RFC 3339 section 5.6, `date-time`: T and Z may be lower case, the fraction has any number of digits.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def _shown(value: object) -> str:
    """The start of a refused value, for the error message."""
    return repr(value)[:60]


def parse_decimal(value: object) -> Decimal:
    """A Decimal from a string or JSON number (as strawberry's own scalar reads them), refused when
    finite and 10^15 or more in size; NaN and Infinity pass, for the fields to word their errors."""
    text = value if isinstance(value, str) else str(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise GraphQLError(f"Decimal cannot represent {text[:40]!r}: it is not a number.") from None
    if number.is_finite() and abs(number) >= DECIMAL_LIMIT:
        raise GraphQLError(f"Decimal cannot represent {text[:40]!r}: it must be less than 10^15 in size.")
    return number


def serialize_datetime(value: datetime) -> str:
    """The one wire format of a DateTime: UTC, `Z`, always three fraction digits
    (`2026-12-05T02:44:00.000Z`). The service keeps every time in UTC, so a naive value is UTC."""
    utc = value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="milliseconds") + "Z"


def parse_datetime(value: object) -> datetime:
    """An RFC 3339 date-time with its offset (kept as given), cut to milliseconds so that what a
    client sends is what it reads back. A time without an offset is refused: its instant is unknown."""
    if not isinstance(value, str) or len(value) > 40:
        raise GraphQLError(f"DateTime cannot represent {_shown(value)}: send an RFC 3339 date-time string"
                           " such as \"2026-12-05T02:44:00.000Z\".")
    if not _DATE_TIME.fullmatch(value):
        if _DATE_TIME.fullmatch(value + "Z"):
            raise GraphQLError(f"DateTime cannot represent {_shown(value)}: it has no offset; end it with Z"
                               " (UTC) or an offset such as +02:00.")
        raise GraphQLError(f"DateTime cannot represent {_shown(value)}: it is not an RFC 3339 date-time"
                           " such as \"2026-12-05T02:44:00.000Z\".")
    try:
        parsed = datetime.fromisoformat(value.upper())
    except ValueError as error:
        raise GraphQLError(f"DateTime cannot represent {_shown(value)}: {error}.") from None
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def parse_date(value: object) -> date:
    """An RFC 3339 full-date, YYYY-MM-DD (ISO 8601's other forms, 20261205 or 2026-W49-6, are refused)."""
    if not isinstance(value, str) or not _FULL_DATE.fullmatch(value):
        raise GraphQLError(f"Date cannot represent {_shown(value)}: send a date such as \"2026-12-05\".")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise GraphQLError(f"Date cannot represent {_shown(value)}: {error}.") from None


def parse_uuid(value: object) -> uuid.UUID:
    """A UUID in RFC 9562's string form, 8-4-4-4-12 hexadecimal digits in either case."""
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        raise GraphQLError(f"UUID cannot represent {_shown(value)}: send one such as"
                           " \"0f8fad5b-d9cb-469f-a165-70867728950e\".")
    return uuid.UUID(value)


def parse_byte_count(value: object) -> int:
    """A whole JSON number from 0 to 2^53 - 1; a string, a fraction or a boolean is refused."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SAFE_INTEGER:
        raise GraphQLError(f"ByteCount cannot represent {_shown(value)}: send a whole number from 0 to 2^53 - 1.")
    return value


def serialize_byte_count(value: int) -> int:
    if isinstance(value, bool) or not 0 <= value <= MAX_SAFE_INTEGER:
        raise GraphQLError(f"ByteCount cannot represent {_shown(value)}.")
    return int(value)


def serialize_decimal(value: Decimal) -> str:
    """Plain notation ("12.99", "0.000001", "100"), never an exponent ("1E+2"). `str` writes
    plain notation for all but very large or small exponents, and a third faster than `format`."""
    text = str(value)
    return format(value, "f") if "E" in text and isinstance(value, Decimal) else text


DECIMAL = strawberry.scalar(
    name="Decimal", serialize=serialize_decimal, parse_value=parse_decimal,
    specified_by_url="https://speleotrove.com/decimal/daconvs.html",
    description="An exact decimal number (never a binary float), less than 10^15 in size, as a numeric string of"
                " the General Decimal Arithmetic specification (the @specifiedBy URL). Results are strings in plain"
                " notation, never an exponent: \"12.99\". Inputs are such a string (exact) or a JSON number.")

DATETIME = strawberry.scalar(
    name="DateTime", serialize=serialize_datetime, parse_value=parse_datetime,
    specified_by_url="https://scalars.graphql.org/andimarek/date-time",
    description="An exact instant, as an RFC 3339 date-time string. Results are always in UTC with `Z` and"
                " exactly three fraction digits (milliseconds): \"2026-12-05T02:44:00.000Z\". Inputs are any RFC"
                " 3339 date-time with `Z` or an offset (\"2026-12-05T03:44:00+01:00\", with or without a"
                " fraction), cut to milliseconds; a time without an offset is refused.")

DATE = strawberry.scalar(
    name="Date", serialize=date.isoformat, parse_value=parse_date,
    specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    description="A calendar day without a time of day or time zone, as an RFC 3339 full-date string:"
                " YYYY-MM-DD (\"2026-12-05\"), in results and inputs alike.")

# Types of the fields that carry these scalars; `scalar_map` maps them to the definitions.
UUID = NewType("UUID", uuid.UUID)
UUID_SCALAR = strawberry.scalar(
    name="UUID", serialize=str, parse_value=parse_uuid,
    specified_by_url="https://www.rfc-editor.org/rfc/rfc9562",
    description="A UUID as RFC 9562's string: 8-4-4-4-12 hexadecimal digits, e.g."
                " \"0f8fad5b-d9cb-469f-a165-70867728950e\". Results are lower case; inputs may use either case."
                " Clients make them for what they create offline.")



def _parse_path_segment(value: object) -> str | int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("A path segment is a field name (a string) or a list index (an integer).")
    return value


def _serialize_path_segment(value: str | int) -> str | int:
    # Field names are never all digits, so a segment of digits is a list index.
    return int(value) if isinstance(value, int) or value.isdigit() else value


FieldPathSegment = NewType("FieldPathSegment", object)
FIELD_PATH_SEGMENT = strawberry.scalar(
    name="FieldPathSegment", serialize=_serialize_path_segment, parse_value=_parse_path_segment,
    specified_by_url="https://spec.graphql.org/October2021/#sec-Errors.Error-result-format",
    description="One step of a path into the input, as in a GraphQL response's `path`: a field name (a String)"
                " or a list index (an Int, counted from 0).")

ByteCount = NewType("ByteCount", int)
BYTE_COUNT = strawberry.scalar(
    name="ByteCount", serialize=serialize_byte_count, parse_value=parse_byte_count,
    specified_by_url="https://scalars.graphql.org/apollographql/long-v0.1",
    description="A size in bytes (octets): a whole JSON number from 0 to 2^53 - 1, which every JSON reader, a"
                " browser's included, reads exactly. It may pass Int's 32-bit limit (a video's size), so read it"
                " into a 64-bit integer: the values are a subset of the 64-bit Long of the @specifiedBy URL.")


@strawberry.enum(description="ISO 4217 currency code.")
class CurrencyCode(str, Enum):
    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"
    CAD = "CAD"
    JPY = "JPY"


@strawberry.type(description="An amount of money in a currency. Never a float: amount is an exact decimal.")
class Money:
    amount: Decimal = strawberry.field(description="The amount, in major units (12.99).")
    currency: CurrencyCode = strawberry.field(name="currencyCode", description="The currency.")
