"""Commission rates: per category, inherited down the tree, 6-20%, seeded from the spec's
examples; the fee is rounded half-up to a whole cent."""
import asyncio
import uuid
from decimal import Decimal

import asyncpg
import pytest

from domain.marketplace import service as marketplace
from domain.marketplace.commission import fee_minor, rate_bps_from_percent
from domain.shared.errors import DomainError, Forbidden, NotFound
from domain.shared.principal import Principal
from domain.shared.unit_of_work import UnitOfWork
from migrations.runner import upgrade
from tests.conftest import create_database, drop_database

pytestmark = pytest.mark.one_copy_per_file

ADMIN = Principal(account_id=1, is_admin=True)


@pytest.mark.parametrize(("gross", "bps", "fee"), [
    (1999, 1500, 300),      # $19.99 at 15% = 299.85 cents -> $3.00
    (10, 1500, 2),          # $0.10 at 15% = 1.5 cents -> half-up to 2
    (1234, 800, 99),        # $12.34 at 8% = 98.72 cents
    (333, 1500, 50),        # 49.95 cents
    (3, 1500, 0),           # 0.45 cents
    (5, 1500, 1),           # 0.75 cents
    (25, 2000, 5),          # exactly 5 cents
    (1, 5000, 1),           # exactly half a cent rounds up
    (100_000, 600, 6000),   # $1,000.00 at 6%
    (2_999_99, 1700, 51000),  # $2,999.99 at 17% = 50999.83 cents
    (0, 1500, 0),
])
def test_the_fee_is_rounded_half_up_to_a_whole_cent(gross, bps, fee):
    assert fee_minor(gross, bps) == fee


@pytest.mark.parametrize(("percent", "bps"), [("6", 600), ("8.5", 850), ("15.25", 1525), ("20", 2000),
                                              ("20.00", 2000)])
def test_a_rate_is_a_percentage_from_6_to_20_with_two_decimals(percent, bps):
    assert rate_bps_from_percent(Decimal(percent), ["input", "ratePercent"]) == bps


@pytest.mark.parametrize("percent", ["5.99", "20.01", "0", "-8", "8.555", "NaN", "Infinity"])
def test_other_rates_are_invalid(percent):
    with pytest.raises(DomainError) as invalid:
        rate_bps_from_percent(Decimal(percent), ["input", "ratePercent"])
    assert (invalid.value.code, invalid.value.field) == ("INVALID_RATE", ["input", "ratePercent"])


async def _category_ids(db, *slugs: str) -> list[int]:
    conn = await asyncpg.connect(db.url)
    try:
        rows = await conn.fetch("SELECT slug, id FROM categories WHERE slug = ANY($1::text[])", list(slugs))
    finally:
        await conn.close()
    found = dict(rows)
    return [found[s] for s in slugs]


async def _rates(db, category_ids: list[int]) -> dict:
    reader = await db.reader()
    try:
        return await marketplace.commission_rates_for_categories(reader, category_ids)
    finally:
        await reader.close()


async def test_the_spec_rates_are_seeded_and_inherited_by_subcategories(database):
    slugs = ("computers", "computers-laptops", "electronics-headphones", "books", "books-fantasy", "apparel-shoes",
             "kitchen", "kitchen-cookware")
    ids = await _category_ids(database, *slugs)
    by_slug = dict(zip(slugs, ids))
    rates = await _rates(database, [*ids, 987654])
    assert {slug: (rates[pk].rate_bps, rates[pk].set_on_id) for slug, pk in by_slug.items()} == {
        "computers": (600, by_slug["computers"]),
        "computers-laptops": (600, by_slug["computers"]),
        "electronics-headphones": (800, (await _category_ids(database, "electronics"))[0]),
        "books": (1500, by_slug["books"]),
        "books-fantasy": (1500, by_slug["books"]),
        "apparel-shoes": (1700, (await _category_ids(database, "apparel"))[0]),
        "kitchen": (1500, None),          # no rate anywhere up the tree: the platform default
        "kitchen-cookware": (1500, None),
    }
    assert 987654 not in rates
    assert rates[by_slug["computers"]].percent == Decimal("6.00")


async def test_an_admin_sets_a_subcategory_rate_and_clearing_it_inherits_again(writable_database):
    laptops, computers = await _category_ids(writable_database, "computers-laptops", "computers")
    async with UnitOfWork(writable_database) as uow:
        rate = await marketplace.set_commission_rate(uow.session, ADMIN, laptops, Decimal("7.25"))
        await uow.commit()
    assert (rate.rate_bps, rate.set_on_id) == (725, laptops)
    assert (await _rates(writable_database, [laptops]))[laptops].rate_bps == 725
    async with UnitOfWork(writable_database) as uow:
        rate = await marketplace.set_commission_rate(uow.session, ADMIN, laptops, None)
        await uow.commit()
    assert (rate.rate_bps, rate.set_on_id) == (600, computers)


async def test_only_administrators_set_rates_and_only_on_live_categories(writable_database):
    laptops, = await _category_ids(writable_database, "computers-laptops")
    async with UnitOfWork(writable_database) as uow:
        with pytest.raises(Forbidden):
            await marketplace.set_commission_rate(uow.session, Principal(account_id=5, seller_ids=frozenset({2})),
                                                  laptops, Decimal("10"))
        with pytest.raises(NotFound):
            await marketplace.set_commission_rate(uow.session, ADMIN, 987654, Decimal("10"))


async def test_the_database_refuses_a_rate_outside_6_to_20_percent(writable_database):
    laptops, = await _category_ids(writable_database, "computers-laptops")
    conn = await asyncpg.connect(writable_database.url)
    try:
        for bps in (599, 2001):
            with pytest.raises(asyncpg.CheckViolationError, match="ck_commission_rates_rate_range"):
                await conn.execute("INSERT INTO commission_rates (category_id, rate_bps) VALUES ($1, $2)", laptops, bps)
    finally:
        await conn.close()


async def test_the_migration_gives_existing_categories_the_spec_rates():
    name = f"tributary_rates_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    try:
        await asyncio.to_thread(upgrade, url, "f1a0c0d1e2f3")
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("INSERT INTO categories (id, name, slug, path) VALUES (1, 'Computers', 'computers', '1'),"
                               " (2, 'Apparel', 'apparel', '2'), (3, 'Kitchen', 'kitchen', '3')")
            await asyncio.to_thread(upgrade, url)
            rates = await conn.fetch("SELECT category_id, rate_bps FROM commission_rates ORDER BY category_id")
        finally:
            await conn.close()
        assert [tuple(r) for r in rates] == [(1, 600), (2, 1700)]
    finally:
        await drop_database(name)
