"""The same-time tie-break between devices is the order clients can compute themselves: the
devices' global IDs compared byte by byte. The database computes that ID as the API spells it."""
from api.core import ids
from domain.licences.reading import public_device_id
from tests.fixtures.db import fetch

NUMBERS = [1, 9, 10, 99, 100, 12345, 999_999_999, 1_000_000_000, 2**53 + 1, 2**63 - 1]


async def test_the_database_spells_a_device_s_global_id_as_the_api_does_and_orders_it_by_bytes(database):
    rows = await fetch(database, f"SELECT n, {public_device_id('n')} AS gid FROM unnest($1::bigint[]) AS t(n)"
                                 f" ORDER BY {public_device_id('n')}", NUMBERS)
    assert {r["n"]: r["gid"] for r in rows} == {n: ids.encode("Device", n) for n in NUMBERS}
    # Sorted by the database as clients sort the strings, which is not the order of the numbers.
    assert [r["gid"].encode() for r in rows] == sorted(ids.encode("Device", n).encode() for n in NUMBERS)
    assert [r["n"] for r in rows] != sorted(NUMBERS)
