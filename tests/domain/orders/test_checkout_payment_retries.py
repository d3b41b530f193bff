"""A checkout key whose payment failed stays usable: a declined card or a provider failure
leaves the key free, so the customer's retry with the same key (another card, the same card on
a changed cart, or the same request once the provider answers) is a new attempt that places
exactly one order; once an order is placed under the key, any other request with it is
refused."""
import pytest

from domain.payments.test_provider import TestPaymentProvider
from domain.shared.errors import DomainError
from tests.fixtures.checkout import PLATFORM_BOOK, cart, customer, offer, place, state
from tests.fixtures.db import execute, fetch, fetchval

pytestmark = pytest.mark.one_copy_per_file


async def _refused(db, provider, buyer, cart_id, **options) -> DomainError:
    before = await state(db)
    with pytest.raises(DomainError) as refused:
        await place(db, provider, buyer, cart_id, **options)
    assert await state(db) == before
    return refused.value


async def _authorizations(db) -> list[tuple[str, str]]:
    rows = await fetch(db, "SELECT payment_token, outcome FROM test_provider_operations WHERE kind = 'AUTHORIZE'"
                           " ORDER BY created_at")
    return [(r["payment_token"], r["outcome"]) for r in rows]


@pytest.mark.own_copy
@pytest.mark.parametrize("token, code", [("tok_declined", "PAYMENT_DECLINED"),
                                         ("tok_insufficient_funds", "PAYMENT_DECLINED"),
                                         ("tok_3ds", "PAYMENT_DECLINED"),
                                         ("tok_error", "PAYMENT_PROVIDER_ERROR")])
@pytest.mark.parametrize("key", ["checkout-1", "k" * 200])
async def test_a_key_whose_payment_failed_places_the_order_with_another_card(writable_database, provider, token,
                                                                             code, key):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    assert (await _refused(db, provider, buyer, cart_id, key=key, token=token)).code == code

    order_id = await place(db, provider, buyer, cart_id, key=key, token="tok_mastercard")

    assert await fetchval(db, "SELECT count(*) FROM orders") == 1
    [payment] = await fetch(db, "SELECT order_id, status::text AS status FROM payments")
    assert (payment["order_id"], payment["status"]) == (order_id, "AUTHORIZED")
    declined = [] if token == "tok_error" else [(token, "DECLINED")]
    assert await _authorizations(db) == [*declined, ("tok_mastercard", "SUCCEEDED")]
    # The key now belongs to the placed order: the same request answers with it, anything else
    # (the failed card again, a third card) is refused and changes nothing.
    assert await place(db, provider, buyer, cart_id, key=key, token="tok_mastercard") == order_id
    for other in (token, "tok_visa"):
        refused = await _refused(db, provider, buyer, cart_id, key=key, token=other)
        assert (refused.code, refused.field) == ("IDEMPOTENCY_KEY_REUSED", ["input", "idempotencyKey"])
    assert len(await _authorizations(db)) == len(declined) + 1


@pytest.mark.own_copy
async def test_a_declined_card_tried_again_on_a_changed_cart_is_declined_again(writable_database, provider):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 2)])
    first = await _refused(db, provider, buyer, cart_id, key="checkout-1", token="tok_insufficient_funds")
    await execute(db, "UPDATE offers SET price_minor = price_minor - 100 WHERE id = $1", book["id"])

    # Another amount on the same card is a new attempt: the card's own answer, not a refusal of
    # the reused key by the provider.
    again = await _refused(db, provider, buyer, cart_id, key="checkout-1", token="tok_insufficient_funds")

    assert (first.code, again.code) == ("PAYMENT_DECLINED", "PAYMENT_DECLINED")
    assert again.extensions["declineCode"] == "insufficient_funds"
    amounts = [r["amount_minor"] for r in await fetch(db, "SELECT amount_minor FROM test_provider_operations"
                                                          " ORDER BY created_at")]
    assert len(amounts) == 2 and amounts[1] < amounts[0]
    order_id = await place(db, provider, buyer, cart_id, key="checkout-1", token="tok_visa")
    assert await fetchval(db, "SELECT total_minor FROM orders WHERE id = $1", order_id) == amounts[1]


@pytest.mark.own_copy
async def test_the_same_request_after_the_provider_did_not_answer_places_one_order(writable_database, provider):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 1)])
    # A provider nobody answers for (a closed port on this machine): it fails fast, as a
    # timed-out one would, and nothing reaches the provider's books.
    async with TestPaymentProvider("postgresql://postgres@127.0.0.1:1/none", timeout_seconds=2) as unreachable:
        refused = await _refused(db, unreachable, buyer, cart_id, key="checkout-1")
    assert refused.code == "PAYMENT_PROVIDER_ERROR"

    order_id = await place(db, provider, buyer, cart_id, key="checkout-1")

    assert await fetchval(db, "SELECT count(*) FROM orders") == 1
    assert await fetchval(db, "SELECT order_id FROM payments") == order_id
    assert await _authorizations(db) == [("tok_visa", "SUCCEEDED")]
