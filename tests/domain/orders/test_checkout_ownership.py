"""A title the customer owns already is never sold twice: in the cart it is a non-blocking
problem (ALREADY_OWNED), and placeOrder refuses the line with a typed error that changes
nothing. A membership plan is not sold through the cart at all (MEMBERSHIP_NOT_SOLD_IN_CART)."""
import pytest

from domain.carts import service as carts
from domain.shared.errors import DomainError
from domain.shared.unit_of_work import UnitOfWork
from domain.subscriptions.service import NOT_A_MEMBER
from tests.fixtures.checkout import KINDLE, LIMITS, PLATFORM_BOOK, cart, customer, offer, place, state, view_as
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.licences import granted

pytestmark = pytest.mark.one_copy_per_file

_VIDEO = """SELECT b.id AS buy, r.id AS rent, b.product_id FROM offers b
  JOIN offers r ON r.product_id = b.product_id AND r.purchase_option = 'RENT' AND r.archived_at IS NULL
  JOIN products p ON p.id = b.product_id
  WHERE b.purchase_option = 'BUY' AND b.archived_at IS NULL AND p.kind = 'VIDEO' AND p.format = 'STREAMING'
    AND p.archived_at IS NULL AND (p.release_date IS NULL OR p.release_date <= current_date)
  ORDER BY b.id LIMIT 1"""


async def _problems(db, cart_id: int) -> list[tuple[int, list[str]]]:
    view = await view_as(db, cart_id, NOT_A_MEMBER)
    return [(line.offer_id, [p.code for p in line.problems]) for line in view.lines]


async def _refused(db, provider, buyer, cart_id) -> DomainError:
    before = await state(db)
    with pytest.raises(DomainError) as refused:
        await place(db, provider, buyer, cart_id)
    assert await state(db) == before
    return refused.value


async def test_an_ebook_bought_at_checkout_is_already_owned_in_the_next_cart_and_refused_there(
        writable_database, provider):
    db = writable_database
    ebook, book = await offer(db, KINDLE), await offer(db, PLATFORM_BOOK)
    buyer = await customer(db)
    first = await cart(db, buyer, [(ebook["id"], 1)])
    await place(db, provider, buyer, first)
    assert await fetchval(db, "SELECT count(*) FROM licences WHERE account_id = $1 AND product_id = $2"
                              " AND kind = 'PURCHASE' AND status = 'ACTIVE'", buyer.account_id, ebook["product_id"]) == 1

    # Adding it again is allowed (the cart never blocks); the line says why it cannot be bought.
    second = await cart(db, buyer, [(book["id"], 1), (ebook["id"], 1)])
    assert await _problems(db, second) == [(book["id"], []), (ebook["id"], ["ALREADY_OWNED"])]
    line_id = await fetchval(db, "SELECT id FROM cart_lines WHERE cart_id = $1 AND offer_id = $2", second, ebook["id"])
    error = await _refused(db, provider, buyer, second)
    assert (error.code, error.field, error.extensions) == (
        "ALREADY_OWNED", ["cart", "lines", "1", "offer"], {"lineId": line_id, "offerId": ebook["id"]})
    assert await fetchval(db, "SELECT count(*) FROM order_lines ol JOIN orders o ON o.id = ol.order_id"
                              " WHERE o.account_id = $1 AND ol.product_id = $2", buyer.account_id, ebook["product_id"]) == 1

    # Without the owned line the rest of the cart is bought.
    async with UnitOfWork(db) as uow:
        await carts.remove_cart_lines(uow.session, buyer, second, None, [line_id])
        await uow.commit()
    assert await place(db, provider, buyer, second) > 0


async def test_a_returned_ebook_or_another_customers_is_not_owned(writable_database):
    db = writable_database
    ebook = await offer(db, KINDLE)
    buyer, other = await customer(db), await customer(db)
    (licence,) = await granted(db, buyer.account_id, [ebook["product_id"]])
    await granted(db, other.account_id, [ebook["product_id"]])
    await execute(db, "UPDATE licences SET status = 'REVOKED', revoked_at = now() WHERE id = $1", licence)
    cart_id = await cart(db, buyer, [(ebook["id"], 1)])
    assert await _problems(db, cart_id) == [(ebook["id"], [])]


async def test_a_borrowed_membership_title_is_not_owned(writable_database):
    db = writable_database
    ebook = await offer(db, KINDLE)
    buyer = await customer(db)
    await granted(db, buyer.account_id, [ebook["product_id"]], kind="MEMBERSHIP")
    cart_id = await cart(db, buyer, [(ebook["id"], 1)])
    assert await _problems(db, cart_id) == [(ebook["id"], [])]


async def test_renting_a_video_rented_and_still_playable_or_bought_is_owning_buying_a_rented_one_is_not(
        writable_database, provider):
    db = writable_database
    video = (await fetch(db, _VIDEO))[0]
    renter, owner = await customer(db), await customer(db)
    (rental,) = await granted(db, renter.account_id, [video["product_id"]], kind="RENTAL")
    await granted(db, owner.account_id, [video["product_id"]], kind="PURCHASE")

    rent_again = await cart(db, renter, [(video["rent"], 1)])
    assert await _problems(db, rent_again) == [(video["rent"], ["ALREADY_OWNED"])]
    assert (await _refused(db, provider, renter, rent_again)).code == "ALREADY_OWNED"
    owner_rents = await cart(db, owner, [(video["rent"], 1), (video["buy"], 1)])
    assert await _problems(db, owner_rents) == [(video["rent"], ["ALREADY_OWNED"]), (video["buy"], ["ALREADY_OWNED"])]

    # Buying what one rents keeps it for good: allowed.
    async with UnitOfWork(db) as uow:
        await carts.add_cart_lines(uow.session, renter, rent_again, None, [carts.LineRequest(video["buy"], 1)], LIMITS)
        await uow.commit()
    assert await _problems(db, rent_again) == [(video["rent"], ["ALREADY_OWNED"]), (video["buy"], [])]

    # A rental past its deadline to start (or its play window) is no longer owning.
    await execute(db, "UPDATE licences SET rental_expires_at = now() - interval '1 minute' WHERE id = $1", rental)
    assert await _problems(db, rent_again) == [(video["rent"], []), (video["buy"], [])]
    await execute(db, "UPDATE licences SET rental_expires_at = now() - interval '2 days', first_played_at = now()"
                      " - interval '1 hour', play_window_ends_at = now() + interval '47 hours' WHERE id = $1", rental)
    assert await _problems(db, rent_again) == [(video["rent"], ["ALREADY_OWNED"]), (video["buy"], [])]


@pytest.fixture
async def membership(writable_database):
    """A digital offer whose product each test turns into a membership plan (the demo data sells
    none: joining a plan is its own mutation)."""
    return await offer(writable_database, KINDLE)


async def test_a_membership_plan_cannot_be_added_to_a_cart(writable_database, membership):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [])
    await execute(db, "UPDATE products SET kind = 'MEMBERSHIP', format = 'STANDARD' WHERE id = $1",
                  membership["product_id"])
    before = await state(db)
    with pytest.raises(DomainError) as refused:
        async with UnitOfWork(db) as uow:
            await carts.add_cart_lines(uow.session, buyer, cart_id, None, [carts.LineRequest(membership["id"], 1)],
                                       LIMITS)
            await uow.commit()
    assert (refused.value.code, refused.value.field) == ("MEMBERSHIP_NOT_SOLD_IN_CART", ["input", "lines", "0", "offerId"])
    assert "joinPrime" in refused.value.message
    assert await state(db) == before


async def test_a_cart_holding_a_membership_plan_shows_it_and_checkout_refuses_it(writable_database, provider,
                                                                                 membership):
    db = writable_database
    buyer = await customer(db)
    cart_id = await cart(db, buyer, [(membership["id"], 1)])
    await execute(db, "UPDATE products SET kind = 'MEMBERSHIP', format = 'STANDARD' WHERE id = $1",
                  membership["product_id"])
    assert await _problems(db, cart_id) == [(membership["id"], ["MEMBERSHIP_NOT_SOLD_IN_CART"])]
    error = await _refused(db, provider, buyer, cart_id)
    assert (error.code, error.field, error.extensions["offerId"]) == (
        "MEMBERSHIP_NOT_SOLD_IN_CART", ["cart", "lines", "0", "offer"], membership["id"])
