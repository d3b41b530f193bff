"""Subscribe & Save over HTTP: a customer lists their subscriptions and upcoming deliveries (in
constant statements whatever the page size), changes, skips, pauses, resumes and cancels them;
refusals are typed userErrors that write nothing; another customer's subscription does not
exist."""
from datetime import UTC, date, timedelta

import pytest

from domain.payments.test_provider import TestPaymentProvider
from domain.shared import clock
from tests.api.carts.helpers import LINES_ADD, cart_rows, customer_cart, line
from tests.api.carts.helpers import offer as cart_offer
from tests.conftest import count_statements, make_client
from tests.fixtures.checkout import PLATFORM_BOOK, offers
from tests.fixtures.db import execute, fetch
from tests.fixtures.identity import account
from tests.fixtures.subscribe_and_save import deliver, subscribe

pytestmark = pytest.mark.one_copy_per_file

FIELDS = "id status quantity frequencyMonths nextDeliveryDate remindedUnitPrice { amount } product { title }"
MINE = """query($first: Int) { viewer { customer {
  subscriptions(first: $first) { totalCount edges { node { %s } } }
  upcomingDeliveries(first: $first) { totalCount edges { node { date quantity subscription { id } } } } } } }""" % FIELDS
PAYLOAD = "subscription { %s } userErrors { code field message }" % FIELDS
UPDATE = "mutation($input: UpdateSubscriptionInput!) { updateSubscription(input: $input) { %s } }" % PAYLOAD
SKIP = ("mutation($input: SkipSubscriptionDeliveryInput!) { skipSubscriptionDelivery(input: $input) { %s } }"
        % PAYLOAD)
PAUSE = "mutation($input: SubscriptionInput!) { pauseSubscription(input: $input) { %s } }" % PAYLOAD
RESUME = "mutation($input: SubscriptionInput!) { resumeSubscription(input: $input) { %s } }" % PAYLOAD
CANCEL = "mutation($input: SubscriptionInput!) { cancelSubscription(input: $input) { %s } }" % PAYLOAD


async def _rows(db, account_id):
    return [dict(r) for r in await fetch(db, "SELECT * FROM subscriptions WHERE account_id = $1 ORDER BY id",
                                         account_id)]


async def test_the_pages_of_subscriptions_and_upcoming_deliveries_cost_the_same_statements_whatever_their_size(
        writable_database):
    db = writable_database
    books = await offers(db, PLATFORM_BOOK, limit=6)
    async with TestPaymentProvider(db.url) as provider, make_client(db) as http:
        customer = await account(http, db, "subscriber")
        counts = {}
        for size, batch in ((1, books[:1]), (6, books[1:])):
            for book in batch:
                await subscribe(db, provider, customer.account_id, book, first=date.today())
            with count_statements() as counter:
                body = await customer(http, MINE, {"first": 10})
            mine = body["data"]["viewer"]["customer"]
            assert mine["subscriptions"]["totalCount"] == size
            assert mine["upcomingDeliveries"]["totalCount"] == size
            assert all(e["node"]["product"]["title"] for e in mine["subscriptions"]["edges"])
            counts[size] = counter.count
        assert counts[1] == counts[6]


async def test_a_customer_changes_skips_pauses_resumes_and_cancels_a_subscription(writable_database):
    db = writable_database
    [book] = await offers(db, PLATFORM_BOOK)
    today = clock.now().astimezone(UTC).date()
    async with TestPaymentProvider(db.url) as provider, make_client(db) as http:
        customer = await account(http, db, "subscriber")
        other = await account(http, db, "other")
        await subscribe(db, provider, customer.account_id, book, first=today)
        [edge] = (await customer(http, MINE))["data"]["viewer"]["customer"]["subscriptions"]["edges"]
        sub = edge["node"]
        gid = sub["id"]

        # Another customer's subscription does not exist for them; nothing changes.
        before = await _rows(db, customer.account_id)
        refused = (await other(http, PAUSE, {"input": {"subscriptionId": gid}}))["data"]["pauseSubscription"]
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
        for bad, code, field in (({"frequencyMonths": 7}, "INVALID_FREQUENCY", ["input", "frequencyMonths"]),
                                 ({"frequencyMonths": 0}, "INVALID_FREQUENCY", ["input", "frequencyMonths"]),
                                 ({"quantity": 11}, "INVALID", ["input", "quantity"]),
                                 ({"nextDeliveryDate": today.isoformat()}, "INVALID", ["input", "nextDeliveryDate"])):
            body = (await customer(http, UPDATE, {"input": {"subscriptionId": gid, **bad}}))["data"]
            assert [(e["code"], e["field"]) for e in body["updateSubscription"]["userErrors"]] == [(code, field)]
        assert await _rows(db, customer.account_id) == before

        later = today + timedelta(days=40)
        changed = (await customer(http, UPDATE, {"input": {"subscriptionId": gid, "quantity": 3, "frequencyMonths": 2,
                                                           "nextDeliveryDate": later.isoformat()}}
                                  ))["data"]["updateSubscription"]
        assert changed["userErrors"] == []
        assert (changed["subscription"]["quantity"], changed["subscription"]["frequencyMonths"],
                changed["subscription"]["nextDeliveryDate"]) == (3, 2, later.isoformat())

        skipped = (await customer(http, SKIP, {"input": {"subscriptionId": gid, "deliveryDate": later.isoformat()}}
                                  ))["data"]["skipSubscriptionDelivery"]
        assert skipped["userErrors"] == []
        after_skip = skipped["subscription"]["nextDeliveryDate"]
        assert date.fromisoformat(after_skip) > later
        # A retried skip of the same delivery changes nothing (the one after is not skipped too).
        again = (await customer(http, SKIP, {"input": {"subscriptionId": gid, "deliveryDate": later.isoformat()}}
                                ))["data"]["skipSubscriptionDelivery"]
        assert again["userErrors"] == [] and again["subscription"]["nextDeliveryDate"] == after_skip
        # A delivery the scheduler placed can no longer be skipped.
        await execute(writable_database, "UPDATE subscription_deliveries SET outcome = 'FAILED', reason = 'declined'"
                      " WHERE due_date = $1", later)
        placed = (await customer(http, SKIP, {"input": {"subscriptionId": gid, "deliveryDate": later.isoformat()}}
                                 ))["data"]["skipSubscriptionDelivery"]
        assert [(e["code"], e["field"]) for e in placed["userErrors"]] == [
            ("DELIVERY_ALREADY_PLACED", ["input", "deliveryDate"])]

        paused = (await customer(http, PAUSE, {"input": {"subscriptionId": gid}}))["data"]["pauseSubscription"]
        assert paused["subscription"]["status"] == "PAUSED"
        upcoming = (await customer(http, MINE))["data"]["viewer"]["customer"]["upcomingDeliveries"]
        assert upcoming["totalCount"] == 0
        resumed = (await customer(http, RESUME, {"input": {"subscriptionId": gid}}))["data"]["resumeSubscription"]
        assert resumed["subscription"]["status"] == "ACTIVE"
        cancelled = (await customer(http, CANCEL, {"input": {"subscriptionId": gid}}))["data"]["cancelSubscription"]
        assert cancelled["subscription"]["status"] == "CANCELLED"
        refused = (await customer(http, RESUME, {"input": {"subscriptionId": gid}}))["data"]["resumeSubscription"]
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_ACTIVE"]


async def test_a_delivery_the_scheduler_placed_cannot_be_skipped(writable_database):
    db = writable_database
    [book] = await offers(db, PLATFORM_BOOK)
    async with TestPaymentProvider(db.url) as provider, make_client(db) as http:
        customer = await account(http, db, "subscriber")
        first = clock.now().astimezone(UTC).date() - timedelta(days=31)
        await subscribe(db, provider, customer.account_id, book, first=first)
        [edge] = (await customer(http, MINE))["data"]["viewer"]["customer"]["upcomingDeliveries"]["edges"]
        shown = edge["node"]["date"]
        assert date.fromisoformat(shown) <= clock.now().astimezone(UTC).date()

        assert (await deliver(db, provider)).placed == 1

        body = (await customer(http, SKIP, {"input": {"subscriptionId": edge["node"]["subscription"]["id"],
                                                      "deliveryDate": shown}}))["data"]["skipSubscriptionDelivery"]
        assert [e["code"] for e in body["userErrors"]] == ["DELIVERY_ALREADY_PLACED"]


async def test_grocery_and_household_products_are_subscribe_eligible_and_books_are_not(database, gql):
    rows = await fetch(database, """SELECT p.slug, p.subscribe_eligible, top.slug AS department FROM products p
        JOIN categories c ON c.id = p.category_id JOIN categories top ON top.path = subpath(c.path, 0, 1)
        WHERE p.kind = 'PHYSICAL' AND (p.release_date IS NULL OR p.release_date <= current_date)""")
    grocery = [r for r in rows if r["department"] == "grocery-household"]
    assert grocery and all(r["subscribe_eligible"] for r in grocery)
    assert not any(r["subscribe_eligible"] for r in rows if r["department"] != "grocery-household")

    query = "query($slug: String!) { product(slug: $slug) { subscribeAndSave { eligible discountPercent tiered frequencies } } }"
    eligible = await gql(query, {"slug": grocery[0]["slug"]})
    assert eligible["data"]["product"]["subscribeAndSave"] == {"eligible": True, "discountPercent": 15,
                                                               "tiered": False, "frequencies": [1, 2, 3, 4, 5, 6]}
    other = next(r for r in rows if r["department"] != "grocery-household")
    refused = await gql(query, {"slug": other["slug"]})
    assert refused["data"]["product"]["subscribeAndSave"] == {"eligible": False, "discountPercent": 0,
                                                              "tiered": False, "frequencies": []}


async def test_subscription_lines_with_a_bad_frequency_or_an_ineligible_product_are_typed_errors_over_http(
        writable_database):
    from tests.api.carts.helpers import offer

    db = writable_database
    coffee = await offer(db, "p.subscribe_eligible AND s.is_first_party AND o.quantity >= 20")
    book = await cart_offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        customer = await account(http, db, "subscriber")
        cart = await customer_cart(http, customer, line(book))
        before = await cart_rows(db)
        for item, frequency, code, field in (
                (coffee, 7, "INVALID_FREQUENCY", ["input", "lines", "0", "subscription", "frequencyMonths"]),
                (coffee, 0, "INVALID_FREQUENCY", ["input", "lines", "0", "subscription", "frequencyMonths"]),
                (book, 1, "NOT_SUBSCRIBE_ELIGIBLE", ["input", "lines", "0", "subscription"])):
            body = await customer(http, LINES_ADD, {"input": {"cartId": cart["id"], "lines": [
                {**line(item), "subscription": {"frequencyMonths": frequency}}]}})
            assert [(e["code"], e["field"]) for e in body["data"]["addCartLines"]["userErrors"]] == [(code, field)]
        assert await cart_rows(db) == before
