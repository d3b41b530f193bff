"""Refunds through the order's payment: goodwill gestures (no seller pays), given amounts on given
lines (the sellers give back their share), accepted and rejected returns; idempotency keys; and
ten goodwill refunds racing on separate connections never refund more than was captured."""
import asyncio

import asyncpg
import pytest

from domain.orders import service as orders
from domain.orders.refunds import line_tax_share, seller_share
from domain.shared.errors import DomainError, Forbidden
from domain.shared.money import Money
from domain.shared.principal import Principal
from tests.api.carts.helpers import offer
from tests.fixtures.customer_service import committed, new_admin, new_customer, ship, snapshot
from tests.fixtures.db import fetch, fetchval
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

THIRD_PARTY = "o.seller_id = 2 AND p.kind = 'PHYSICAL' AND o.quantity >= 10 AND o.price_minor BETWEEN 500 AND 4000"
OTHER_SELLER = ("o.seller_id NOT IN (1, 2) AND p.kind = 'PHYSICAL' AND o.quantity >= 10"
                " AND o.price_minor BETWEEN 500 AND 4000")


def usd(minor: int) -> Money:
    return Money(minor, "USD")


async def _order_with_captured(db, provider, captured_minor: int):
    """A delivered order of one physical line whose captured amount is exactly `captured_minor`."""
    customer = await new_customer(db)
    book = await offer(db, THIRD_PARTY)
    placed = await placed_order(db, customer.account_id, [(book["id"], 1)],
                                delivery_minor=captured_minor - book["price_minor"])
    await ship(db, provider, placed.shipment_ids)
    return customer, placed


async def _refused(db, use_case) -> str:
    before = await snapshot(db)
    with pytest.raises(DomainError) as refused:
        await committed(db, use_case)
    assert await snapshot(db) == before
    return refused.value.code


def test_tax_and_seller_shares_add_up_to_the_whole_line_in_any_number_of_parts():
    assert [line_tax_share(100, 3, before, 1) for before in range(3)] == [33, 34, 33]
    assert line_tax_share(100, 3, 0, 3) == 100
    parts = [seller_share(1000, 85, before, amount) for before, amount in ((0, 500), (500, 300), (800, 285))]
    assert sum(parts) == 1000 and parts == [461, 276, 263]


@pytest.mark.own_copy
async def test_a_goodwill_refund_goes_back_to_the_customer_and_no_seller_pays(writable_database, provider):
    db = writable_database
    _, placed = await _order_with_captured(db, provider, 10_000)
    admin = await new_admin(db)
    ledger_before = await fetch(db, "SELECT * FROM seller_ledger_entries ORDER BY id")
    refund = await committed(db, lambda s: orders.goodwill_refund(
        s, admin, provider, placed.id, usd(1_250), "Parcel arrived a week late", "gw-1"))
    assert (refund.kind, refund.amount, refund.reason) == ("GOODWILL", usd(1_250), "Parcel arrived a week late")
    assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE id = $1", placed.payment_id) == 1_250
    assert await fetch(db, "SELECT * FROM seller_ledger_entries ORDER BY id") == ledger_before
    assert await fetchval(db, "SELECT sum(refunded_minor) FROM order_lines WHERE order_id = $1", placed.id) == 0
    event = (await fetch(db, "SELECT kind, data FROM order_events WHERE order_id = $1 ORDER BY id DESC LIMIT 1",
                         placed.id))[0]
    assert event["kind"] == "REFUNDED"
    mail = await fetch(db, "SELECT payload FROM jobs WHERE payload->>'template' = 'refund_issued'")
    assert len(mail) == 1 and '"12.50 USD"' in mail[0]["payload"]

    again = await committed(db, lambda s: orders.goodwill_refund(
        s, admin, provider, placed.id, usd(1_250), "Parcel arrived a week late", "gw-1"))
    assert again.id == refund.id
    assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE id = $1", placed.payment_id) == 1_250
    assert await fetchval(db, "SELECT count(*) FROM order_refunds WHERE order_id = $1", placed.id) == 1
    code = await _refused(db, lambda s: orders.goodwill_refund(
        s, admin, provider, placed.id, usd(1_000), "Parcel arrived a week late", "gw-1"))
    assert code == "IDEMPOTENCY_KEY_REUSED"


async def test_goodwill_refusals_change_nothing(writable_database, provider):
    db = writable_database
    customer, placed = await _order_with_captured(db, provider, 10_000)
    admin = await new_admin(db)

    def goodwill(principal, amount=usd(100), reason="Sorry", key="gw-x", order_id=placed.id):
        return lambda s: orders.goodwill_refund(s, principal, provider, order_id, amount, reason, key)

    before = await snapshot(db)
    with pytest.raises(Forbidden):
        await committed(db, goodwill(customer))
    assert await snapshot(db) == before
    assert await _refused(db, goodwill(admin, reason="  ")) == "REASON_REQUIRED"
    assert await _refused(db, goodwill(admin, reason="x" * 501)) == "REASON_REQUIRED"
    assert await _refused(db, goodwill(admin, amount=usd(10_001))) == "REFUND_EXCEEDS_CAPTURED"
    assert await _refused(db, goodwill(admin, amount=usd(0))) == "INVALID_AMOUNT"
    assert await _refused(db, goodwill(admin, amount=Money(100, "EUR"))) == "CURRENCY_MISMATCH"
    assert await _refused(db, goodwill(admin, key="has spaces")) == "IDEMPOTENCY_KEY_INVALID"
    assert await _refused(db, goodwill(admin, order_id=placed.id + 10_000)) == "NOT_FOUND"


async def _all_waiting_then_go(db, order_id: int, start, expected: int) -> list:
    """Hold the order's row lock until all `expected` racers wait for it, then let go."""
    holder, monitor = await asyncpg.connect(db.url), await asyncpg.connect(db.url)
    try:
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute("SELECT 1 FROM orders WHERE id = $1 FOR UPDATE", order_id)
        tasks = start()
        waiting = 0
        for _ in range(500):
            waiting = await monitor.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
            if waiting == expected:
                break
            await asyncio.sleep(0.02)
        assert waiting == expected, "the racers did not all wait"
        await transaction.rollback()
    finally:
        await holder.close()
        await monitor.close()
    return tasks


async def test_ten_concurrent_goodwill_refunds_of_30_against_100_captured_refund_exactly_90(writable_database,
                                                                                         provider):
    db = writable_database
    _, placed = await _order_with_captured(db, provider, 10_000)
    admin = await new_admin(db)

    async def attempt(n: int) -> str:
        try:
            await committed(db, lambda s: orders.goodwill_refund(s, admin, provider, placed.id, usd(3_000),
                                                                   f"Gesture {n}", f"race-{n}"))
        except DomainError as error:
            return error.code
        return "ok"

    racers: list = []

    def start():
        racers.extend(asyncio.create_task(attempt(n)) for n in range(10))
        return racers

    await _all_waiting_then_go(db, placed.id, start, 10)
    outcomes = await asyncio.gather(*racers)
    assert sorted(outcomes) == ["REFUND_EXCEEDS_CAPTURED"] * 7 + ["ok"] * 3
    assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE id = $1", placed.payment_id) == 9_000
    assert await fetchval(db, "SELECT sum(amount_minor) FROM order_refunds WHERE order_id = $1", placed.id) == 9_000
    assert await fetchval(db, "SELECT count(*) FROM order_refunds WHERE order_id = $1", placed.id) == 3


async def _two_line_order(db, provider, *, tax_bp: int = 1000):
    """A delivered order of a third-party line (3 units) and another seller's line (1 unit)."""
    customer = await new_customer(db)
    mine, theirs = await offer(db, THIRD_PARTY), await offer(db, OTHER_SELLER)
    placed = await placed_order(db, customer.account_id, [(mine["id"], 3), (theirs["id"], 1)], tax_bp=tax_bp)
    await ship(db, provider, placed.shipment_ids)
    lines = {r["seller_id"]: r for r in await fetch(
        db, "SELECT id, seller_id, quantity, unit_price_minor, line_total_minor, tax_minor FROM order_lines"
            " WHERE order_id = $1", placed.id)}
    return customer, placed, lines[2], lines[theirs["seller_id"]]


@pytest.mark.own_copy
async def test_refunding_given_amounts_on_lines_reverses_the_sellers_share(writable_database, provider):
    db = writable_database
    _, placed, line, other = await _two_line_order(db, provider)
    admin = await new_admin(db)
    amount = line["tax_minor"] + 200
    refund = await committed(db, lambda s: orders.refund_order(
        s, admin, provider, placed.id, [orders.LineRefund(line["id"], usd(amount))], "Scratched cover", "ro-1"))
    assert (refund.kind, refund.amount) == ("OTHER", usd(amount))
    assert await fetchval(db, "SELECT refunded_minor FROM order_lines WHERE id = $1", line["id"]) == amount
    entries = await fetch(db, "SELECT kind::text, amount_minor FROM seller_ledger_entries WHERE reference = $1",
                          f"order-refund:{refund.id}:line:{line['id']}")
    share = seller_share(line["line_total_minor"], line["tax_minor"], 0, amount)
    assert dict((e[0], e[1]) for e in entries)["REFUND"] == -share
    assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE id = $1", placed.payment_id) == amount

    again = await committed(db, lambda s: orders.refund_order(
        s, admin, provider, placed.id, [orders.LineRefund(line["id"], usd(amount))], "Scratched cover", "ro-1"))
    assert again.id == refund.id
    assert await fetchval(db, "SELECT count(*) FROM order_refunds") == 1
    code = await _refused(db, lambda s: orders.refund_order(
        s, admin, provider, placed.id, [orders.LineRefund(other["id"], usd(amount))], "Scratched cover", "ro-1"))
    assert code == "IDEMPOTENCY_KEY_REUSED"


async def test_refunds_of_given_amounts_are_refused_past_the_line_or_the_capture(writable_database, provider):
    db = writable_database
    customer = await new_customer(db)
    admin = await new_admin(db)
    book = await offer(db, THIRD_PARTY)
    placed = await placed_order(db, customer.account_id, [(book["id"], 2)], tax_bp=1000)
    line_id = placed.line_ids[0]
    paid = await fetchval(db, "SELECT line_total_minor + tax_minor FROM order_lines WHERE id = $1", line_id)

    def refund(amount, key="r", principal=admin, line=line_id):
        return lambda s: orders.refund_order(s, principal, provider, placed.id,
                                               [orders.LineRefund(line, usd(amount))], "Damaged", key)

    assert await _refused(db, refund(100)) == "NOT_CAPTURED"
    await ship(db, provider, placed.shipment_ids)
    assert await _refused(db, refund(paid + 1)) == "REFUND_EXCEEDS_LINE"
    assert await _refused(db, refund(100, line=line_id + 10_000)) == "NOT_FOUND"
    before = await snapshot(db)
    with pytest.raises(Forbidden):
        await committed(db, refund(100, principal=customer))
    assert await snapshot(db) == before
    # Take most of the payment back as a gesture: the line still has room, the payment no longer.
    captured = await fetchval(db, "SELECT captured_minor FROM payments WHERE id = $1", placed.payment_id)
    await committed(db, lambda s: orders.goodwill_refund(s, admin, provider, placed.id, usd(captured - 50),
                                                           "Sorry", "gw"))
    assert await _refused(db, refund(100)) == "REFUND_EXCEEDS_CAPTURED"
    await committed(db, refund(50))
    assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE id = $1", placed.payment_id) == captured


async def _returned(db, provider, customer, placed, line_id: int, quantity: int, reason: str = "DAMAGED"):
    return await committed(db, lambda s: orders.request_return(
        s, customer, provider, placed.id, reason, "", [orders.ReturnLineRequest(line_id, quantity)]))


@pytest.mark.own_copy
async def test_accepting_a_return_refunds_the_units_and_their_tax_and_reverses_the_sale(writable_database, provider):
    db = writable_database
    customer, placed, line, _ = await _two_line_order(db, provider)
    staff = await new_customer(db, "staff")
    seller_staff = Principal(account_id=staff.account_id, seller_ids=frozenset({2}))
    request = await _returned(db, provider, customer, placed, line["id"], 1)
    refunded = await committed(db, lambda s: orders.refund_return(s, seller_staff, provider, request.id))
    expected = line["unit_price_minor"] + line_tax_share(line["tax_minor"], 3, 0, 1)
    assert (refunded.status, refunded.refund) == ("REFUNDED", usd(expected))
    assert refunded.resolved_at is not None
    row = (await fetch(db, "SELECT returned_quantity, refunded_minor FROM order_lines WHERE id = $1", line["id"]))[0]
    assert tuple(row) == (1, expected)
    refund = (await fetch(db, "SELECT id, kind::text, amount_minor, return_request_id FROM order_refunds"))[0]
    assert tuple(refund)[1:] == ("RETURN", expected, request.id)
    sale_refund = await fetchval(db, "SELECT amount_minor FROM seller_ledger_entries WHERE kind = 'REFUND'"
                                     " AND reference = $1", f"order-refund:{refund['id']}:line:{line['id']}")
    assert sale_refund == -seller_share(line["line_total_minor"], line["tax_minor"], 0, expected)
    assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE id = $1", placed.payment_id) == expected

    # The other two units, in a second request: together the line's whole tax and sale come back.
    second = await _returned(db, provider, customer, placed, line["id"], 2)
    admin = await new_admin(db)
    await committed(db, lambda s: orders.refund_return(s, admin, provider, second.id))
    assert await fetchval(db, "SELECT refunded_minor FROM order_lines WHERE id = $1", line["id"]) == (
        line["line_total_minor"] + line["tax_minor"])
    assert await fetchval(db, "SELECT -sum(amount_minor) FROM seller_ledger_entries WHERE kind = 'REFUND'"
                              " AND sale_entry_id = (SELECT id FROM seller_ledger_entries WHERE kind = 'SALE'"
                              " AND reference = $1)", f"order-line:{line['id']}") == line["line_total_minor"]
    assert await _refused(db, lambda s: orders.refund_return(s, admin, provider, second.id)) == "RETURN_NOT_OPEN"


@pytest.mark.own_copy
async def test_only_customer_service_or_the_sellers_staff_decide_on_a_return(writable_database, provider):
    db = writable_database
    customer, placed, line, other = await _two_line_order(db, provider)
    request = await _returned(db, provider, customer, placed, other["id"], 1)
    staff = await new_customer(db, "staff")
    seller_2_staff = Principal(account_id=staff.account_id, seller_ids=frozenset({2}))
    for principal in (customer, seller_2_staff):
        before = await snapshot(db)
        for use_case in (lambda s, p=principal: orders.refund_return(s, p, provider, request.id),
                         lambda s, p=principal: orders.reject_return(s, p, request.id, "No")):
            with pytest.raises(Forbidden):
                await committed(db, use_case)
        assert await snapshot(db) == before
    admin = await new_admin(db)
    assert await _refused(db, lambda s: orders.reject_return(s, admin, request.id, "")) == "REASON_REQUIRED"
    assert await _refused(db, lambda s: orders.refund_return(s, admin, provider, request.id + 1000)) == "NOT_FOUND"
    rejected = await committed(db, lambda s: orders.reject_return(s, admin, request.id, "The item was used."))
    assert (rejected.status, rejected.refund) == ("REJECTED", usd(0))
    assert await fetchval(db, "SELECT count(*) FROM order_refunds") == 0
    assert await fetchval(db, "SELECT refunded_minor FROM payments WHERE id = $1", placed.payment_id) == 0
    mail = await fetch(db, "SELECT payload FROM jobs WHERE payload->>'template' = 'return_rejected'")
    assert len(mail) == 1 and "The item was used." in mail[0]["payload"]
    assert await _refused(db, lambda s: orders.refund_return(s, admin, provider, request.id)) == "RETURN_NOT_OPEN"
    # A rejected request no longer holds its units: they can be asked for again.
    again = await _returned(db, provider, customer, placed, other["id"], 1)
    assert again.status == "REQUESTED"
