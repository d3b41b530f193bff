"""The seller ledger: sales with their commission, proportional refunds, payouts that never
overdraw (also when they race), a balance that is always the sum of the entries, and entries
nobody can rewrite."""
import asyncio
from decimal import Decimal

import asyncpg
import pytest

from domain.marketplace import service as marketplace
from domain.marketplace.service import Amount
from domain.shared.errors import DomainError, Forbidden, NotFound
from domain.shared.money import Money
from domain.shared.pagination import PageRequest
from domain.shared.principal import Principal
from domain.shared.unit_of_work import UnitOfWork

pytestmark = pytest.mark.one_copy_per_file

ADMIN = Principal(account_id=1, is_admin=True)
FIRST_PARTY = 1
SELLER = 7  # a third-party seller of the demo data


def usd(minor: int) -> Money:
    return Money(minor, "USD")


async def _committed(db, use_case):
    async with UnitOfWork(db) as uow:
        result = await use_case(uow.session)
        await uow.commit()
    return result


async def _sql(db, query: str, *args) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(db.url)
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


async def _category(db, slug: str) -> int:
    return (await _sql(db, "SELECT id FROM categories WHERE slug = $1", slug))[0][0]


async def _entries(db, seller_id: int) -> list[tuple]:
    rows = await _sql(db, "SELECT kind::text, amount_minor, reference, rate_bps FROM seller_ledger_entries"
                          " WHERE seller_id = $1 ORDER BY id", seller_id)
    return [tuple(r) for r in rows]


async def _balance(db, seller_id: int) -> Money:
    reader = await db.reader()
    try:
        return await marketplace.seller_balance(reader, seller_id)
    finally:
        await reader.close()


async def _sum(db, seller_id: int) -> int:
    return (await _sql(db, "SELECT coalesce(sum(amount_minor), 0)::bigint FROM seller_ledger_entries"
                           " WHERE seller_id = $1", seller_id))[0][0]


async def _sale(db, seller_id: int, slug: str, minor: int, reference: str):
    category = await _category(db, slug)
    return await _committed(db, lambda s: marketplace.record_sale(s, seller_id, category, usd(minor), reference))


async def _refund(db, seller_id: int, sale_reference: str, minor: int, reference: str):
    return await _committed(db, lambda s: marketplace.record_refund(s, seller_id, sale_reference, usd(minor),
                                                                    reference))


async def _payout(db, seller_id: int, amount: str, principal: Principal = ADMIN):
    return await _committed(db, lambda s: marketplace.payout_seller(s, principal, seller_id, Amount(Decimal(amount),
                                                                                                    "USD")))


@pytest.mark.own_copy
async def test_a_third_party_sale_credits_the_gross_and_debits_the_commission_at_the_category_rate(writable_database):
    db = writable_database
    sale = await _sale(db, SELLER, "electronics-headphones", 1234, "order-line:1")
    assert (sale.fee, sale.net) == (usd(99), usd(1135))
    assert await _entries(db, SELLER) == [("SALE", 1234, "order-line:1", None),
                                          ("COMMISSION", -99, "order-line:1", 800)]
    assert await _balance(db, SELLER) == usd(1135)


@pytest.mark.own_copy
async def test_the_first_party_seller_pays_no_commission(writable_database):
    db = writable_database
    sale = await _sale(db, FIRST_PARTY, "books-fantasy", 1999, "order-line:2")
    assert (sale.commission, sale.fee, sale.net) == (None, usd(0), usd(1999))
    assert await _entries(db, FIRST_PARTY) == [("SALE", 1999, "order-line:2", None)]


@pytest.mark.own_copy
async def test_a_sale_is_recorded_once_per_reference(writable_database):
    db = writable_database
    first = await _sale(db, SELLER, "books", 2000, "order-line:3")
    again = await _sale(db, SELLER, "books", 2000, "order-line:3")
    assert (again.sale.id, again.commission.id) == (first.sale.id, first.commission.id)
    with pytest.raises(DomainError) as refused:
        await _sale(db, SELLER, "books", 2500, "order-line:3")
    assert refused.value.code == "SALE_ALREADY_RECORDED"
    assert await _entries(db, SELLER) == [("SALE", 2000, "order-line:3", None), ("COMMISSION", -300, "order-line:3", 1500)]


@pytest.mark.own_copy
@pytest.mark.parametrize(("minor", "currency", "code"), [(0, "USD", "INVALID_AMOUNT"), (-100, "USD", "INVALID_AMOUNT"),
                                                         (1000, "EUR", "CURRENCY_MISMATCH")])
async def test_a_sale_is_a_positive_usd_amount(writable_database, minor, currency, code):
    category = await _category(writable_database, "books")
    with pytest.raises(DomainError) as refused:
        await _committed(writable_database, lambda s: marketplace.record_sale(
            s, SELLER, category, Money(minor, currency), "order-line:4"))
    assert refused.value.code == code
    assert await _entries(writable_database, SELLER) == []


@pytest.mark.own_copy
async def test_an_unknown_seller_or_category_records_nothing(writable_database):
    category = await _category(writable_database, "books")
    for seller, cat in ((987654, category), (SELLER, 987654)):
        with pytest.raises(NotFound):
            await _committed(writable_database, lambda s, a=seller, b=cat: marketplace.record_sale(
                s, a, b, usd(100), "order-line:5"))
    assert await _entries(writable_database, SELLER) == []


@pytest.mark.own_copy
async def test_refunds_reverse_the_commission_proportionally_and_never_exceed_the_sale(writable_database):
    db = writable_database
    await _sale(db, SELLER, "books-fantasy", 1999, "order-line:6")   # fee 300 at 15%
    first = await _refund(db, SELLER, "order-line:6", 1000, "refund:1")
    assert (first.refund.amount, first.reversal.amount) == (usd(-1000), usd(150))   # 300 x 1000/1999 = 150.08
    second = await _refund(db, SELLER, "order-line:6", 999, "refund:2")
    assert (second.refund.amount, second.reversal.amount) == (usd(-999), usd(150))  # the rest of the fee
    with pytest.raises(DomainError) as refused:
        await _refund(db, SELLER, "order-line:6", 1, "refund:3")
    assert refused.value.code == "REFUND_EXCEEDS_SALE"
    assert refused.value.message == ("Only 0.00 USD of the sale 'order-line:6' is left to refund (sold 19.99 USD,"
                                     " refunded 19.99 USD); asked for 0.01 USD.")
    assert await _entries(db, SELLER) == [
        ("SALE", 1999, "order-line:6", None), ("COMMISSION", -300, "order-line:6", 1500),
        ("REFUND", -1000, "refund:1", None), ("COMMISSION_REVERSAL", 150, "refund:1", None),
        ("REFUND", -999, "refund:2", None), ("COMMISSION_REVERSAL", 150, "refund:2", None)]
    assert await _balance(db, SELLER) == usd(0)


@pytest.mark.own_copy
async def test_small_refunds_round_their_reversals_so_the_whole_fee_comes_back(writable_database):
    db = writable_database
    await _sale(db, SELLER, "computers-laptops", 1001, "order-line:7")   # fee 60.06 -> 60 at 6%
    reversals = []
    for n in range(7):
        back = await _refund(db, SELLER, "order-line:7", 143, f"refund:7-{n}")
        reversals.append(back.reversal.amount_minor if back.reversal else 0)
    # cumulative round-half-up(60 x 143k / 1001): 8.57 -> 9, 17.14 -> 17, 25.71 -> 26, 34.29 -> 34, ...
    assert reversals == [9, 8, 9, 8, 9, 8, 9]
    assert sum(reversals) == 60
    assert await _balance(db, SELLER) == usd(0)


@pytest.mark.own_copy
async def test_a_refund_is_recorded_once_and_needs_a_known_sale(writable_database):
    db = writable_database
    await _sale(db, SELLER, "books", 5000, "order-line:8")
    first = await _refund(db, SELLER, "order-line:8", 2000, "refund:8")
    again = await _refund(db, SELLER, "order-line:8", 2000, "refund:8")
    assert (again.refund.id, again.reversal.id) == (first.refund.id, first.reversal.id)
    with pytest.raises(DomainError) as refused:
        await _refund(db, SELLER, "order-line:8", 1000, "refund:8")
    assert refused.value.code == "REFUND_ALREADY_RECORDED"
    with pytest.raises(NotFound):
        await _refund(db, SELLER, "order-line:unknown", 100, "refund:9")
    assert await _balance(db, SELLER) == usd(5000 - 750 - 2000 + 300)


@pytest.mark.own_copy
async def test_payouts_are_for_administrators_and_never_exceed_the_balance(writable_database):
    db = writable_database
    await _sale(db, SELLER, "books", 10000, "order-line:10")   # net 85.00
    staff = Principal(account_id=9, seller_ids=frozenset({SELLER}))
    with pytest.raises(Forbidden):
        await _payout(db, SELLER, "10.00", staff)
    for amount, code in (("85.01", "INSUFFICIENT_BALANCE"), ("0", "INVALID_AMOUNT"), ("-5", "INVALID_AMOUNT"),
                         ("1.001", "INVALID_AMOUNT"), ("NaN", "INVALID_AMOUNT"), ("1e40", "INVALID_AMOUNT")):
        with pytest.raises(DomainError) as refused:
            await _payout(db, SELLER, amount)
        assert refused.value.code == code, amount
    with pytest.raises(DomainError) as refused:
        await _committed(db, lambda s: marketplace.payout_seller(s, ADMIN, SELLER, Amount(Decimal("1"), "EUR")))
    assert refused.value.code == "CURRENCY_MISMATCH"
    with pytest.raises(NotFound):
        await _payout(db, 987654, "1.00")
    assert await _balance(db, SELLER) == usd(8500)
    entry = await _payout(db, SELLER, "85.00")
    assert (entry.kind, entry.amount, entry.reference.startswith("payout:")) == ("PAYOUT", usd(-8500), True)
    assert await _balance(db, SELLER) == usd(0)


@pytest.mark.own_copy
async def test_the_balance_is_the_sum_of_the_entries_after_a_mixed_sequence(writable_database):
    db = writable_database
    await _sale(db, SELLER, "electronics", 4999, "order-line:11")          # +4999 -400 (8%: 399.92)
    await _sale(db, SELLER, "apparel-shoes", 2500, "order-line:12")        # +2500 -425 (17%)
    await _sale(db, SELLER, "kitchen-cookware", 1050, "order-line:13")     # +1050 -158 (15%: 157.5)
    await _refund(db, SELLER, "order-line:12", 1250, "refund:12")          # -1250 +213 (212.5)
    await _payout(db, SELLER, "40.00")                                     # -4000
    await _committed(db, lambda s: marketplace.adjust_seller_balance(s, ADMIN, SELLER, usd(-75), "case:31"))
    await _refund(db, SELLER, "order-line:11", 4999, "refund:11")          # -4999 +400
    expected = 4999 - 400 + 2500 - 425 + 1050 - 158 - 1250 + 213 - 4000 - 75 - 4999 + 400
    assert expected == -2145   # a refund after a payout may leave the seller owing the platform
    assert await _sum(db, SELLER) == expected
    assert await _balance(db, SELLER) == usd(expected)
    reader = await db.reader()
    try:
        balances = await marketplace.seller_balances(reader, ADMIN, [SELLER, FIRST_PARTY])
        page = (await marketplace.seller_ledger_entries(reader, ADMIN, [SELLER], PageRequest(0, 100)))[SELLER]
    finally:
        await reader.close()
    assert balances == {SELLER: usd(expected), FIRST_PARTY: usd(0)}
    assert sum(e.amount_minor for e in page.items) == expected
    assert [e.kind for e in page.items][:3] == ["COMMISSION_REVERSAL", "REFUND", "ADJUSTMENT"]   # newest first
    with pytest.raises(DomainError) as refused:
        await _payout(db, SELLER, "0.01")
    assert refused.value.code == "INSUFFICIENT_BALANCE"


@pytest.mark.own_copy
async def test_only_the_sellers_staff_and_administrators_see_its_balance_and_ledger(writable_database):
    db = writable_database
    await _sale(db, SELLER, "books", 1000, "order-line:14")
    callers = {"staff": Principal(account_id=3, seller_ids=frozenset({SELLER})),
               "other seller's staff": Principal(account_id=4, seller_ids=frozenset({SELLER + 1})),
               "customer": Principal(account_id=5), "anonymous": Principal(), "admin": ADMIN}
    reader = await db.reader()
    try:
        seen = {name: (await marketplace.seller_balances(reader, who, [SELLER]),
                       set(await marketplace.seller_ledger_entries(reader, who, [SELLER], PageRequest())))
                for name, who in callers.items()}
    finally:
        await reader.close()
    assert seen == {"staff": ({SELLER: usd(850)}, {SELLER}), "admin": ({SELLER: usd(850)}, {SELLER}),
                    "other seller's staff": ({}, set()), "customer": ({}, set()), "anonymous": ({}, set())}


async def _race(db, lock_sql: str, key: int, use_cases: list) -> list[str]:
    """Run the use cases in their own transactions at once, all first waiting on a lock a
    third connection holds, then let them go together; each one's outcome ("ok" or a code)."""
    async def outcome(use_case) -> str:
        try:
            await _committed(db, use_case)
        except DomainError as error:
            return error.code
        return "ok"

    holder, monitor = await asyncpg.connect(db.url), await asyncpg.connect(db.url)
    try:
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute(lock_sql, key)
        tasks = [asyncio.create_task(outcome(u)) for u in use_cases]
        waiting = 0
        for _ in range(300):
            waiting = await monitor.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                             " AND wait_event_type = 'Lock'")
            if waiting == len(use_cases):
                break
            await asyncio.sleep(0.02)
        assert waiting == len(use_cases), "the racers did not all wait"
        await transaction.rollback()
    finally:
        await holder.close()
        await monitor.close()
    return list(await asyncio.gather(*tasks))


@pytest.mark.own_copy
async def test_concurrent_payouts_never_overdraw(writable_database):
    db = writable_database
    await _sale(db, FIRST_PARTY, "books", 10000, "order-line:15")   # balance 100.00
    payout = [lambda s: marketplace.payout_seller(s, ADMIN, FIRST_PARTY, Amount(Decimal("30.00"), "USD"))] * 10
    outcomes = await _race(db, "SELECT 1 FROM sellers WHERE id = $1 FOR UPDATE", FIRST_PARTY, payout)
    assert sorted(outcomes) == ["INSUFFICIENT_BALANCE"] * 7 + ["ok"] * 3
    assert await _balance(db, FIRST_PARTY) == usd(1000)
    assert [e[:2] for e in await _entries(db, FIRST_PARTY)] == [("SALE", 10000)] + [("PAYOUT", -3000)] * 3


@pytest.mark.own_copy
async def test_concurrent_refunds_of_one_sale_never_exceed_it(writable_database):
    db = writable_database
    sale = await _sale(db, SELLER, "books", 10000, "order-line:16")
    refunds = [lambda s, n=n: marketplace.record_refund(s, SELLER, "order-line:16", usd(3000), f"refund:16-{n}")
               for n in range(8)]
    outcomes = await _race(db, "SELECT 1 FROM seller_ledger_entries WHERE id = $1 FOR UPDATE", sale.sale.id, refunds)
    assert sorted(outcomes) == ["REFUND_EXCEEDS_SALE"] * 5 + ["ok"] * 3
    kinds = [e[:2] for e in await _entries(db, SELLER)]
    assert kinds.count(("REFUND", -3000)) == 3
    assert await _balance(db, SELLER) == usd(10000 - 1500 - 9000 + 1350)


REWRITES = [
    ("UPDATE seller_ledger_entries SET amount_minor = 1", "seller_ledger_entries is append-only: UPDATE is not allowed"),
    ("DELETE FROM seller_ledger_entries", "seller_ledger_entries is append-only: DELETE is not allowed"),
    ("TRUNCATE seller_ledger_entries", "seller_ledger_entries is append-only: TRUNCATE is not allowed"),
    ("INSERT INTO seller_ledger_entries (seller_id, kind, amount_minor, currency, reference)"
     " VALUES (7, 'PAYOUT', 500, 'USD', 'payout:x')", "ck_seller_ledger_entries_sign_matches_kind"),
    ("INSERT INTO seller_ledger_entries (seller_id, kind, amount_minor, currency, reference)"
     " VALUES (7, 'REFUND', -500, 'USD', 'refund:x')", "ck_seller_ledger_entries_sale_link"),
]


async def test_nobody_can_rewrite_the_ledger_not_even_in_sql(writable_database):
    db = writable_database
    await _sale(db, SELLER, "books", 1000, "order-line:17")
    before = await _entries(db, SELLER)
    conn = await asyncpg.connect(db.url)
    try:
        for statement, message in REWRITES:
            with pytest.raises(asyncpg.PostgresError, match=message):
                await conn.execute(statement)
    finally:
        await conn.close()
    assert await _entries(db, SELLER) == before
