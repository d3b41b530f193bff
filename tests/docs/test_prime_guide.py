"""The Prime guide's walkthrough works as written: a new customer joins with the free trial,
reads the membership, switches to annual, cancels and resumes."""
import pytest

from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("prime.md", "prime")


async def test_the_prime_walkthrough(writable_database):
    db = writable_database
    assert list(STEPS) == ["JoinPrime", "MyMembership", "CancelPrime", "ResumePrime", "SwitchToAnnual"]
    async with make_client(db) as http:
        customer = await account(http, db, "guide")
        joined = ok(await customer(http, STEPS["JoinPrime"], {"token": "tok_visa"}), "joinPrime")["membership"]
        assert (joined["status"], joined["inTrial"], joined["paymentMethod"]) == (
            "TRIAL", True, {"brand": "visa", "last4": "4242"})
        assert joined["nextChargeAt"] == joined["trialEndsAt"]
        mine = ok(await customer(http, STEPS["MyMembership"]), "viewer")["customer"]["membership"]
        assert (mine["status"], mine["isMember"], mine["nextChargeAmount"]) == ("TRIAL", True, {"amount": "14.99"})
        cancelled = ok(await customer(http, STEPS["CancelPrime"]), "cancelPrime")["membership"]
        assert (cancelled["status"], cancelled["isMember"], cancelled["endsAt"], cancelled["nextChargeAt"]) == (
            "CANCELLED", True, joined["trialEndsAt"], None)
        resumed = ok(await customer(http, STEPS["ResumePrime"]), "resumePrime")["membership"]
        assert (resumed["status"], resumed["endsAt"]) == ("TRIAL", None)
        switched = ok(await customer(http, STEPS["SwitchToAnnual"]), "changePrimePlan")["membership"]
        assert (switched["plan"], switched["nextPlan"], switched["nextChargeAmount"]) == (
            "PRIME_MONTHLY", "PRIME_ANNUAL", {"amount": "139.00"})
