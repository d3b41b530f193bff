"""The Prime guide's "Replacing the card" works as written: a member whose renewal was declined
replaces the card, and the worker's next sweep renews the membership with it."""
from datetime import timedelta

from domain.payments.test_provider import TestPaymentProvider
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.db import fetch
from tests.fixtures.identity import account
from tests.fixtures.subscriptions import charges, renew

STEPS = steps("prime.md", "prime-card")
JOIN = """mutation { joinPrime(input: {plan: PRIME_MONTHLY, paymentToken: "tok_visa_declines_after_1", trial: false}) {
  membership { status } userErrors { code } } }"""


async def test_replacing_the_card_in_grace_renews_at_the_next_sweep(writable_database):
    db = writable_database
    assert list(STEPS) == ["ReplacePrimeCard"]
    async with make_client(db) as http, TestPaymentProvider(db.url) as provider:
        member = await account(http, db, "guide")
        ok(await member(http, JOIN), "joinPrime")
        [row] = await fetch(db, "SELECT id, current_period_end FROM memberships WHERE account_id = $1",
                            member.account_id)
        await renew(db, provider, now=row["current_period_end"])

        replaced = ok(await member(http, STEPS["ReplacePrimeCard"], {"token": "tok_mastercard"}),
                      "updatePrimePaymentMethod")["membership"]
        assert (replaced["status"], replaced["paymentMethod"]) == ("GRACE", {"brand": "mastercard", "last4": "4444"})
        declined = await member(http, STEPS["ReplacePrimeCard"], {"token": "tok_declined"})
        assert [e["code"] for e in declined["data"]["updatePrimePaymentMethod"]["userErrors"]] == ["PAYMENT_DECLINED"]

        assert (await renew(db, provider, now=row["current_period_end"] + timedelta(hours=1))).renewed == 1
        assert [c["outcome"] for c in await charges(db, row["id"])] == ["SUCCEEDED", "DECLINED", "SUCCEEDED"]
