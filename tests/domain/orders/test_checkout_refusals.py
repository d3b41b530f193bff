"""Every refused checkout says why with a typed code and changes nothing: no order, no stock
taken, no payment, no e-mail, the cart and the idempotency key as they were."""
from datetime import UTC, datetime

import pytest

from domain.carts import service as carts
from domain.shared import clock
from domain.shared.errors import DomainError, Unauthenticated
from domain.shared.money import Money
from domain.shared.principal import ANONYMOUS
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.checkout import (
    LIMITS,
    PLATFORM_BOOK,
    cart,
    customer,
    offer,
    place,
    state,
)
from tests.fixtures.db import execute, fetch, fetchval

pytestmark = pytest.mark.one_copy_per_file

SEATTLE_12_59 = datetime(2026, 11, 24, 20, 59, tzinfo=UTC)  # PST is UTC-8 in November
SEATTLE_13_00 = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)


async def _refused(db, provider, buyer, cart_id, **options) -> DomainError:
    before = await state(db)
    with pytest.raises(DomainError) as refused:
        await place(db, provider, buyer, cart_id, **options)
    assert await state(db) == before
    return refused.value


@pytest.fixture
async def book(writable_database):
    return await offer(writable_database, PLATFORM_BOOK)


async def test_an_empty_cart(writable_database, provider):
    buyer = await customer(writable_database)
    cart_id = await cart(writable_database, buyer, [])
    error = await _refused(writable_database, provider, buyer, cart_id)
    assert (error.code, error.field) == ("CART_EMPTY", ["input", "cartId"])


async def test_a_withdrawn_offer(writable_database, provider, book):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    await execute(db, "UPDATE offers SET archived_at = now() WHERE id = $1", book["id"])
    error = await _refused(db, provider, buyer, cart_id)
    assert (error.code, error.field) == ("OFFER_UNAVAILABLE", ["cart", "lines", "0", "offer"])


async def test_more_than_the_seller_has(writable_database, provider, book):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 3)])
    await execute(db, "UPDATE offers SET quantity = 2 WHERE id = $1", book["id"])
    error = await _refused(db, provider, buyer, cart_id)
    assert (error.code, error.field, error.extensions["availableQuantity"]) == (
        "QUANTITY_UNAVAILABLE", ["cart", "lines", "0", "quantity"], 2)


async def test_more_than_the_per_order_limit(writable_database, provider, book):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 3)])
    error = await _refused(db, provider, buyer, cart_id, limits=carts.CartLimits(quantity_per_line=2))
    assert (error.code, error.extensions["quantityLimit"]) == ("QUANTITY_LIMIT", 2)


async def test_items_to_ship_and_no_address(writable_database, provider, book):
    buyer = await customer(writable_database)
    cart_id = await cart(writable_database, buyer, [(book["id"], 1)], address=None)
    error = await _refused(writable_database, provider, buyer, cart_id)
    assert (error.code, error.field) == ("SHIPPING_ADDRESS_REQUIRED", ["cart", "shippingAddress"])


async def test_same_day_chosen_before_the_cut_off_and_placed_after_it(writable_database, provider, book,
                                                                      monkeypatch):
    db = writable_database
    buyer = await customer(db)
    monkeypatch.setattr(clock, "now", lambda: SEATTLE_12_59)
    cart_id = await cart(db, buyer, [(book["id"], 1)], choices=[(book["seller_id"], "PLATFORM", "SAME_DAY")])
    monkeypatch.setattr(clock, "now", lambda: SEATTLE_13_00)
    error = await _refused(db, provider, buyer, cart_id)
    assert (error.code, error.field) == ("SAME_DAY_UNAVAILABLE", ["cart", "shipmentGroups", "0",
                                                                  "selectedDeliveryOption"])
    assert "13:00" in error.message
    # Before the cut-off, the same cart goes through with the customer's choice.
    monkeypatch.setattr(clock, "now", lambda: SEATTLE_12_59)
    order_id = await place(db, provider, buyer, cart_id)
    assert await fetchval(db, "SELECT delivery_option::text FROM shipments WHERE order_id = $1", order_id) == "SAME_DAY"


async def test_a_pickup_location_closed_since_it_was_chosen(writable_database, provider, book):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    location = await fetchval(db, "SELECT id FROM pickup_locations WHERE active AND country_code = 'US' ORDER BY id")
    async with UnitOfWork(db) as uow:
        await carts.select_cart_delivery_option(uow.session, buyer, cart_id, None, seller_id=book["seller_id"],
                                                   fulfilment="PLATFORM", option="PICKUP",
                                                   pickup_location_id=location)
        await uow.commit()
    await execute(db, "UPDATE pickup_locations SET active = false WHERE id = $1", location)
    error = await _refused(db, provider, buyer, cart_id)
    assert error.code == "DELIVERY_OPTION_UNAVAILABLE"


@pytest.mark.own_copy
@pytest.mark.parametrize("token, code, decline", [("tok_declined", "PAYMENT_DECLINED", "card_declined"),
                                                  ("tok_insufficient_funds", "PAYMENT_DECLINED", "insufficient_funds"),
                                                  ("tok_error", "PAYMENT_PROVIDER_ERROR", None)])
async def test_a_payment_the_provider_refuses(writable_database, provider, book, token, code, decline):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    error = await _refused(db, provider, buyer, cart_id, token=token)
    assert (error.code, error.extensions.get("declineCode")) == (code, decline)
    # The customer tries another card, with a new key: the order goes through.
    await place(db, provider, buyer, cart_id, token="tok_mastercard")
    assert await fetchval(db, "SELECT count(*) FROM orders") == 1


async def test_a_total_other_than_the_client_showed(writable_database, provider, book):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    await execute(db, "UPDATE offers SET price_minor = price_minor + 100 WHERE id = $1", book["id"])
    shown = Money(book["price_minor"], "USD")
    error = await _refused(db, provider, buyer, cart_id, expected_total=shown)
    assert (error.code, error.field) == ("TOTAL_CHANGED", ["input", "expectedTotal"])
    total = error.extensions["total"]
    assert error.extensions["expectedTotal"] == shown and total.minor > shown.minor + 100 - 1
    order_id = await place(db, provider, buyer, cart_id, expected_total=total)
    assert await fetchval(db, "SELECT total_minor FROM orders WHERE id = $1", order_id) == total.minor


async def test_another_customers_cart_does_not_exist_for_the_caller(writable_database, provider, book):
    db = writable_database
    owner, other = await customer(db), await customer(db)
    cart_id = await cart(db, owner, [(book["id"], 1)])
    error = await _refused(db, provider, other, cart_id)
    assert (error.code, error.field) == ("NOT_FOUND", ["input", "cartId"])
    assert (await _refused(db, provider, other, 987654321)).code == "NOT_FOUND"


async def test_a_guest_cart_is_not_placed_until_merged(writable_database, provider, book):
    db = writable_database
    buyer = await customer(db)
    async with UnitOfWork(db) as uow:
        guest = await carts.create_cart(uow.session, ANONYMOUS, [carts.LineRequest(book["id"], 1)], LIMITS)
        await uow.commit()
    assert (await _refused(db, provider, buyer, guest.cart_id)).code == "NOT_FOUND"
    async with UnitOfWork(db) as uow:
        await carts.merge_guest_cart(uow.session, buyer, guest.token, LIMITS)
        await uow.commit()
    error = await _refused(db, provider, buyer, guest.cart_id)
    assert (error.code, error.field) == ("CART_NOT_ACTIVE", ["input", "cartId"])
    assert "merged" in error.message


async def test_an_ordered_cart_is_not_placed_again(writable_database, provider, book):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    await place(db, provider, buyer, cart_id, key="first")
    assert (await _refused(db, provider, buyer, cart_id, key="second")).code == "CART_NOT_ACTIVE"


async def test_anonymous_callers_sign_in_first(writable_database, provider, book):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    before = await state(db)
    with pytest.raises(Unauthenticated):
        await place(db, provider, ANONYMOUS, cart_id)
    assert await state(db) == before


@pytest.mark.own_copy
@pytest.mark.parametrize("key", ["", "has space", "x" * 201, "caf\u00e9"])
async def test_a_malformed_idempotency_key(writable_database, provider, book, key):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    error = await _refused(db, provider, buyer, cart_id, key=key)
    assert (error.code, error.field) == ("IDEMPOTENCY_KEY_INVALID", ["input", "idempotencyKey"])
    assert await fetch(db, "SELECT 1 FROM orders") == []
