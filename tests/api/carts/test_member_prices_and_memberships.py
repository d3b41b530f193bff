"""Over HTTP: a cart line shows the price charged and what a member saves (nothing for a
customer who is not a member), and a membership plan cannot be added to a cart."""
import pytest

from tests.api.carts.helpers import (
    CART_CREATE,
    LINES_ADD,
    PLATFORM_BOOK,
    cart_rows,
    codes,
    customer_cart,
    execute,
    line,
    offer,
)
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

LINES = """query($id: ID!) { cart(id: $id) { lines { unitPrice { amount } memberSavings { amount }
  offer { price { amount } memberPrice { amount } } } totals { subtotal { amount } } } }"""


async def test_a_customer_who_is_not_a_member_pays_the_price_and_sees_the_member_price_offered(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK + " AND o.price_minor > 500")
    await execute(db, "UPDATE offers SET member_price_minor = price_minor - 100 WHERE id = $1", book["id"])
    price, member = f"{book['price_minor'] / 100:.2f}", f"{(book['price_minor'] - 100) / 100:.2f}"
    async with make_client(db) as http:
        buyer = await account(http, db, "shopper")
        cart = await customer_cart(http, buyer, line(book, 2))
        shown = (await buyer(http, LINES, {"id": cart["id"]}))["data"]["cart"]
    assert shown["lines"] == [{"unitPrice": {"amount": price}, "memberSavings": None,
                               "offer": {"price": {"amount": price}, "memberPrice": {"amount": member}}}]
    assert shown["totals"]["subtotal"]["amount"] == f"{2 * book['price_minor'] / 100:.2f}"


async def test_a_membership_plan_is_not_sold_through_the_cart(writable_database):
    db = writable_database
    plan = await offer(db, "p.format = 'KINDLE'")
    await execute(db, "UPDATE products SET kind = 'MEMBERSHIP', format = 'STANDARD' WHERE id = $1", plan["product_id"])
    book = await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        buyer = await account(http, db, "shopper")
        cart = await customer_cart(http, buyer, line(book))
        before = await cart_rows(db)
        added = await buyer(http, LINES_ADD, {"input": {"cartId": cart["id"], "lines": [line(plan)]}})
        created = await buyer(http, CART_CREATE, {"input": {"lines": [line(plan)]}})
        assert await cart_rows(db) == before
    assert codes(added, "addCartLines") == codes(created, "createCart") == ["MEMBERSHIP_NOT_SOLD_IN_CART"]
    error = added["data"]["addCartLines"]["userErrors"][0]
    assert error["field"] == ["input", "lines", "0", "offerId"] and "joinPrime" in error["message"]
