"""Checkouts racing on separate connections: retries with one idempotency key place one order,
buyers racing for the last units never oversell, and carts locking the same offers in opposite
orders never deadlock."""
import asyncio
import contextlib

import pytest

from domain.shared.db import Database
from domain.shared.errors import DomainError
from tests.fixtures.checkout import (
    PLATFORM_BOOK,
    cart,
    customer,
    offers,
    place,
    state,
)
from tests.fixtures.db import execute, fetch, fetchval

pytestmark = pytest.mark.one_copy_per_file


@contextlib.asynccontextmanager
async def connections(db: Database, count: int):
    """The test database with room for `count` connections at once (one per racer). Every
    connection is new and first introspects the row types it reads, all at the same moment: on
    a busy 2-core machine that alone can outlast the default 5 s statement timeout, which is
    not what these tests are about."""
    wide = Database(db.url, pool_size=(count + 1) // 2 + 1, statement_timeout_ms=60_000)
    try:
        yield wide
    finally:
        await wide.close()


async def _outcome(coroutine) -> int | str:
    try:
        return await coroutine
    except DomainError as error:
        return error.code


@pytest.mark.own_copy
async def test_the_same_key_and_request_again_answer_with_the_first_order(writable_database, provider):
    db = writable_database
    [book] = await offers(db, PLATFORM_BOOK)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])

    first = await place(db, provider, buyer, cart_id, key="order-1")
    after_first = await state(db)
    again = await place(db, provider, buyer, cart_id, key="order-1")

    assert again == first
    assert await state(db) == after_first
    assert len(after_first["orders"]) == len(after_first["payments"]) == len(after_first["jobs"]) == 1
    assert await fetchval(db, "SELECT count(*) FROM test_provider_operations") == 1


@pytest.mark.own_copy
async def test_the_same_key_for_another_cart_is_refused_before_anything_is_written(writable_database, provider):
    db = writable_database
    book, other = await offers(db, PLATFORM_BOOK, 2)
    buyer = await customer(db)
    await place(db, provider, buyer, await cart(db, buyer, [(book["id"], 1)]), key="order-1")
    second_cart = await cart(db, buyer, [(other["id"], 1)])
    before = await state(db)

    with pytest.raises(DomainError) as refused:
        await place(db, provider, buyer, second_cart, key="order-1")

    assert (refused.value.code, refused.value.field) == ("IDEMPOTENCY_KEY_REUSED", ["input", "idempotencyKey"])
    assert await state(db) == before
    # Keys are the caller's own: another customer may use the same one.
    stranger = await customer(db)
    await place(db, provider, stranger, await cart(db, stranger, [(other["id"], 1)]), key="order-1")
    assert await fetchval(db, "SELECT count(*) FROM orders") == 2


@pytest.mark.own_copy
async def test_ten_concurrent_retries_with_one_key_place_one_order(writable_database, provider):
    db = writable_database
    [book] = await offers(db, PLATFORM_BOOK)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 2)])

    async with connections(db, 10) as wide:
        results = await asyncio.gather(*(_outcome(place(wide, provider, buyer, cart_id, key="retry-me"))
                                         for _ in range(10)))

    assert len(set(results)) == 1 and isinstance(results[0], int), results
    assert await fetchval(db, "SELECT count(*) FROM orders") == 1
    assert await fetchval(db, "SELECT count(*) FROM payments") == 1
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = 'email.send'") == 1
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", book["id"]) == book["quantity"] - 2



@pytest.mark.own_copy
async def test_a_retry_with_another_card_after_a_decline_sent_five_times_at_once_places_one_order(
        writable_database, provider):
    db = writable_database
    [book] = await offers(db, PLATFORM_BOOK)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    assert await _outcome(place(db, provider, buyer, cart_id, key="declined-once", token="tok_declined")) == \
        "PAYMENT_DECLINED"

    async with connections(db, 5) as wide:
        results = await asyncio.gather(*(_outcome(place(wide, provider, buyer, cart_id, key="declined-once",
                                                        token="tok_visa")) for _ in range(5)))

    assert len(set(results)) == 1 and isinstance(results[0], int), results
    assert await fetchval(db, "SELECT count(*) FROM orders") == 1
    assert await fetchval(db, "SELECT count(*) FROM payments") == 1
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = 'email.send'") == 1
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", book["id"]) == book["quantity"] - 1
    outcomes = await fetch(db, "SELECT payment_token, outcome FROM test_provider_operations ORDER BY created_at")
    assert [tuple(r) for r in outcomes] == [("tok_declined", "DECLINED"), ("tok_visa", "SUCCEEDED")]


@pytest.mark.own_copy
async def test_two_cards_racing_under_one_key_after_a_decline_place_one_order(writable_database, provider):
    db = writable_database
    [book] = await offers(db, PLATFORM_BOOK)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    assert await _outcome(place(db, provider, buyer, cart_id, key="two-cards", token="tok_declined")) == \
        "PAYMENT_DECLINED"

    async with connections(db, 2) as wide:
        results = await asyncio.gather(*(_outcome(place(wide, provider, buyer, cart_id, key="two-cards", token=token))
                                         for token in ("tok_visa", "tok_mastercard")))

    # Whichever came first placed the order; the other is another request under a used key.
    assert sorted(results, key=str) == [await fetchval(db, "SELECT id FROM orders"), "IDEMPOTENCY_KEY_REUSED"], results
    assert await fetchval(db, "SELECT count(*) FROM orders") == 1
    assert await fetchval(db, "SELECT count(*) FROM payments") == 1
    assert await fetchval(db, "SELECT count(*) FROM test_provider_operations WHERE outcome = 'SUCCEEDED'") == 1

@pytest.mark.own_copy
async def test_fifty_buyers_racing_for_five_units_buy_exactly_five(writable_database, provider):
    db = writable_database
    [hot] = await offers(db, PLATFORM_BOOK)
    await execute(db, "UPDATE offers SET quantity = 5 WHERE id = $1", hot["id"])
    buyers = [await customer(db, f"racer{n}") for n in range(50)]
    carts = [await cart(db, buyer, [(hot["id"], 1)]) for buyer in buyers]

    async with connections(db, 50) as wide:
        results = await asyncio.gather(*(_outcome(place(wide, provider, buyer, cart_id))
                                         for buyer, cart_id in zip(buyers, carts, strict=True)))

    orders = [r for r in results if isinstance(r, int)]
    assert len(orders) == 5 and sorted(r for r in results if not isinstance(r, int)) == ["QUANTITY_UNAVAILABLE"] * 45
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", hot["id"]) == 0
    assert await fetchval(db, "SELECT count(*) FROM orders") == 5
    assert await fetchval(db, "SELECT sum(quantity) FROM order_lines WHERE offer_id = $1", hot["id"]) == 5
    assert await fetchval(db, "SELECT count(*) FROM payments") == 5
    assert await fetchval(db, "SELECT count(*) FROM carts WHERE status = 'ORDERED'") == 5


@pytest.mark.own_copy
async def test_carts_taking_two_offers_in_opposite_orders_never_deadlock(writable_database, provider):
    db = writable_database
    first, second = await offers(db, PLATFORM_BOOK, 2)
    await execute(db, "UPDATE offers SET quantity = 12 WHERE id = $1", first["id"])
    buyers = [await customer(db, f"crosser{n}") for n in range(30)]
    carts = []
    for n, buyer in enumerate(buyers):
        pair = [(first["id"], 1), (second["id"], 1)]
        carts.append(await cart(db, buyer, pair if n % 2 else pair[::-1]))

    for _ in range(2):  # a second round on the same rows: everything left sells out cleanly too
        async with connections(db, 30) as wide:
            results = await asyncio.gather(*(_outcome(place(wide, provider, buyer, cart_id))
                                             for buyer, cart_id in zip(buyers, carts, strict=True)))
        assert all(isinstance(r, int) or r in ("QUANTITY_UNAVAILABLE", "CART_NOT_ACTIVE") for r in results), results

    placed = await fetchval(db, "SELECT count(*) FROM orders")
    assert placed == 12
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", first["id"]) == 0
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", second["id"]) == second["quantity"] - 12
    lines = await fetch(db, "SELECT offer_id, count(*) FROM order_lines GROUP BY offer_id ORDER BY offer_id")
    assert [r["count"] for r in lines] == [12, 12]
