"""Shipping, delivering and cancelling orders and shipments: the money captured and voided, the
sellers' ledgers, stock, the order's status and history, who may do what, and a refusal or a
provider failure changing nothing."""
from __future__ import annotations

import asyncio
import itertools
import json
from datetime import date, timedelta

import pytest

from domain.marketplace import service as marketplace
from domain.orders import service as orders
from domain.payments.provider import PaymentProviderError
from domain.payments.test_provider import TestPaymentProvider
from domain.shared.db import Database
from domain.shared.errors import DomainError, Forbidden, NotFound, Unauthenticated
from domain.shared.principal import ANONYMOUS, Principal
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures import chaos
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

_n = itertools.count(1)
FIRST_PARTY_BOOK = ("s.is_first_party AND p.kind = 'PHYSICAL' AND p.format = 'PAPERBACK' AND o.quantity >= 20"
                    " AND o.fulfilment = 'PLATFORM'")
MERCHANT_GOODS = ("NOT s.is_first_party AND p.kind = 'PHYSICAL' AND o.fulfilment = 'MERCHANT' AND o.quantity >= 20")
KINDLE = "p.format = 'KINDLE'"


async def _offer(db: Database, where: str, *, not_seller: int | None = None) -> dict:
    extra = f" AND o.seller_id <> {not_seller}" if not_seller else ""
    rows = await fetch(db, "SELECT o.id, o.seller_id, o.product_id, o.quantity FROM offers o JOIN sellers s ON"
                           " s.id = o.seller_id JOIN products p ON p.id = o.product_id WHERE o.archived_at IS NULL AND"
                           f" p.archived_at IS NULL AND s.standing <> 'SUSPENDED' AND {where}{extra} ORDER BY o.id"
                           " LIMIT 1")
    return dict(rows[0])


async def _account(db: Database, name: str) -> int:
    return await fetchval(db, "INSERT INTO accounts (email, display_name, password_hash) VALUES ($1, $2, 'x')"
                              " RETURNING id", f"{name}-{next(_n)}@example.com", name)


async def _people(db: Database, seller_id: int) -> dict[str, Principal]:
    customer = await _account(db, "customer")
    return {
        "customer": Principal(account_id=customer),
        "staff": Principal(account_id=await _account(db, "staff"), seller_ids=frozenset({seller_id})),
        "admin": Principal(account_id=await _account(db, "admin"), is_admin=True),
        "stranger": Principal(account_id=await _account(db, "stranger")),
    }


async def _run(db: Database, use_case):
    async with UnitOfWork(db) as uow:
        result = await use_case(uow.session)
        await uow.commit()
    return result


@pytest.fixture
async def provider(writable_database):
    async with TestPaymentProvider(writable_database.url) as test_provider:
        yield test_provider


async def _ship(db, provider, principal, shipment_id, carrier="UPS", tracking="1Z999AA10123456784"):
    return await _run(db, lambda s: orders.mark_shipped(s, principal, provider, shipment_id, carrier, tracking))


async def _rows(db: Database) -> dict:
    """Everything a use case on orders may change."""
    tables = {
        "orders": "SELECT * FROM orders ORDER BY id",
        "shipments": "SELECT * FROM shipments ORDER BY id",
        "events": "SELECT id, kind FROM order_events ORDER BY id",
        "payments": "SELECT * FROM payments ORDER BY id",
        "transactions": "SELECT id, kind, amount_minor FROM payment_transactions ORDER BY id",
        "ledger": "SELECT id, seller_id, kind, amount_minor FROM seller_ledger_entries ORDER BY id",
        "stock": "SELECT id, quantity FROM offers ORDER BY id",
        "jobs": "SELECT id, kind, payload FROM jobs ORDER BY id",
    }
    return {name: [dict(r) for r in await fetch(db, sql)] for name, sql in tables.items()}


async def _shipment(db: Database, shipment_id: int) -> dict:
    return dict((await fetch(db, "SELECT status::text AS status, subtotal_minor + delivery_minor + tax_minor AS total,"
                                 " captured_minor, carrier, tracking_number, shipped_at, delivered_at, cancelled_at,"
                                 " seller_id FROM shipments WHERE id = $1", shipment_id))[0])


async def _shipment_of(db: Database, placed, seller_id: int) -> int:
    return await fetchval(db, "SELECT id FROM shipments WHERE order_id = $1 AND seller_id = $2", placed.id, seller_id)


async def _payment(db: Database, payment_id: int) -> dict:
    return dict((await fetch(db, "SELECT status::text AS status, amount_minor, captured_minor, voided_minor,"
                                 " refunded_minor FROM payments WHERE id = $1", payment_id))[0])


async def _order_status(db: Database, order_id: int) -> str:
    return await fetchval(db, "SELECT status::text FROM orders WHERE id = $1", order_id)


async def _events(db: Database, order_id: int) -> list[str]:
    return [r["kind"] for r in await fetch(db, "SELECT kind FROM order_events WHERE order_id = $1 ORDER BY id",
                                           order_id)]


async def _emails(db: Database, template: str) -> list[dict]:
    return [json.loads(r["payload"]) for r in await fetch(db, "SELECT payload FROM jobs WHERE kind = 'email.send' AND"
                                                  " payload->>'template' = $1 ORDER BY id", template)]


async def _ledger(db: Database, seller_id: int) -> list[dict]:
    return [dict(r) for r in await fetch(db, "SELECT kind::text AS kind, amount_minor, reference, rate_bps FROM"
                                             " seller_ledger_entries WHERE seller_id = $1 ORDER BY id", seller_id)]


async def _balance(db: Database, seller_id: int) -> int:
    reader = await db.reader()
    try:
        return (await marketplace.ledger.balance(reader, seller_id)).minor
    finally:
        await reader.close()


@pytest.mark.own_copy
async def test_shipping_captures_each_shipments_share_and_credits_its_seller(writable_database, provider):
    db = writable_database
    book = await _offer(db, FIRST_PARTY_BOOK)
    goods = await _offer(db, MERCHANT_GOODS)
    people = await _people(db, goods["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(book["id"], 2), (goods["id"], 1)],
                                delivery_minor=650, tax_bp=1000)
    by_seller = {(await _shipment(db, sid))["seller_id"]: sid for sid in placed.shipment_ids}
    merchant_shipment, platform_shipment = by_seller[goods["seller_id"]], by_seller[book["seller_id"]]
    first_party_before = await _ledger(db, book["seller_id"])

    assert await _ship(db, provider, people["staff"], merchant_shipment, " UPS ", "1Z-1") == merchant_shipment
    shipped = await _shipment(db, merchant_shipment)
    assert (shipped["status"], shipped["carrier"], shipped["tracking_number"]) == ("SHIPPED", "UPS", "1Z-1")
    assert shipped["captured_minor"] == shipped["total"] and shipped["shipped_at"] is not None
    payment = await _payment(db, placed.payment_id)
    assert (payment["status"], payment["captured_minor"], payment["voided_minor"]) == (
        "PARTIALLY_CAPTURED", shipped["total"], 0)
    # The third-party seller: its line and its own delivery fee are sales, each with its commission.
    entries = await _ledger(db, goods["seller_id"])
    line_total = await fetchval(db, "SELECT line_total_minor FROM order_lines WHERE shipment_id = $1",
                                merchant_shipment)
    assert sorted(e["amount_minor"] for e in entries if e["kind"] == "SALE") == sorted([line_total, 650])
    commissions = [e for e in entries if e["kind"] == "COMMISSION"]
    assert len(commissions) == 2
    for sale, commission in zip([e for e in entries if e["kind"] == "SALE"], commissions, strict=True):
        assert commission["amount_minor"] == -marketplace.commission_fee_minor(sale["amount_minor"],
                                                                               commission["rate_bps"])
        assert commission["rate_bps"] > 0
    assert await _balance(db, goods["seller_id"]) == sum(e["amount_minor"] for e in entries)
    assert await _order_status(db, placed.id) == "PARTIALLY_SHIPPED"
    [mail] = await _emails(db, "shipment_shipped")
    assert mail["context"]["orderNumber"] == placed.number and mail["context"]["trackingNumber"] == "1Z-1"
    assert "1 x " in mail["context"]["items"]

    await _ship(db, provider, people["admin"], platform_shipment)
    # The first-party seller pays no commission, and a platform shipment's delivery is not its sale.
    new = (await _ledger(db, book["seller_id"]))[len(first_party_before):]
    assert [e["kind"] for e in new] == ["SALE"]
    assert new[0]["amount_minor"] == 2 * await fetchval(db, "SELECT price_minor FROM offers WHERE id = $1", book["id"])
    payment = await _payment(db, placed.payment_id)
    assert (payment["status"], payment["captured_minor"], payment["voided_minor"]) == (
        "CAPTURED", placed.total_minor, 0)
    assert await _order_status(db, placed.id) == "SHIPPED"

    await _run(db, lambda s: orders.mark_delivered(s, people["staff"], merchant_shipment))
    assert await _order_status(db, placed.id) == "SHIPPED"
    await _run(db, lambda s: orders.mark_delivered(s, people["admin"], platform_shipment))
    assert await _order_status(db, placed.id) == "DELIVERED"
    assert (await _shipment(db, platform_shipment))["delivered_at"] is not None
    assert await _events(db, placed.id) == [
        "PLACED", "PAYMENT_CAPTURED", "SHIPPED", "PAYMENT_CAPTURED", "SHIPPED", "DELIVERED", "DELIVERED"]


async def test_each_sellers_staff_works_only_its_own_shipments(writable_database, provider):
    db = writable_database
    mine = await _offer(db, MERCHANT_GOODS)
    theirs = await _offer(db, "p.kind = 'PHYSICAL' AND o.quantity >= 20", not_seller=mine["seller_id"])
    people = await _people(db, mine["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(mine["id"], 1), (theirs["id"], 1)])
    their_shipment = await _shipment_of(db, placed, theirs["seller_id"])
    before = await _rows(db)

    for who, error in (("staff", NotFound), ("stranger", NotFound), ("customer", Forbidden)):
        with pytest.raises(error):
            await _ship(db, provider, people[who], their_shipment)
        with pytest.raises(error):
            await _run(db, lambda s, p=people[who]: orders.cancel_shipment(s, p, provider, their_shipment, "No"))
    with pytest.raises(Unauthenticated):
        await _ship(db, provider, ANONYMOUS, their_shipment)
    with pytest.raises(NotFound):
        await _run(db, lambda s: orders.mark_delivered(s, people["staff"], their_shipment))
    with pytest.raises(NotFound):
        await _ship(db, provider, people["admin"], 10**12)
    assert await _rows(db) == before


@pytest.mark.own_copy
async def test_only_the_platform_works_a_shipment_it_fulfils_for_a_third_party_seller(writable_database, provider):
    db = writable_database
    stocked = await _offer(db, "NOT s.is_first_party AND p.kind = 'PHYSICAL' AND o.fulfilment = 'PLATFORM'"
                               " AND o.quantity >= 20")
    people = await _people(db, stocked["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(stocked["id"], 1)])
    [shipment] = placed.shipment_ids
    before = await _rows(db)

    with pytest.raises(Forbidden):
        await _ship(db, provider, people["staff"], shipment)
    with pytest.raises(Forbidden):
        await _run(db, lambda s: orders.cancel_shipment(s, people["staff"], provider, shipment, "Cannot fulfil"))
    assert await _rows(db) == before

    await _ship(db, provider, people["admin"], shipment)
    assert (await _shipment(db, shipment))["status"] == "SHIPPED"
    shipped = await _rows(db)
    with pytest.raises(Forbidden):
        await _run(db, lambda s: orders.mark_delivered(s, people["staff"], shipment))
    assert await _rows(db) == shipped
    await _run(db, lambda s: orders.mark_delivered(s, people["admin"], shipment))
    assert (await _shipment(db, shipment))["status"] == "DELIVERED"


@pytest.mark.own_copy
async def test_refusals_change_nothing(writable_database, provider):
    db = writable_database
    goods = await _offer(db, MERCHANT_GOODS)
    ebook = await _offer(db, KINDLE)
    people = await _people(db, goods["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(goods["id"], 1), (ebook["id"], 1)])
    physical, digital = placed.shipment_ids
    staff, admin = people["staff"], people["admin"]
    before = await _rows(db)

    async def refused(use_case, code: str, field: list[str] | None = None, says: str | None = None) -> None:
        with pytest.raises(DomainError) as error:
            await _run(db, use_case)
        assert error.value.code == code
        if field is not None:
            assert error.value.field == field
        if says is not None:
            assert says in error.value.message

    for carrier, tracking, field in (("", "1Z", "carrier"), ("UPS", "  ", "trackingNumber"),
                                     ("U" * 61, "1Z", "carrier"), ("UPS", "1Z\n2", "trackingNumber")):
        await refused(lambda s, c=carrier, t=tracking: orders.mark_shipped(s, staff, provider, physical, c, t),
                      "INVALID", ["input", field])
    await refused(lambda s: orders.mark_delivered(s, staff, physical), "SHIPMENT_NOT_SHIPPED", says="PENDING")
    await refused(lambda s: orders.mark_shipped(s, admin, provider, digital, "UPS", "1Z"), "SHIPMENT_NOT_PENDING")
    await refused(lambda s: orders.cancel_shipment(s, staff, provider, physical, " "), "REASON_REQUIRED",
                  ["input", "reason"])
    await refused(lambda s: orders.cancel_order(s, people["customer"], provider, placed.id, "x" * 501),
                  "REASON_REQUIRED")
    await refused(lambda s: orders.cancel_order(s, people["customer"], provider, placed.id, "Changed my mind"),
                  "ORDER_NOT_CANCELLABLE", says="digital")
    await refused(lambda s: orders.cancel_shipment(s, admin, provider, digital, "Oops"), "SHIPMENT_NOT_CANCELLABLE")
    assert await _rows(db) == before

    await _ship(db, provider, staff, physical)
    before = await _rows(db)
    await refused(lambda s: orders.mark_shipped(s, staff, provider, physical, "UPS", "1Z"), "SHIPMENT_NOT_PENDING",
                  says="SHIPPED")
    await refused(lambda s: orders.cancel_shipment(s, staff, provider, physical, "Oops"), "SHIPMENT_NOT_CANCELLABLE")
    assert await _rows(db) == before


@pytest.mark.own_copy
async def test_cancelling_one_shipment_releases_its_share_once_the_rest_has_shipped(writable_database, provider):
    db = writable_database
    goods = await _offer(db, MERCHANT_GOODS)
    other = await _offer(db, "p.kind = 'PHYSICAL' AND o.quantity >= 20", not_seller=goods["seller_id"])
    people = await _people(db, goods["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(goods["id"], 3), (other["id"], 1)])
    cancelled = await _shipment_of(db, placed, goods["seller_id"])
    rest = next(sid for sid in placed.shipment_ids if sid != cancelled)
    stock = await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", goods["id"])

    await _run(db, lambda s: orders.cancel_shipment(s, people["staff"], provider, cancelled, "Out of stock"))
    assert (await _shipment(db, cancelled))["status"] == "CANCELLED"
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", goods["id"]) == stock + 3
    # Something still waits to ship: the provider only voids whole remainders, so nothing yet.
    assert (await _payment(db, placed.payment_id))["voided_minor"] == 0
    assert await _order_status(db, placed.id) == "PLACED"
    [mail] = await _emails(db, "shipment_cancelled")
    assert mail["context"]["reason"] == "Out of stock"
    # Cancelling it again changes nothing.
    before = await _rows(db)
    await _run(db, lambda s: orders.cancel_shipment(s, people["admin"], provider, cancelled, "Again"))
    assert await _rows(db) == before

    await _ship(db, provider, people["admin"], rest)
    payment = await _payment(db, placed.payment_id)
    cancelled_share = (await _shipment(db, cancelled))["total"]
    assert payment["captured_minor"] == (await _shipment(db, rest))["total"]
    assert payment["voided_minor"] == cancelled_share
    assert payment["status"] == "CAPTURED"
    assert await _order_status(db, placed.id) == "SHIPPED"
    assert await _events(db, placed.id) == ["PLACED", "SHIPMENT_CANCELLED", "PAYMENT_CAPTURED", "SHIPPED",
                                            "PAYMENT_VOIDED"]


async def test_cancelling_the_last_open_shipment_cancels_the_order_and_voids_the_payment(writable_database,
                                                                                        provider):
    db = writable_database
    goods = await _offer(db, MERCHANT_GOODS)
    people = await _people(db, goods["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(goods["id"], 1)])

    await _run(db, lambda s: orders.cancel_shipment(s, people["staff"], provider, placed.shipment_ids[0],
                                                      "Damaged in the warehouse"))
    order = (await fetch(db, "SELECT status::text, cancel_reason, cancelled_at FROM orders WHERE id = $1",
                         placed.id))[0]
    assert (order["status"], order["cancel_reason"]) == ("CANCELLED", "Damaged in the warehouse")
    payment = await _payment(db, placed.payment_id)
    assert (payment["status"], payment["voided_minor"], payment["captured_minor"]) == (
        "VOIDED", placed.total_minor, 0)


@pytest.mark.own_copy
async def test_cancelling_an_order_puts_stock_back_and_voids_the_authorization(writable_database, provider):
    db = writable_database
    book = await _offer(db, FIRST_PARTY_BOOK)
    goods = await _offer(db, MERCHANT_GOODS)
    people = await _people(db, goods["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(book["id"], 2), (goods["id"], 1)])
    before = await _rows(db)
    for who in ("staff", "stranger"):
        with pytest.raises(NotFound):
            await _run(db, lambda s, p=people[who]: orders.cancel_order(s, p, provider, placed.id, "No"))
    assert await _rows(db) == before

    assert await _run(db, lambda s: orders.cancel_order(s, people["customer"], provider, placed.id,
                                                          " Ordered twice ")) == placed.id
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", book["id"]) == book["quantity"]
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", goods["id"]) == goods["quantity"]
    statuses = {r[0] for r in await fetch(db, "SELECT status::text FROM shipments WHERE order_id = $1", placed.id)}
    assert statuses == {"CANCELLED"}
    assert await fetchval(db, "SELECT count(*) FROM shipments WHERE order_id = $1 AND cancelled_at IS NULL",
                          placed.id) == 0
    order = (await fetch(db, "SELECT status::text, cancel_reason, cancelled_at FROM orders WHERE id = $1",
                         placed.id))[0]
    assert (order["status"], order["cancel_reason"]) == ("CANCELLED", "Ordered twice")
    payment = await _payment(db, placed.payment_id)
    assert (payment["status"], payment["captured_minor"], payment["voided_minor"]) == (
        "VOIDED", 0, placed.total_minor)
    assert await _events(db, placed.id) == ["PLACED", "CANCELLED", "PAYMENT_VOIDED"]
    [mail] = await _emails(db, "order_cancelled")
    assert mail["to"] == await fetchval(db, "SELECT email FROM orders WHERE id = $1", placed.id)
    assert mail["context"]["reason"] == "Ordered twice"

    # Cancelling it again, by the customer or an administrator, returns it unchanged.
    after = await _rows(db)
    await _run(db, lambda s: orders.cancel_order(s, people["admin"], provider, placed.id, "Again"))
    assert await _rows(db) == after


@pytest.mark.own_copy
async def test_an_order_cannot_be_cancelled_once_something_shipped(writable_database, provider):
    db = writable_database
    book = await _offer(db, FIRST_PARTY_BOOK)
    goods = await _offer(db, MERCHANT_GOODS)
    people = await _people(db, goods["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(book["id"], 1), (goods["id"], 1)])
    merchant = await _shipment_of(db, placed, goods["seller_id"])
    await _ship(db, provider, people["staff"], merchant)
    before = await _rows(db)
    with pytest.raises(DomainError) as error:
        await _run(db, lambda s: orders.cancel_order(s, people["admin"], provider, placed.id, "Too late"))
    assert error.value.code == "ORDER_NOT_CANCELLABLE" and "shipped" in error.value.message
    assert await _rows(db) == before


@pytest.mark.own_copy
async def test_a_pre_order_cancelled_before_release_costs_nothing(writable_database, provider):
    db = writable_database
    goods = await _offer(db, MERCHANT_GOODS)
    await execute(db, "UPDATE products SET release_date = $2 WHERE id = $1", goods["product_id"],
                  date.today() + timedelta(days=30))
    people = await _people(db, goods["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(goods["id"], 2)])
    [shipment] = placed.shipment_ids
    assert (await _shipment(db, shipment))["status"] == "AWAITING_RELEASE"
    before = await _rows(db)
    with pytest.raises(DomainError) as error:
        await _ship(db, provider, people["staff"], shipment)
    assert error.value.code == "PREORDER_NOT_RELEASED"
    assert await _rows(db) == before

    await _run(db, lambda s: orders.cancel_order(s, people["customer"], provider, placed.id, "Found it elsewhere"))
    payment = await _payment(db, placed.payment_id)
    assert (payment["status"], payment["captured_minor"], payment["voided_minor"]) == (
        "VOIDED", 0, placed.total_minor)
    # The provider's own books: the authorization, its void, and no capture.
    kinds = [r[0] for r in await fetch(db, "SELECT kind FROM test_provider_operations")]
    assert "CAPTURE" not in kinds and kinds.count("VOID") == 1
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", goods["id"]) == goods["quantity"]


@pytest.mark.own_copy
async def test_a_provider_error_on_capture_changes_nothing(writable_database, provider):
    db = writable_database
    goods = await _offer(db, MERCHANT_GOODS)
    people = await _people(db, goods["seller_id"])
    placed = await placed_order(db, people["customer"].account_id, [(goods["id"], 1)], payment_token="tok_visa")
    before = await _rows(db)
    unreachable = TestPaymentProvider("postgresql://nobody@127.0.0.1:1/nothing", timeout_seconds=1)
    async with unreachable:
        with pytest.raises(PaymentProviderError):
            await _ship(db, unreachable, people["staff"], placed.shipment_ids[0])
    assert await _rows(db) == before

    # The provider answering again, the same shipment ships and is captured once.
    await _ship(db, provider, people["staff"], placed.shipment_ids[0])
    assert (await _payment(db, placed.payment_id))["captured_minor"] == placed.total_minor
    assert await fetchval(db, "SELECT count(*) FROM test_provider_operations WHERE kind = 'CAPTURE'") == 1


@pytest.mark.own_copy
async def test_a_cancellation_racing_a_shipment_lets_exactly_one_win(writable_database, provider):
    db = writable_database
    goods = await _offer(db, MERCHANT_GOODS)
    people = await _people(db, goods["seller_id"])
    winners = []
    for attempt in range(4):
        stock = await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", goods["id"])
        placed = await placed_order(db, people["customer"].account_id, [(goods["id"], 2)])
        [shipment] = placed.shipment_ids
        ship = _ship(db, provider, people["staff"], shipment)
        cancel = _run(db, lambda s, o=placed.id: orders.cancel_order(s, people["customer"], provider, o,
                                                                       "Changed my mind"))
        # Both queue for the order's row lock, held here, each going first in turn; then they go.
        waiting = "%FROM orders WHERE id = % FOR UPDATE"
        async with chaos.gate(db.url, "SELECT 1 FROM orders WHERE id = $1 FOR UPDATE", placed.id):
            started = []
            for count, use_case in enumerate((ship, cancel) if attempt % 2 == 0 else (cancel, ship), start=1):
                started.append(asyncio.ensure_future(use_case))
                # The second waits behind the first, not the gate: found by what it runs.
                await chaos.wait_for_backends(db.url, count, query_like=waiting, state="active")
        results = await asyncio.gather(*started, return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        assert len(errors) == 1, results
        assert isinstance(errors[0], DomainError)
        assert errors[0].code in ("SHIPMENT_NOT_PENDING", "ORDER_NOT_CANCELLABLE")
        payment = await _payment(db, placed.payment_id)
        now_stock = await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", goods["id"])
        if errors[0].code == "ORDER_NOT_CANCELLABLE":  # the shipment won
            winners.append("ship")
            assert (await _shipment(db, shipment))["status"] == "SHIPPED"
            assert await _order_status(db, placed.id) == "SHIPPED"
            assert (payment["captured_minor"], payment["voided_minor"]) == (placed.total_minor, 0)
            assert now_stock == stock - 2
        else:
            winners.append("cancel")
            assert (await _shipment(db, shipment))["status"] == "CANCELLED"
            assert await _order_status(db, placed.id) == "CANCELLED"
            assert (payment["captured_minor"], payment["voided_minor"]) == (0, placed.total_minor)
            assert now_stock == stock
            assert await fetchval(db, "SELECT count(*) FROM seller_ledger_entries WHERE order_id = $1",
                                  placed.id) == 0
    assert sorted(winners) == ["cancel", "cancel", "ship", "ship"]
