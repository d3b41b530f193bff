"""A checkout whose connection dies half-way (a crashed process, a cut network) leaves nothing
behind, although the payment provider already answered; the client's retry with the same key
places exactly one order, and the provider holds and charges the money once."""
import pytest

from tests.fixtures import chaos
from tests.fixtures.checkout import KINDLE, PLATFORM_BOOK, cart, customer, offer, place, state
from tests.fixtures.db import fetch, fetchval

pytestmark = pytest.mark.one_copy_per_file


@pytest.mark.own_copy
@pytest.mark.parametrize("gate_sql, captured_before_crash", [
    ("LOCK TABLE order_events IN EXCLUSIVE MODE", 0),  # after the authorization, at the first event
    ("LOCK TABLE jobs IN EXCLUSIVE MODE", 1),  # after the e-book's capture, at the confirmation e-mail
])
async def test_a_checkout_killed_half_way_leaves_nothing_and_its_retry_places_one_order(
        writable_database, provider, gate_sql, captured_before_crash):
    db = writable_database
    book, ebook = await offer(db, PLATFORM_BOOK), await offer(db, KINDLE)
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(book["id"], 2), (ebook["id"], 1)])
    before = await state(db)

    killed = await chaos.kill_when_blocked(db.url, gate_sql, run=lambda: place(db, provider, buyer, cart_id,
                                                                              key="crash-me"))

    assert killed.error is not None
    assert await state(db) == before
    # The provider answered before the crash and kept its side (as a real one would).
    kinds = [r["kind"] for r in await fetch(db, "SELECT kind FROM test_provider_operations ORDER BY created_at")]
    assert kinds == ["AUTHORIZE"] + ["CAPTURE"] * captured_before_crash

    order_id = await place(db, provider, buyer, cart_id, key="crash-me")

    assert await fetchval(db, "SELECT count(*) FROM orders") == 1
    assert await fetchval(db, "SELECT quantity FROM offers WHERE id = $1", book["id"]) == book["quantity"] - 2
    [payment] = await fetch(db, "SELECT order_id, amount_minor, captured_minor FROM payments")
    operations = await fetch(db, "SELECT kind, amount_minor FROM test_provider_operations ORDER BY created_at")
    assert [r["kind"] for r in operations] == ["AUTHORIZE", "CAPTURE"]
    assert (payment["order_id"], payment["amount_minor"], payment["captured_minor"]) == (
        order_id, operations[0]["amount_minor"], operations[1]["amount_minor"])
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = 'email.send'") == 1
