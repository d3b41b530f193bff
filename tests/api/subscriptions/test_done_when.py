"""Prime and Subscribe & Save end to end, as a client and the worker meet them: a member's cart
shows free two-day delivery and a non-member's does not; two workers running the renewal job at
once charge a member's period once; two workers running the delivery scheduler at once place one
order per due subscription; a member whose card stops working lapses after the grace period, and
their borrowed e-books leave the library at the next sync (LICENCE_EXPIRED).

Customers act over GraphQL; the worker runs the real jobs (`Worker.run_once` with the job
registry) on connections of its own; time moves on an injected clock."""
import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from api.core import ids
from domain.orders import service as orders
from domain.payments.test_provider import TestPaymentProvider
from domain.subscriptions import service as subscriptions
from tests.api.carts.helpers import PLATFORM_BOOK, SEATTLE, SET_ADDRESS, customer_cart, line, offer
from tests.conftest import make_client
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.identity import account
from tests.fixtures.jobs import queue, worker
from tests.fixtures.subscribe_and_save import deliveries, orders_of
from tests.fixtures.subscribe_and_save import provider_charges as delivery_charges
from tests.fixtures.subscriptions import charges, install_clock, membership
from tests.fixtures.subscriptions import provider_charges as membership_charges

JOIN = """mutation($token: String!) { joinPrime(input: {plan: PRIME_MONTHLY, paymentToken: $token, trial: false}) {
  membership { status currentPeriodEnd } userErrors { code message } } }"""
SUBSCRIBE = """mutation($offerId: ID!) { createCart(input: {lines: [{offerId: $offerId, quantity: 1,
  subscription: {frequencyMonths: 1}}]}) { cart { id } userErrors { code message } } }"""
PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code message } } }"""
MINE = """{ viewer { customer { subscriptions(first: 5) { nodes { id status nextDeliveryDate } } } } }"""
BORROW = """mutation($id: ID!) { borrowTitle(input: {productId: $id}) { licence { id status }
  userErrors { code message } } }"""
SYNC = """query($since: String) { librarySync(since: $since) { nextToken changes { kind licence { id status } } } }"""
COFFEE = ("p.subscribe_eligible AND s.is_first_party AND o.quantity >= 20"
          " AND p.category_id IN (SELECT id FROM categories WHERE slug = 'grocery-coffee')")


def _ok(body: dict, field: str) -> dict:
    assert "errors" not in body, body
    assert body["data"][field]["userErrors"] == [], body
    return body["data"][field]


def _two_day(cart: dict) -> str:
    [option] = [o for o in cart["shipmentGroups"][0]["deliveryOptions"] if o["kind"] == "TWO_DAY"]
    return option["price"]["amount"]


async def _run_at_once(db, provider, kind: str, tag: str) -> None:
    """Queues two runs of the job `kind` and has two workers run them at the same time."""
    for n in (1, 2):
        await queue(db, kind, {"n": n}, dedupe_key=f"{kind}:{tag}:{n}")
    results = await asyncio.gather(*(worker(db, payments=provider).run_once() for _ in range(2)))
    assert sum(r.failed for r in results) == 0


async def test_prime_and_subscribe_and_save_done_when(writable_database, monkeypatch):
    db = writable_database
    # The worker claims jobs by the database's clock, so the injected one starts at today's time.
    now = install_clock(monkeypatch, datetime.now(UTC))
    book = await offer(db, f"{PLATFORM_BOOK} AND o.price_minor < 1000")
    coffee = await offer(db, COFFEE)
    included = [ids.encode("Product", r["id"]) for r in await fetch(
        db, "SELECT id FROM products WHERE membership_included AND format = 'KINDLE' AND archived_at IS NULL"
            " ORDER BY id LIMIT 2")]
    async with TestPaymentProvider(db.url) as provider, make_client(db) as http:
        member = await account(http, db, "member")
        other = await account(http, db, "other")
        reader = await account(http, db, "reader", kind="EREADER")
        _ok(await member(http, JOIN, {"token": "tok_visa"}), "joinPrime")
        # The reader's card pays for the first month, then is declined from the renewal on.
        _ok(await reader(http, JOIN, {"token": "tok_visa_declines_after_1"}), "joinPrime")

        # 1. The member's cart has free two-day delivery; the non-member's does not.
        carts = [await customer_cart(http, who, line(book)) for who in (member, other)]
        assert [_two_day(cart) for cart in carts] == ["0.00", "9.99"]

        # Both subscribe to a coffee every month from the cart; the order placed is the first delivery.
        subscribers = (member, other)
        for who in subscribers:
            cart = _ok(await who(http, SUBSCRIBE, {"offerId": ids.encode("Offer", coffee["id"])}), "createCart")["cart"]
            _ok(await who(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "address": SEATTLE}}),
                "setCartShippingAddress")
            _ok(await who(http, PLACE, {"input": {"cartId": cart["id"], "idempotencyKey": uuid.uuid4().hex,
                                                  "paymentToken": "tok_visa"}}), "placeOrder")
        subs = {}
        for who in subscribers:
            [sub] = (await who(http, MINE))["data"]["viewer"]["customer"]["subscriptions"]["nodes"]
            subs[who.account_id] = sub

        # The reader borrows two e-books of the membership library; their e-reader syncs them.
        borrowed = [_ok(await reader(http, BORROW, {"id": p}), "borrowTitle")["licence"]["id"] for p in included]
        synced = (await reader(http, SYNC))["data"]["librarySync"]
        assert [(c["kind"], c["licence"]["id"]) for c in synced["changes"]] == [
            ("LICENCE_ADDED", licence) for licence in borrowed]

        memberships = {who.account_id: await fetchval(db, "SELECT id FROM memberships WHERE account_id = $1",
                                                      who.account_id) for who in (member, reader)}
        period_ends = [(await membership(db, m))["current_period_end"] for m in memberships.values()]
        due_dates = [datetime.fromisoformat(s["nextDeliveryDate"]).replace(tzinfo=UTC) for s in subs.values()]
        now.set(max(*period_ends, *due_dates) + timedelta(minutes=5))

        # 2. Two workers run the renewal job at once: each period is charged once.
        await _run_at_once(db, provider, subscriptions.RENEW_JOB, "renew")
        renewed = await charges(db, memberships[member.account_id])
        assert [(c["attempt"], c["outcome"]) for c in renewed] == [(1, "SUCCEEDED"), (1, "SUCCEEDED")]
        assert renewed[1]["period_start"] == renewed[0]["period_end"]
        assert [c["outcome"] for c in await membership_charges(db, memberships[member.account_id])] == [
            "SUCCEEDED", "SUCCEEDED"]
        assert [c["outcome"] for c in await charges(db, memberships[reader.account_id])] == ["SUCCEEDED", "DECLINED"]
        assert (await membership(db, memberships[reader.account_id]))["status"] == "GRACE"

        # 3. Two workers run the delivery scheduler at once: one order per due subscription.
        await _run_at_once(db, provider, orders.SUBSCRIPTION_DELIVERIES_JOB, "deliver")
        for who in subscribers:
            placed = await deliveries(db, ids.decode(subs[who.account_id]["id"])[1])
            assert [d["outcome"] for d in placed] == ["PLACED"]
            assert [o["id"] for o in await orders_of(db, who.account_id)][-1] == placed[0]["order_id"]
            assert len(await orders_of(db, who.account_id)) == 2
            assert [c["outcome"] for c in await delivery_charges(db, who.account_id)] == ["SUCCEEDED"]

        # 4. The reader's retries on days 1, 3 and 7 of the grace period are declined too: the
        # membership lapses, and the borrowed e-books leave the library at the next sync.
        grace = (await membership(db, memberships[reader.account_id]))["grace_started_at"]
        for day in (1, 3, 7):
            assert (await reader(http, SYNC, {"since": synced["nextToken"]}))["data"]["librarySync"]["changes"] == []
            now.set(grace + timedelta(days=day, minutes=1))
            await _run_at_once(db, provider, subscriptions.RENEW_JOB, f"retry-{day}")
        assert (await membership(db, memberships[reader.account_id]))["status"] == "LAPSED"
        lapsed = (await reader(http, SYNC, {"since": synced["nextToken"]}))["data"]["librarySync"]
        assert [(c["kind"], c["licence"]["id"], c["licence"]["status"]) for c in lapsed["changes"]] == [
            ("LICENCE_EXPIRED", licence, "EXPIRED") for licence in borrowed]
        # The member, renewed, is still charged once for the period.
        assert len(await membership_charges(db, memberships[member.account_id])) == 2
