"""Prime over HTTP: the plans are public; a customer joins with a trial and sees their
membership (never the card's token), switches plan, cancels and resumes; refusals come back as
typed userErrors that write nothing; a real member's cart shows free two-day delivery and a
non-member's does not."""
import pytest

from api.core import ids
from tests.api.carts.helpers import PLATFORM_BOOK, SELECT_DELIVERY, SET_ADDRESS, customer_cart, line, offer
from tests.api.identity.helpers import call
from tests.conftest import count_statements, make_client
from tests.fixtures.customer_service import snapshot
from tests.fixtures.db import execute, fetch
from tests.fixtures.identity import account
from tests.fixtures.subscriptions import TABLES

pytestmark = pytest.mark.one_copy_per_file

PLANS = "{ primePlans { plan price { amount currencyCode } periodMonths trialDays } }"
MEMBERSHIP = """plan status isMember inTrial trialEndsAt currentPeriodStart currentPeriodEnd nextChargeAt
  nextChargeAmount { amount currencyCode } nextPlan endsAt cancelledAt paymentMethod { brand last4 }"""
JOIN = """mutation($input: JoinPrimeInput!) { joinPrime(input: $input) { membership { %s }
  userErrors { code field message ... on MembershipError { declineCode } } } }""" % MEMBERSHIP
CANCEL = "mutation { cancelPrime { membership { %s } userErrors { code field } } }" % MEMBERSHIP
RESUME = "mutation { resumePrime { membership { %s } userErrors { code field } } }" % MEMBERSHIP
CHANGE = """mutation($plan: MembershipPlan!) { changePrimePlan(input: {plan: $plan}) { membership { %s }
  userErrors { code field } } }""" % MEMBERSHIP
MINE = "{ viewer { customer { membership { %s } } } }" % MEMBERSHIP
HISTORY = """query($after: String) { viewer { customer { membership { history(first: 3, after: $after) {
  nodes { kind status at plan amount { amount } periodEndsAt declineCode nextRetryAt paymentMethod { last4 } }
  pageInfo { hasNextPage endCursor } totalCount } } } } }"""


async def test_the_plans_are_public(gql):
    body = await gql(PLANS)
    assert body["data"]["primePlans"] == [
        {"plan": "PRIME_MONTHLY", "price": {"amount": "14.99", "currencyCode": "USD"}, "periodMonths": 1,
         "trialDays": 30},
        {"plan": "PRIME_ANNUAL", "price": {"amount": "139.00", "currencyCode": "USD"}, "periodMonths": 12,
         "trialDays": 30}]


async def test_a_customer_joins_with_a_trial_switches_plan_cancels_and_resumes(writable_database):
    db = writable_database
    async with make_client(db) as http:
        customer = await account(http, db, "joiner")
        assert (await customer(http, MINE))["data"]["viewer"]["customer"]["membership"] is None

        joined = (await customer(http, JOIN, {"input": {"plan": "PRIME_MONTHLY", "paymentToken": "tok_mastercard"}}
                                 ))["data"]["joinPrime"]
        assert joined["userErrors"] == []
        membership = joined["membership"]
        assert (membership["status"], membership["isMember"], membership["inTrial"], membership["nextPlan"]) == (
            "TRIAL", True, True, None)
        assert membership["nextChargeAt"] == membership["trialEndsAt"] == membership["currentPeriodEnd"]
        assert membership["nextChargeAmount"] == {"amount": "14.99", "currencyCode": "USD"}
        assert membership["paymentMethod"] == {"brand": "mastercard", "last4": "4444"}
        assert "tok_" not in str(membership)
        assert (await customer(http, MINE))["data"]["viewer"]["customer"]["membership"] == membership

        switched = (await customer(http, CHANGE, {"plan": "PRIME_ANNUAL"}))["data"]["changePrimePlan"]
        assert (switched["membership"]["plan"], switched["membership"]["nextPlan"],
                switched["membership"]["nextChargeAmount"]["amount"]) == ("PRIME_MONTHLY", "PRIME_ANNUAL", "139.00")

        cancelled = (await customer(http, CANCEL))["data"]["cancelPrime"]["membership"]
        assert (cancelled["status"], cancelled["isMember"], cancelled["endsAt"], cancelled["nextChargeAt"],
                cancelled["nextChargeAmount"]) == ("CANCELLED", True, membership["trialEndsAt"], None, None)
        again = (await customer(http, CANCEL))["data"]["cancelPrime"]
        assert again["userErrors"] == [{"code": "ALREADY_CANCELLED", "field": None}]

        resumed = (await customer(http, RESUME))["data"]["resumePrime"]["membership"]
        assert (resumed["status"], resumed["endsAt"], resumed["cancelledAt"], resumed["nextChargeAt"]) == (
            "TRIAL", None, None, membership["trialEndsAt"])

        # The billing page: newest first, one statement a page, and the last page says so.
        with count_statements() as counter:
            first = (await customer(http, HISTORY, {"after": None}))["data"]["viewer"]["customer"]["membership"]
        assert [e["kind"] for e in first["history"]["nodes"]] == ["RESUMED", "CANCELLED", "PLAN_CHANGE_SCHEDULED"]
        resumed_event, cancelled_event, switch = first["history"]["nodes"]
        assert (resumed_event["status"], cancelled_event["periodEndsAt"], switch["plan"]) == (
            "TRIAL", membership["trialEndsAt"], "PRIME_ANNUAL")
        assert (first["history"]["pageInfo"]["hasNextPage"], first["history"]["totalCount"]) == (True, 4)
        rest = (await customer(http, HISTORY, {"after": first["history"]["pageInfo"]["endCursor"]})
                )["data"]["viewer"]["customer"]["membership"]["history"]
        assert [(e["kind"], e["plan"], e["amount"]) for e in rest["nodes"]] == [("TRIAL_STARTED", "PRIME_MONTHLY", None)]
        assert rest["pageInfo"]["hasNextPage"] is False
        assert sum("membership_events" in sql for sql in counter.statements) == 1


@pytest.mark.own_copy
async def test_refusals_are_typed_user_errors_that_write_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        customer = await account(http, db, "refused")
        declined = (await customer(http, JOIN, {"input": {"plan": "PRIME_ANNUAL", "paymentToken": "tok_declined"}}
                                   ))["data"]["joinPrime"]
        assert declined == {"membership": None, "userErrors": [{
            "code": "PAYMENT_DECLINED", "field": ["input", "paymentToken"], "message": "The card was declined.",
            "declineCode": "card_declined"}]}
        assert (await snapshot(db, TABLES))["memberships"] == []

        not_member = (await customer(http, RESUME))["data"]["resumePrime"]["userErrors"]
        assert not_member == [{"code": "NOT_A_MEMBER", "field": None}]

        await customer(http, JOIN, {"input": {"plan": "PRIME_MONTHLY", "paymentToken": "tok_visa"}})
        before = await snapshot(db, TABLES)
        twice = (await customer(http, JOIN, {"input": {"plan": "PRIME_MONTHLY", "paymentToken": "tok_visa"}}
                                ))["data"]["joinPrime"]["userErrors"]
        assert [e["code"] for e in twice] == ["ALREADY_MEMBER"]
        blank = (await customer(http, JOIN, {"input": {"plan": "PRIME_MONTHLY", "paymentToken": ""}}
                                ))["data"]["joinPrime"]["userErrors"]
        assert [(e["code"], e["field"]) for e in blank] == [("INVALID", ["input", "paymentToken"])]
        assert await snapshot(db, TABLES) == before

        anonymous = await call(http, CANCEL)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_administrator_sees_a_customers_membership(writable_database):
    db = writable_database
    query = "query($id: ID!) { node(id: $id) { ... on Customer { membership { status } } } }"
    async with make_client(db) as http:
        customer = await account(http, db, "private")
        admin = await account(http, db, "staff", admin=True)
        await customer(http, JOIN, {"input": {"plan": "PRIME_MONTHLY", "paymentToken": "tok_visa", "trial": False}})
        gid = ids.encode("Customer", customer.account_id)
        assert (await admin(http, query, {"id": gid}))["data"]["node"] == {"membership": {"status": "ACTIVE"}}


async def test_a_members_cart_has_free_two_day_delivery_and_a_non_members_does_not(writable_database):
    db = writable_database
    book = await offer(db, f"{PLATFORM_BOOK} AND o.price_minor < 1000")
    async with make_client(db) as http:
        member = await account(http, db, "member")
        other = await account(http, db, "other")
        await member(http, JOIN, {"input": {"plan": "PRIME_MONTHLY", "paymentToken": "tok_visa"}})
        members = await customer_cart(http, member, line(book))
        others = await customer_cart(http, other, line(book))

    def two_day(cart):
        [option] = [o for o in cart["shipmentGroups"][0]["deliveryOptions"] if o["kind"] == "TWO_DAY"]
        return option["price"]["amount"]

    assert (two_day(members), two_day(others)) == ("0.00", "9.99")


async def test_reading_ones_membership_costs_one_statement_more_than_the_viewer(writable_database):
    db = writable_database
    async with make_client(db) as http:
        customer = await account(http, db, "counted")
        await customer(http, JOIN, {"input": {"plan": "PRIME_MONTHLY", "paymentToken": "tok_visa"}})
        with count_statements() as counter:
            body = await customer(http, MINE)
    assert body["data"]["viewer"]["customer"]["membership"]["status"] == "TRIAL"
    # The session check with the roles, the account, then the membership.
    assert counter.count == 3, counter.statements


PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id delivery { amount } lines { unitPrice { amount } } } userErrors { code field } } }"""
SEATTLE = {"fullName": "Ada Reader", "line1": "400 Broad St", "city": "Seattle", "region": "WA",
           "postalCode": "98109", "countryCode": "US"}


async def test_a_member_orders_at_the_member_price_with_free_two_day_delivery_and_then_gets_no_refund(
        writable_database):
    db = writable_database
    book = await offer(db, f"{PLATFORM_BOOK} AND o.price_minor < 1000")
    await execute(db, "UPDATE offers SET member_price_minor = price_minor - 100 WHERE id = $1", book["id"])
    price, member_price = f"{book['price_minor'] / 100:.2f}", f"{(book['price_minor'] - 100) / 100:.2f}"
    async with make_client(db) as http:
        member, other = await account(http, db, "member"), await account(http, db, "other")
        # Paid at once (no trial), so a cancel within three days would refund the charge.
        joined = await member(http, JOIN, {"input": {"plan": "PRIME_MONTHLY", "paymentToken": "tok_visa",
                                                     "trial": False}})
        assert joined["data"]["joinPrime"]["membership"]["status"] == "ACTIVE", joined
        carts = {}
        for who, caller in (("member", member), ("other", other)):
            cart = await customer_cart(http, caller, line(book))
            shipped = await caller(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "address": SEATTLE}})
            cart = shipped["data"]["setCartShippingAddress"]["cart"]
            group = cart["shipmentGroups"][0]
            chosen = await caller(http, SELECT_DELIVERY, {"input": {
                "cartId": cart["id"], "sellerId": group["seller"]["id"], "fulfilment": group["fulfilment"],
                "option": "TWO_DAY"}})
            carts[who] = chosen["data"]["selectCartDeliveryOption"]["cart"]
        assert [(c["lines"][0]["unitPrice"]["amount"], c["totals"]["delivery"]["amount"]) for c in carts.values()
                ] == [(member_price, "0.00"), (price, "9.99")]

        placed = await member(http, PLACE, {"input": {"cartId": carts["member"]["id"], "idempotencyKey": "prime-1",
                                                      "paymentToken": "tok_visa"}})
        order = placed["data"]["placeOrder"]
        assert order["userErrors"] == [] and order["order"]["delivery"]["amount"] == "0.00", placed
        assert order["order"]["lines"][0]["unitPrice"]["amount"] == member_price
        # A benefit was used in this period: cancelling keeps it to the period's end, no refund.
        cancelled = (await member(http, CANCEL))["data"]["cancelPrime"]["membership"]
        assert (cancelled["status"], cancelled["isMember"]) == ("CANCELLED", True)
    used = await fetch(db, "SELECT e.details->>'kind' AS kind FROM membership_events e JOIN memberships m"
                          " ON m.id = e.membership_id WHERE m.account_id = $1 AND e.kind = 'BENEFIT_USED'"
                          " ORDER BY e.id", member.account_id)
    assert [r["kind"] for r in used] == ["MEMBER_PRICE"]


UPDATE_CARD = """mutation($token: String!) { updatePrimePaymentMethod(input: {paymentToken: $token}) {
  membership { %s } userErrors { code field message ... on MembershipError { declineCode } } } }""" % MEMBERSHIP


async def test_a_member_replaces_the_card_and_a_declined_one_changes_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        customer = await account(http, db, "card")
        stranger = await account(http, db, "stranger")
        await customer(http, JOIN, {"input": {"plan": "PRIME_MONTHLY", "paymentToken": "tok_visa"}})

        replaced = (await customer(http, UPDATE_CARD, {"token": "tok_mastercard"}))["data"]["updatePrimePaymentMethod"]
        assert replaced["userErrors"] == []
        assert (replaced["membership"]["paymentMethod"], replaced["membership"]["status"]) == (
            {"brand": "mastercard", "last4": "4444"}, "TRIAL")
        assert "tok_" not in str(replaced)

        before = await snapshot(db, TABLES)
        declined = (await customer(http, UPDATE_CARD, {"token": "tok_insufficient_funds"}))["data"][
            "updatePrimePaymentMethod"]
        assert declined == {"membership": None, "userErrors": [{
            "code": "PAYMENT_DECLINED", "field": ["input", "paymentToken"],
            "message": "The card has insufficient funds.", "declineCode": "insufficient_funds"}]}
        not_member = (await stranger(http, UPDATE_CARD, {"token": "tok_visa"}))["data"]["updatePrimePaymentMethod"]
        assert [(e["code"], e["field"]) for e in not_member["userErrors"]] == [("NOT_A_MEMBER", None)]
        assert await snapshot(db, TABLES) == before
        mine = (await customer(http, MINE))["data"]["viewer"]["customer"]["membership"]
        assert mine["paymentMethod"] == {"brand": "mastercard", "last4": "4444"}
