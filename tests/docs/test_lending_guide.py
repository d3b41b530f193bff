"""The lending section of the library guide works as written: a customer lends a bought e-book,
the invited customer finds the loan and accepts it, and each library shows it on the licence."""
import pytest

from api.core import ids
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import execute
from tests.fixtures.identity import account
from tests.fixtures.lending import lendable_ebook

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("library.md", "lending")


async def test_the_lending_guide_runs(writable_database):
    assert list(STEPS) == ["LendEbook", "MyLoans", "AcceptLoan", "LentOrBorrowed"]
    db = writable_database
    async with make_client(db) as http:
        lender = await account(http, db, "lender")
        friend = await account(http, db, "friend")
        licence = ids.encode("Licence", await lendable_ebook(db, lender.account_id))
        # The guide lends to friend@example.com: that is the friend's address here.
        await execute(db, "UPDATE accounts SET email = 'friend@example.com' WHERE id = $1", friend.account_id)

        lent = ok(await lender(http, STEPS["LendEbook"], {"licenceId": licence}), "lendEbook")["loan"]
        assert (lent["status"], lent["borrowerEmail"]) == ("PENDING", "f***@example.com")
        mine = ok(await friend(http, STEPS["MyLoans"]), "viewer")["customer"]["ebookLoans"]["nodes"]
        assert [(n["id"], n["status"], n["lentByYou"]) for n in mine] == [(lent["id"], "PENDING", False)]
        accepted = ok(await friend(http, STEPS["AcceptLoan"], {"loanId": lent["id"]}), "acceptEbookLoan")["loan"]
        assert accepted["status"] == "ACTIVE"

        for caller, kind, status in ((lender, "PURCHASE", "SUSPENDED"), (friend, "LOAN", "ACTIVE")):
            (node,) = ok(await caller(http, STEPS["LentOrBorrowed"]), "library")["nodes"]
            assert (node["kind"], node["status"], node["loan"]["status"]) == (kind, status, "ACTIVE")
