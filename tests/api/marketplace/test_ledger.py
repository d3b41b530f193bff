"""Seller balances and ledgers over the API: only the seller's staff and administrators see
them (null for everyone else, on every path), administrators pay out (never more than the
balance) and set commission rates, and anyone reads the rate in effect in a category."""
import asyncpg
import pytest

from tests.api.marketplace.helpers import ERRORS, fetch, fetchval, gid, usd
from tests.conftest import count_statements, make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

SELLER = 2          # the staff seller of these tests
OTHER_SELLER = 3
SELLER_MONEY = """query($id: ID!) { seller(id: $id) { id balance { amount currencyCode }
  ledger(first: 10) { totalCount nodes { kind amount { amount currencyCode } reference commissionRatePercent } } } }"""
NODE_MONEY = """query($id: ID!) { node(id: $id) { ... on Seller { balance { amount } ledger { totalCount } } } }"""
PAYOUT = f"""mutation($input: PayoutSellerInput!) {{ paySeller(input: $input) {{
  seller {{ id balance {{ amount currencyCode }} }} entry {{ kind amount {{ amount currencyCode }} reference }}
  {ERRORS} }} }}"""
SET_RATE = f"""mutation($input: SetCommissionRateInput!) {{ setCommissionRate(input: $input) {{
  commissionRate {{ basisPoints ratePercent category {{ slug }} setOn {{ slug }} }} {ERRORS} }} }}"""
RATE = """query($id: ID!) { commissionRate(categoryId: $id) { basisPoints ratePercent category { slug }
  setOn { slug } } }"""


async def _execute(db, sql: str, *args) -> None:
    conn = await asyncpg.connect(db.url)
    try:
        await conn.execute(sql, *args)
    finally:
        await conn.close()


async def _credit(db, seller_id: int, minor: int, reference: str, fee: int = 0) -> None:
    """A sale (and its commission) straight into the ledger, as recording a sale would."""
    conn = await asyncpg.connect(db.url)
    try:
        sale = await conn.fetchval("INSERT INTO seller_ledger_entries (seller_id, kind, amount_minor, currency,"
                                   " reference) VALUES ($1, 'SALE', $2, 'USD', $3) RETURNING id",
                                   seller_id, minor, reference)
        if fee:
            await conn.execute("INSERT INTO seller_ledger_entries (seller_id, kind, amount_minor, currency, reference,"
                               " sale_entry_id, rate_bps) VALUES ($1, 'COMMISSION', $2, 'USD', $3, $4, 1500)",
                               seller_id, -fee, reference, sale)
    finally:
        await conn.close()


async def _ledger_rows(db, seller_id: int) -> list[tuple]:
    rows = await fetch(db, "SELECT kind::text, amount_minor, reference FROM seller_ledger_entries WHERE seller_id = $1"
                           " ORDER BY id", seller_id)
    return [tuple(r) for r in rows]


@pytest.mark.own_copy
async def test_the_sellers_staff_and_administrators_see_its_balance_and_ledger(writable_database):
    db = writable_database
    await _credit(db, SELLER, 2000, "order-line:1", fee=300)
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=SELLER)
        admin = await account(http, db, "admin", admin=True)
        for caller in (staff, admin):
            body = await caller(http, SELLER_MONEY, {"id": gid("Seller", SELLER)})
            assert "errors" not in body, body
            seller = body["data"]["seller"]
            assert seller["balance"] == usd("17.00")
            assert seller["ledger"] == {"totalCount": 2, "nodes": [
                {"kind": "COMMISSION", "amount": usd("-3.00"), "reference": "order-line:1",
                 "commissionRatePercent": "15.00"},
                {"kind": "SALE", "amount": usd("20.00"), "reference": "order-line:1", "commissionRatePercent": None}]}


async def test_a_seller_never_sees_another_sellers_balance_nor_do_customers_or_anonymous_callers(writable_database):
    db = writable_database
    await _credit(db, OTHER_SELLER, 98765, "order-line:2")
    async with make_client(db) as http:
        callers = {"other seller's staff": await account(http, db, "staff", seller_id=SELLER),
                   "customer": await account(http, db, "customer"), "anonymous": None}
        for name, caller in callers.items():
            for query in (SELLER_MONEY, NODE_MONEY):
                variables = {"id": gid("Seller", OTHER_SELLER)}
                if caller is None:
                    response = await http.post("/graphql", json={"query": query, "variables": variables})
                    body = response.json()
                else:
                    body = await caller(http, query, variables)
                assert "errors" not in body, (name, body)
                seller = body["data"].get("seller") or body["data"].get("node")
                assert (seller["balance"], seller["ledger"]) == (None, None), name
                assert "987.65" not in str(body)


@pytest.mark.own_copy
async def test_balances_and_ledgers_of_many_sellers_cost_a_constant_number_of_statements(writable_database):
    db = writable_database
    for seller_id in range(2, 22):
        await _credit(db, seller_id, 1000 + seller_id, f"order-line:s{seller_id}")
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on Seller { balance { amount }
      ledger(first: 5) { totalCount nodes { kind amount { amount } } } } } }"""
    async with make_client(db) as http:
        admin = await account(http, db, "admin", admin=True)
        counts = []
        for n in (1, 20):
            with count_statements() as counter:
                body = await admin(http, query, {"ids": [gid("Seller", pk) for pk in range(2, 2 + n)]})
            counts.append(counter.count)
            assert [s["balance"]["amount"] for s in body["data"]["nodes"]] == [
                f"10.{pk:02d}" for pk in range(2, 2 + n)]
    assert counts[0] == counts[1], counts


@pytest.mark.own_copy
async def test_an_administrator_pays_out_part_of_a_balance(writable_database):
    db = writable_database
    await _credit(db, SELLER, 10000, "order-line:3", fee=1500)
    async with make_client(db) as http:
        admin = await account(http, db, "admin", admin=True)
        body = await admin(http, PAYOUT, {"input": {"sellerId": gid("Seller", SELLER), "amount": usd("40.00")}})
        result = body["data"]["paySeller"]
        assert result["userErrors"] == []
        assert result["seller"] == {"id": gid("Seller", SELLER), "balance": usd("45.00")}
        assert result["entry"]["kind"] == "PAYOUT" and result["entry"]["amount"] == usd("-40.00")
        assert result["entry"]["reference"].startswith("payout:")
    assert await fetchval(db, "SELECT sum(amount_minor)::bigint FROM seller_ledger_entries WHERE seller_id = $1",
                          SELLER) == 4500


@pytest.mark.own_copy
async def test_a_payout_that_is_refused_pays_nothing(writable_database):
    db = writable_database
    await _credit(db, SELLER, 5000, "order-line:4")
    cases = [
        ({"sellerId": gid("Seller", SELLER), "amount": usd("50.01")}, "INSUFFICIENT_BALANCE",
         ["input", "amount", "amount"]),
        ({"sellerId": gid("Seller", SELLER), "amount": usd("0")}, "INVALID_AMOUNT", ["input", "amount", "amount"]),
        ({"sellerId": gid("Seller", SELLER), "amount": usd("1.005")}, "INVALID_AMOUNT", ["input", "amount", "amount"]),
        ({"sellerId": gid("Seller", SELLER), "amount": {"amount": "1.00", "currencyCode": "EUR"}},
         "CURRENCY_MISMATCH", ["input", "amount", "currencyCode"]),
        ({"sellerId": gid("Seller", 987654), "amount": usd("1.00")}, "NOT_FOUND", ["input", "sellerId"]),
    ]
    before = await _ledger_rows(db, SELLER)
    async with make_client(db) as http:
        admin = await account(http, db, "admin", admin=True)
        for value, code, field in cases:
            result = (await admin(http, PAYOUT, {"input": value}))["data"]["paySeller"]
            assert (result["seller"], result["entry"]) == (None, None)
            assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, field)], value
        message = (await admin(http, PAYOUT, {"input": cases[0][0]}))["data"]["paySeller"]["userErrors"][0]["message"]
        assert message == "The seller's balance is 50.00 USD; a payout of 50.01 USD would exceed it."
        staff = await account(http, db, "staff", seller_id=SELLER)
        body = await staff(http, PAYOUT, {"input": {"sellerId": gid("Seller", SELLER), "amount": usd("1.00")}})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _ledger_rows(db, SELLER) == before


async def test_anyone_reads_the_rate_in_effect_in_a_category(database):
    laptops = await fetchval(database, "SELECT id FROM categories WHERE slug = 'computers-laptops'")
    kitchen = await fetchval(database, "SELECT id FROM categories WHERE slug = 'kitchen'")
    async with make_client(database) as http:
        for pk, expected in ((laptops, {"basisPoints": 600, "ratePercent": "6.00",
                                        "category": {"slug": "computers-laptops"}, "setOn": {"slug": "computers"}}),
                             (kitchen, {"basisPoints": 1500, "ratePercent": "15.00", "category": {"slug": "kitchen"},
                                        "setOn": None}),
                             (987654, None)):
            body = (await http.post("/graphql", json={"query": RATE, "variables": {"id": gid("Category", pk)}})).json()
            assert body["data"]["commissionRate"] == expected


async def test_an_administrator_sets_changes_and_removes_a_categorys_rate(writable_database):
    db = writable_database
    laptops = await fetchval(db, "SELECT id FROM categories WHERE slug = 'computers-laptops'")
    category = gid("Category", laptops)
    async with make_client(db) as http:
        admin = await account(http, db, "admin", admin=True)

        async def set_rate(value: dict) -> dict:
            return (await admin(http, SET_RATE, {"input": {"categoryId": category, **value}}))["data"]["setCommissionRate"]

        assert await set_rate({"ratePercent": "8.5"}) == {"commissionRate": {
            "basisPoints": 850, "ratePercent": "8.50", "category": {"slug": "computers-laptops"},
            "setOn": {"slug": "computers-laptops"}}, "userErrors": []}
        assert (await set_rate({}))["commissionRate"]["basisPoints"] == 850     # omitted: unchanged
        for rate in ("5.99", "20.5", "8.125"):
            result = await set_rate({"ratePercent": rate})
            assert result["commissionRate"] is None
            assert [(e["code"], e["field"]) for e in result["userErrors"]] == [("INVALID_RATE", ["input", "ratePercent"])]
        assert await fetchval(db, "SELECT rate_bps FROM commission_rates WHERE category_id = $1", laptops) == 850
        removed = await set_rate({"ratePercent": None})
        assert removed["commissionRate"]["basisPoints"] == 600
        assert removed["commissionRate"]["setOn"] == {"slug": "computers"}
        unknown = (await admin(http, SET_RATE, {"input": {"categoryId": gid("Category", 987654), "ratePercent": "9"}}))
        assert unknown["data"]["setCommissionRate"]["userErrors"][0]["code"] == "NOT_FOUND"
        staff = await account(http, db, "staff", seller_id=SELLER)
        body = await staff(http, SET_RATE, {"input": {"categoryId": category, "ratePercent": "19"}})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await fetchval(db, "SELECT count(*) FROM commission_rates WHERE category_id = $1", laptops) == 0
