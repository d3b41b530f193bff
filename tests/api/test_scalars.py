"""The custom scalars: each says what it is and which specification it follows (@specifiedBy),
and each has one wire format. DateTime results are always UTC, `Z` and milliseconds, whatever
the stored value's precision; inputs are any RFC 3339 date-time with an offset, read back as
sent (to the millisecond); a time without an offset, a Date in another ISO 8601 form, a UUID
without its hyphens or a ByteCount past 2^53 are refused with a message naming the format."""
from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from graphql import GraphQLError, build_schema

from api.core.scalars import (
    parse_byte_count,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_uuid,
    serialize_byte_count,
    serialize_datetime,
    serialize_decimal,
)
from api.schema import export_sdl
from tests.api.licences.helpers import SYNC, note_change
from tests.conftest import make_client
from tests.fixtures.db import execute, fetchval
from tests.fixtures.identity import account
from tests.fixtures.reading import device, licence

pytestmark = pytest.mark.one_copy_per_file

MILLISECONDS_Z = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
SPECIFIED_BY = {
    "DateTime": "https://scalars.graphql.org/andimarek/date-time",
    "Date": "https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    "UUID": "https://www.rfc-editor.org/rfc/rfc9562",
    "Decimal": "https://speleotrove.com/decimal/daconvs.html",
    "ByteCount": "https://scalars.graphql.org/apollographql/long-v0.1",
    "FieldPathSegment": "https://spec.graphql.org/October2021/#sec-Errors.Error-result-format",
}


def test_every_custom_scalar_is_described_and_specified_by_a_url():
    schema = build_schema(export_sdl())
    custom = {name: t for name, t in schema.type_map.items()
              if t.__class__.__name__ == "GraphQLScalarType" and name not in {"String", "Int", "Float", "Boolean", "ID"}}
    assert {name: t.specified_by_url for name, t in custom.items()} == SPECIFIED_BY
    for name, scalar in custom.items():
        assert len(scalar.description) > 80 and "isoformat" not in scalar.description, name


def test_datetime_results_are_utc_with_z_and_milliseconds():
    plus_two = timezone(timedelta(hours=2))
    assert serialize_datetime(datetime(2026, 12, 5, 4, 44, tzinfo=plus_two)) == "2026-12-05T02:44:00.000Z"
    assert serialize_datetime(datetime(2026, 12, 5, 2, 44, 0, 123987, tzinfo=UTC)) == "2026-12-05T02:44:00.123Z"
    assert serialize_datetime(datetime(2026, 12, 5, 2, 44)) == "2026-12-05T02:44:00.000Z"
    assert serialize_datetime(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00.000Z"


@pytest.mark.parametrize(("text", "instant"), [
    ("2026-12-05T02:44:00Z", datetime(2026, 12, 5, 2, 44, tzinfo=UTC)),
    ("2026-12-05t03:44:00.5+01:00", datetime(2026, 12, 5, 2, 44, 0, 500000, tzinfo=UTC)),
    ("2026-12-05T02:44:00.123987z", datetime(2026, 12, 5, 2, 44, 0, 123000, tzinfo=UTC)),
    ("2026-12-04T21:44:00.000-05:00", datetime(2026, 12, 5, 2, 44, tzinfo=UTC)),
])
def test_datetime_inputs_are_rfc_3339_with_an_offset_cut_to_milliseconds(text, instant):
    parsed = parse_datetime(text)
    assert parsed == instant and parsed.tzinfo is not None
    assert serialize_datetime(parsed) == serialize_datetime(instant)


@pytest.mark.parametrize(("value", "says"), [
    ("2026-12-05T02:44:00", "no offset"),
    ("2026-12-05T02:44:00.123", "no offset"),
    ("2026-12-05 02:44:00Z", "not an RFC 3339 date-time"),
    ("2026-12-05", "not an RFC 3339 date-time"),
    ("2026-12-05T02:44:00+01", "not an RFC 3339 date-time"),
    ("2026-02-30T02:44:00Z", "day is out of range"),
    ("2026-12-05T24:00:00Z", "hour must be in"),
    (1733366640, "send an RFC 3339 date-time string"),
    ("2026-12-05T02:44:00" + "0" * 100 + "Z", "send an RFC 3339 date-time string"),
])
def test_other_datetimes_are_refused_saying_why(value, says):
    with pytest.raises(GraphQLError, match=says):
        parse_datetime(value)


def test_dates_are_rfc_3339_full_dates_only():
    assert parse_date("2026-12-05") == date(2026, 12, 5)
    for other in ("20261205", "2026-W49-6", "2026-12-05T00:00:00Z", "2026-13-01", 20261205):
        with pytest.raises(GraphQLError, match="Date cannot represent"):
            parse_date(other)


def test_uuids_are_rfc_9562_strings_read_in_either_case():
    made = uuid.uuid4()
    assert parse_uuid(str(made).upper()) == made
    for other in (made.hex, f"{{{made}}}", f"urn:uuid:{made}", str(made)[:-1], 42):
        with pytest.raises(GraphQLError, match="UUID cannot represent"):
            parse_uuid(other)


def test_byte_counts_are_whole_numbers_javascript_reads_exactly():
    assert parse_byte_count(2 ** 53 - 1) == 2 ** 53 - 1 and serialize_byte_count(5_000_000_000) == 5_000_000_000
    for other in (-1, 2 ** 53, 1.5, "12", True):
        with pytest.raises(GraphQLError, match="ByteCount cannot represent"):
            parse_byte_count(other)


def test_decimals_are_plain_notation_and_bounded():
    assert [serialize_decimal(Decimal(t)) for t in ("12.99", "1E+2", "1E-7", "0.00")] == ["12.99", "100", "0.0000001",
                                                                                         "0.00"]
    assert parse_decimal("12.99") == Decimal("12.99") and parse_decimal(12) == Decimal(12)
    with pytest.raises(GraphQLError, match="less than 10\\^15"):
        parse_decimal("1e15")


async def test_a_stored_time_reads_back_with_three_fraction_digits_whatever_its_precision(writable_database):
    db = writable_database
    product = await fetchval(db, "SELECT id FROM products WHERE archived_at IS NULL ORDER BY id LIMIT 1")
    slug = await fetchval(db, "SELECT slug FROM products WHERE id = $1", product)
    query = "query ProductTimes($slug: String!) { product(slug: $slug) { id createdAt updatedAt } }"
    async with make_client(db) as http:
        await execute(db, "UPDATE products SET created_at = '2026-12-05 02:44:00+00',"
                          " updated_at = '2026-12-05 03:44:00.123456+01' WHERE id = $1", product)
        shown = (await http.post("/graphql", json={"query": query, "variables": {"slug": slug}})).json()
        assert (shown["data"]["product"]["createdAt"], shown["data"]["product"]["updatedAt"]) == (
            "2026-12-05T02:44:00.000Z", "2026-12-05T02:44:00.123Z")


async def test_a_time_sent_with_an_offset_reads_back_in_utc_and_one_without_is_refused(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        book = await licence(db, me.account_id)
        kindle = await device(http, me)
        sent = (datetime.now(UTC) - timedelta(minutes=3)).astimezone(timezone(timedelta(hours=-5)))
        change = note_change(book, uuid.uuid4(), 0, note="offset", clientTime=sent.isoformat())
        body = await me(http, SYNC, {"input": {"deviceId": kindle, "changes": [change]}})
        [stored] = body["data"]["syncAnnotations"]["annotations"]
        assert MILLISECONDS_Z.fullmatch(stored["clientUpdatedAt"])
        assert stored["clientUpdatedAt"] == serialize_datetime(sent)
        naive = {**change, "clientTime": sent.replace(tzinfo=None).isoformat()}
        refused = await me(http, SYNC, {"input": {"deviceId": kindle, "changes": [naive]}})
        [error] = refused["errors"]
        assert "data" not in refused or refused["data"] is None
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and "no offset" in error["message"]
