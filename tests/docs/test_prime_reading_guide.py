"""The Prime Reading section of the Prime guide works as written: a member borrows a title of
the membership library, finds it among their borrowed titles, and returns it."""
import pytest

from api.core import ids
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("prime.md", "prime-reading")
JOIN = steps("prime.md", "prime")["JoinPrime"]


async def test_the_prime_reading_walkthrough(writable_database):
    db = writable_database
    assert list(STEPS) == ["BorrowTitle", "BorrowedTitles", "ReturnBorrowedTitle"]
    product = ids.encode("Product", await fetchval(db, "SELECT min(id) FROM products WHERE membership_included"))
    async with make_client(db) as http:
        member = await account(http, db, "guide")
        ok(await member(http, JOIN, {"token": "tok_visa"}), "joinPrime")
        licence = ok(await member(http, STEPS["BorrowTitle"], {"productId": product}), "borrowTitle")["licence"]
        assert (licence["kind"], licence["status"], licence["product"]) == (
            "MEMBERSHIP", "ACTIVE", {"id": product, "includedWithPrime": True})
        borrowed = ok(await member(http, STEPS["BorrowedTitles"]), "library")
        assert (borrowed["totalCount"], [n["id"] for n in borrowed["nodes"]]) == (1, [licence["id"]])
        returned = ok(await member(http, STEPS["ReturnBorrowedTitle"], {"licenceId": licence["id"]}),
                      "returnBorrowedTitle")["licence"]
        assert returned == {"id": licence["id"], "status": "REVOKED"}
