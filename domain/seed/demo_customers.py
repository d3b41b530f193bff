"""Writes the demo customers (`customers.py`) and their order histories and reviews
(`histories.py`), and their lists (`lists.py`), into a database whose catalogue was just seeded, in the seed's transaction.

Ids continue after whatever the tables already hold, and each sequence is moved past them. Their
e-book lines give them their licences, in their libraries, as paying for them would have. The
reviews go in with one COPY, so the summary triggers on `reviews` run once for the whole
statement (or, when COPY may skip triggers, their function is called once after it) and give
every book its rating summary, its products' ratings and counts at once."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from domain.identity.passwords import hasher
from domain.licences import service as licences
from domain.seed.customers import DEMO_PASSWORD, DemoCustomer, read_customers
from domain.seed.histories import (
    CART_COLUMNS,
    LINE_COLUMNS,
    ORDER_COLUMNS,
    PAYMENT_COLUMNS,
    REVIEW_COLUMNS,
    SHIPMENT_COLUMNS,
    Histories,
    build_histories,
)
from domain.seed.lists import insert_demo_lists
from domain.seed.offers import OfferSeed
from domain.seed.profiles import insert_demo_profiles
from domain.seed.records import ProductSeed
from domain.shared.config import Settings, get_settings

# Parent tables first; (key in `first`, table, columns).
_TABLES = (("carts", "carts", CART_COLUMNS), ("orders", "orders", ORDER_COLUMNS),
           ("shipments", "shipments", SHIPMENT_COLUMNS), ("lines", "order_lines", LINE_COLUMNS),
           ("payments", "payments", PAYMENT_COLUMNS), ("reviews", "reviews", REVIEW_COLUMNS))

# accounts.email is citext, which COPY's binary format has no codec for: unnest takes text.
_INSERT_ACCOUNTS = """
INSERT INTO accounts (id, email, display_name, password_hash, created_at, updated_at)
SELECT id, email, display_name, $4, created_at, created_at
FROM unnest($1::bigint[], $2::text[], $3::text[], $5::timestamptz[]) AS a(id, email, display_name, created_at)
"""


def demo_password_hash() -> str:
    """The demo password hashed once, with the default Argon2 parameters (a customer signing in
    under other parameters gets it rehashed, as any account would)."""
    fields = Settings.model_fields
    return hasher(fields["argon2_memory_kib"].default, fields["argon2_time_cost"].default,
                  fields["argon2_parallelism"].default).hash(DEMO_PASSWORD)


@dataclass(slots=True)
class DemoCustomers:
    """The demo customers with their histories, built (in a thread, while the catalogue is
    being copied) for ids that continue after what the tables held when the seed began."""

    customers: list[DemoCustomer]
    account_ids: list[int]
    password_hash: str
    histories: Histories
    first: dict[str, int]
    first_order_number: int


async def prepare_demo_customers(
    conn: asyncpg.Connection, products: list[ProductSeed], offers: list[OfferSeed], *,
    limit: int | None, books: int | None,
) -> asyncio.Future:
    """Starts building the demo customers and returns the future of their `DemoCustomers`; the
    connection is free for other statements as soon as this returns."""
    first_account = await _next_id(conn, "accounts")
    first = {key: await _next_id(conn, table) for key, table, _ in _TABLES}
    first_number = await conn.fetchval(
        "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM order_number_seq")

    def build() -> DemoCustomers:
        customers = read_customers(limit, books)
        account_ids = list(range(first_account, first_account + len(customers)))
        histories = build_histories(customers, account_ids, products, offers, first, first_number)
        return DemoCustomers(customers, account_ids, demo_password_hash(), histories, first, first_number)

    return asyncio.ensure_future(asyncio.to_thread(build))


async def insert_demo_customers(conn: asyncpg.Connection, demo: DemoCustomers, say: Callable[[str], None]) -> None:
    customers, histories = demo.customers, demo.histories
    await conn.execute(_INSERT_ACCOUNTS, demo.account_ids, [c.email for c in customers],
                       [c.display_name for c in customers], demo.password_hash, [c.created_at for c in customers])
    say(f"demo customers: {len(customers)}")
    follows = await insert_demo_profiles(conn, customers, demo.account_ids)
    say(f"follows between demo customers' profiles: {follows}")
    say(f"brand follows of demo customers: {await _follow_brands(conn, demo.account_ids)}")
    # Every foreign key of these rows points at rows built from the same data set, so where the
    # role may, COPY skips the per-row checks (several per row: most of the time otherwise),
    # and the summaries are then computed once, by the same function the triggers call.
    bulk = await conn.fetchval("SELECT current_setting('is_superuser') = 'on'")
    # The indexes rebuilt after COPY sort in memory rather than on disk (for this transaction only).
    await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
    if bulk:
        await conn.execute("SET LOCAL session_replication_role = replica")
    for key, table, columns in _TABLES:
        rows = getattr(histories, key)
        if rows:
            await _bulk_copy(conn, table, columns, rows)
        say(f"{table} of demo customers: {len(rows)}")
    # Their Kindle editions in their libraries, as the purchases would have put them there (its
    # foreign keys point at the rows just copied: unchecked too, where COPY's were).
    issued = await licences.issue_past_purchases(conn, demo.first["lines"], get_settings().licence_device_limit)
    say(f"e-book licences of demo customers: {issued}")
    if bulk:
        await conn.execute("SET LOCAL session_replication_role = origin")
        await conn.execute("SELECT review_summaries_shift(array_agg(work_id), array_agg(stars), array_agg(1))"
                           " FROM reviews WHERE status = 'PUBLISHED' AND id >= $1", demo.first["reviews"])
    # Their lists, from their reviews and the ratings just summed up (keys unchecked where COPY's
    # were: every row they point at was just written).
    if bulk:
        await conn.execute("SET LOCAL session_replication_role = replica")
    public, wish = await insert_demo_lists(conn, demo.account_ids)
    if bulk:
        await conn.execute("SET LOCAL session_replication_role = origin")
    say(f"lists of demo customers: {public} public, {wish} wish lists")
    for table in ("accounts", *(table for _, table, _ in _TABLES)):
        await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1),"
                           f" max(id) IS NOT NULL) FROM {table}")
    if histories.orders:
        await conn.execute("SELECT setval('order_number_seq', $1)", demo.first_order_number + len(histories.orders) - 1)


async def _follow_brands(conn: asyncpg.Connection, account_ids: list[int]) -> int:
    """Each demo customer follows a few brands (about one in forty, the same ones at every seed),
    from a day after joining; one in five of those follows has the brand's messages turned off."""
    return int((await conn.execute(
        "INSERT INTO brand_follows (brand_id, account_id, followed_at, opted_out_at)"
        " SELECT b.id, a.id, a.created_at + interval '1 day',"
        "  CASE WHEN (a.id + b.id) % 5 = 0 THEN a.created_at + interval '2 days' END"
        " FROM accounts a CROSS JOIN brands b WHERE a.id = ANY($1::bigint[]) AND b.archived_at IS NULL"
        " AND (a.id * 31 + b.id * 17) % 40 = 0", account_ids)).split()[-1])


# Indexes that no constraint owns (the rest: primary keys and UNIQUE constraints stay).
_SECONDARY_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
WHERE i.indrelid = $1::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


async def _bulk_copy(conn: asyncpg.Connection, table: str, columns, rows: list[tuple]) -> None:
    """COPY into a table; into an empty one, its secondary indexes are dropped first and built
    again from their own definitions afterwards (PostgreSQL's advice for bulk loads: one sorted
    build instead of an insert per row per index), all in the seed's transaction."""
    empty = not await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})")
    indexes = await conn.fetch(_SECONDARY_INDEXES, table) if empty else []
    for name, _ in indexes:
        await conn.execute(f"DROP INDEX {name}")
    await conn.copy_records_to_table(table, records=rows, columns=list(columns))
    for _, definition in indexes:
        await conn.execute(definition)


async def _next_id(conn: asyncpg.Connection, table: str) -> int:
    return await conn.fetchval(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
