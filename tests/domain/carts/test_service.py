"""Cart rules on the entity, and the use cases against a real database: who may use a cart, one
active cart per customer even under concurrent requests, and merges that race."""
import asyncio
from datetime import UTC, datetime

import asyncpg
import pytest

from domain.carts import service as carts
from domain.carts.entities import CartLimits, CartRecord, check_quantity, check_stock, hash_token, is_digital
from domain.shared.errors import DomainError
from domain.shared.principal import ANONYMOUS, Principal
from domain.shared.unit_of_work import UnitOfWork

pytestmark = pytest.mark.one_copy_per_file

NOW = datetime(2026, 11, 23, tzinfo=UTC)
LIMITS = CartLimits(quantity_per_line=10, lines_per_cart=100)


def _cart(account_id=None, token=None, status="ACTIVE") -> CartRecord:
    return CartRecord(id=1, account_id=account_id, token_hash=hash_token(token) if token else None, status=status,
                      currency="USD", merged_into_id=None, shipping_address=None, created_at=NOW, updated_at=NOW)


def test_a_customers_cart_is_its_owners_and_a_guest_cart_its_token_holders():
    ada, ben, admin = Principal(account_id=1), Principal(account_id=2), Principal(account_id=3, is_admin=True)
    mine = _cart(account_id=1)
    assert [mine.usable_by(p, None) for p in (ada, ben, admin, ANONYMOUS)] == [True, False, False, False]
    assert [mine.readable_by(p, None) for p in (ada, ben, admin, ANONYMOUS)] == [True, False, True, False]
    guest = _cart(token="secret")
    assert [guest.usable_by(p, "secret") for p in (ANONYMOUS, ben)] == [True, True]
    assert [guest.usable_by(ANONYMOUS, t) for t in (None, "", "Secret", "secret ")] == [False] * 4


def test_only_an_active_cart_changes():
    _cart(account_id=1).ensure_active()
    for status in ("MERGED", "ORDERED"):
        with pytest.raises(DomainError) as refused:
            _cart(account_id=1, status=status).ensure_active()
        assert refused.value.code == "CART_NOT_ACTIVE"


@pytest.mark.parametrize("quantity, code", [(0, "INVALID_QUANTITY"), (-1, "INVALID_QUANTITY"), (11, "QUANTITY_LIMIT"),
                                            (2**31, "QUANTITY_LIMIT")])
def test_a_quantity_is_1_to_the_limit(quantity, code):
    with pytest.raises(DomainError) as refused:
        check_quantity(quantity, LIMITS, ["input", "quantity"])
    assert (refused.value.code, refused.value.field) == (code, ["input", "quantity"])
    assert check_quantity(10, LIMITS, []) == 10


class _Offer:
    def __init__(self, quantity):
        self.quantity = quantity


class _Product:
    def __init__(self, kind, product_format):
        self.kind, self.format = kind, product_format


def test_stock_limits_physical_items_and_digital_titles_are_bought_once():
    check_stock(_Offer(3), _Product("PHYSICAL", "PAPERBACK"), 3, [])
    with pytest.raises(DomainError) as refused:
        check_stock(_Offer(3), _Product("PHYSICAL", "PAPERBACK"), 4, [])
    assert (refused.value.code, refused.value.extensions) == ("QUANTITY_UNAVAILABLE", {"availableQuantity": 3})
    check_stock(_Offer(0), _Product("EBOOK", "KINDLE"), 1, [])
    check_stock(_Offer(0), _Product("VIDEO", "STREAMING"), 1, [])
    # A digital title is one licence: a second unit would be paid for and give nothing.
    with pytest.raises(DomainError) as refused:
        check_stock(_Offer(1_000_000), _Product("EBOOK", "KINDLE"), 2, [])
    assert (refused.value.code, refused.value.extensions) == ("QUANTITY_LIMIT", {"quantityLimit": 1})
    assert not is_digital(_Product("PHYSICAL", "DVD"))  # a disc is shipped


async def _new_account(db, email: str) -> int:
    conn = await asyncpg.connect(db.url)
    try:
        return await conn.fetchval("INSERT INTO accounts (email, display_name, password_hash) VALUES ($1, 'A', 'x')"
                                   " RETURNING id", email)
    finally:
        await conn.close()


async def _scalar(db, sql: str, *args):
    conn = await asyncpg.connect(db.url)
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def _in_stock_offer(db) -> int:
    return await _scalar(db, "SELECT o.id FROM offers o JOIN sellers s ON s.id = o.seller_id WHERE s.is_first_party"
                             " AND o.quantity >= 20 AND o.archived_at IS NULL ORDER BY o.id LIMIT 1")


async def test_racing_first_carts_of_one_customer_end_in_one_cart(writable_database):
    db = writable_database
    ada = Principal(account_id=await _new_account(db, "race@example.com"))
    offer_id = await _in_stock_offer(db)
    first_wrote = asyncio.Event()

    async def create(wait: bool) -> int:
        async with UnitOfWork(db) as uow:
            if wait:
                await first_wrote.wait()
            ref = await carts.create_cart(uow.session, ada, [carts.LineRequest(offer_id, 1)], LIMITS)
            if not wait:
                first_wrote.set()
                await asyncio.sleep(0.2)  # the other request now waits on the unique index
            await uow.commit()
            return ref.cart_id

    first, second = await asyncio.gather(create(False), create(True))
    assert first == second
    assert await _scalar(db, "SELECT count(*) FROM carts WHERE account_id = $1", ada.account_id) == 1
    assert await _scalar(db, "SELECT quantity FROM cart_lines WHERE cart_id = $1", first) == 2


async def test_a_guest_cart_merged_twice_at_once_moves_its_lines_once(writable_database):
    db = writable_database
    ada = Principal(account_id=await _new_account(db, "merge-race@example.com"))
    offer_id = await _in_stock_offer(db)
    async with UnitOfWork(db) as uow:
        guest = await carts.create_cart(uow.session, ANONYMOUS, [carts.LineRequest(offer_id, 3)], LIMITS)
        await uow.commit()

    async def merge() -> carts.MergeResult:
        async with UnitOfWork(db) as uow:
            result = await carts.merge_guest_cart(uow.session, ada, guest.token, LIMITS)
            await uow.commit()
            return result

    results = await asyncio.gather(merge(), merge())
    assert sorted(r.merged_lines for r in results) == [0, 1]
    assert results[0].cart_id == results[1].cart_id
    assert await _scalar(db, "SELECT quantity FROM cart_lines WHERE cart_id = $1", results[0].cart_id) == 3


@pytest.mark.own_copy
async def test_a_refused_use_case_leaves_the_database_as_it_was(writable_database):
    db = writable_database
    offer_id = await _in_stock_offer(db)
    async with UnitOfWork(db) as uow:
        with pytest.raises(DomainError) as refused:
            await carts.create_cart(uow.session, ANONYMOUS, [carts.LineRequest(offer_id, 1),
                                                                carts.LineRequest(987654321, 1)], LIMITS)
        # The API rolls back; here the unit of work does when it is left without a commit.
    assert refused.value.code == "OFFER_UNAVAILABLE"
    assert await _scalar(db, "SELECT count(*) FROM carts") == 0
    assert await _scalar(db, "SELECT count(*) FROM cart_lines") == 0
