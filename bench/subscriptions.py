"""The Subscribe & Save scheduler placing 10,000 due deliveries, in batches, as the worker does.

    .venv/bin/python bench/subscriptions.py [--deliveries 10000] [--batch 500] [--smoke]

Seeds its own database (`tributary seed --scale 1`, once), then makes customers with two
subscriptions each to first-party goods, all due today (inserted directly, with one saved test
payment method), and runs the scheduler (`orders.run_subscription_deliveries`, the worker job's
use case) in committed batches of `--batch` customers until nothing is due. Each customer's two
deliveries of the day become one order, charged once. Reports the wall time, deliveries per
second and our SQL statements per delivery (the test payment provider's own statements, on its
own connection, are not counted), then checks exactly-once: a second pass places nothing, and
there is one order per customer and one delivery row per subscription. Writes a table to
bench/results/. `--smoke` takes the same path on tiny data (200 deliveries) and records nothing.
See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import asyncpg  # noqa: E402

from bench.harness import DataSet, Run, machine_line, parse_with_sizes, revision, run_script  # noqa: E402

DATABASE = "tributary_bench_subscriptions"
DATA = DataSet(scale=1)
NORMAL = {"deliveries": 10_000, "batch": 500}
SMOKE = {"deliveries": 200, "batch": 40}
PER_CUSTOMER = 2
_OFFERS = """SELECT o.id, o.product_id, o.seller_id FROM offers o JOIN sellers s ON s.id = o.seller_id
JOIN products p ON p.id = o.product_id WHERE o.archived_at IS NULL AND p.archived_at IS NULL AND s.is_first_party
AND p.kind = 'PHYSICAL' AND o.currency = 'USD' AND (p.release_date IS NULL OR p.release_date <= current_date)
ORDER BY o.id LIMIT 20"""


async def make_due(url: str, deliveries: int, today: datetime.date) -> tuple[list[int], str]:
    """Customers with two subscriptions each, due today; returns their ids and the run's tag."""
    from domain.shared.database_url import asyncpg_url

    tag = secrets.token_hex(4)
    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        async with conn.transaction():
            offers = await conn.fetch(_OFFERS)
            if len(offers) < PER_CUSTOMER:
                raise SystemExit("the data set has too few first-party goods")
            await conn.execute("UPDATE offers SET quantity = 1000000 WHERE id = ANY($1::bigint[])",
                               [o["id"] for o in offers])
            method = f"pm_bench_{tag}"
            await conn.execute("INSERT INTO test_provider_payment_methods (id, payment_token, brand, last4)"
                               " VALUES ($1, 'tok_visa', 'visa', '4242')", method)
            customers = deliveries // PER_CUSTOMER
            accounts = await conn.fetch(
                "INSERT INTO accounts (email, display_name, password_hash) SELECT 'sns-' || $1 || '-' || n ||"
                " '@example.com', 'Subscriber', 'x' FROM generate_series(1, $2) n RETURNING id", tag, customers)
            ids = [a["id"] for a in accounts]
            rows = []
            for index, account_id in enumerate(ids):
                for k in range(PER_CUSTOMER):
                    o = offers[(index + k) % len(offers)]
                    rows.append((account_id, o["id"], o["product_id"], o["seller_id"], 1, 1, today.day, "ACTIVE", today,
                                 "USD", "Ada Reader", "400 Broad St", "", "Seattle", "WA", "98109", "US", "",
                                 "test", method))
            await conn.executemany(
                "INSERT INTO subscriptions (account_id, offer_id, product_id, seller_id, quantity, frequency_months,"
                " anchor_day, status, next_delivery_date, currency, ship_full_name, ship_line1, ship_line2, ship_city,"
                " ship_region, ship_postal_code, ship_country_code, ship_phone, provider, payment_method_id,"
                " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
                " $16, $17, $18, $19, $20, now(), now())", rows)
    finally:
        await conn.close()
    return ids, tag


async def place_all(url: str, batch: int) -> tuple[float, int, int, int, int]:
    """Runs the scheduler in committed batches until nothing is due: (seconds, batches,
    deliveries placed, orders, SQL statements)."""
    from domain.orders import service as orders
    from domain.payments.test_provider import TestPaymentProvider
    from domain.shared.config import Settings
    from domain.shared.db import Database, StatementCounter, current_counter
    from domain.shared.unit_of_work import UnitOfWork

    settings = Settings()
    database = Database(url, pool_size=2)
    counter = StatementCounter()
    placed = orders_made = batches = 0
    try:
        async with TestPaymentProvider(url) as provider:
            reset = current_counter.set(counter)
            start = time.perf_counter()
            try:
                while True:
                    async with UnitOfWork(database) as uow:
                        stats = await orders.run_subscription_deliveries(uow.session, provider, settings, limit=batch)
                        await uow.commit()
                    if stats.errors:
                        raise SystemExit(f"{stats.errors} customers failed in a batch")
                    if stats.accounts == 0:
                        break
                    batches += 1
                    placed += stats.placed
                    orders_made += stats.orders
            finally:
                seconds = time.perf_counter() - start
                current_counter.reset(reset)
    finally:
        await database.close()
    return seconds, batches, placed, orders_made, counter.count


async def check_once(url: str, ids: list[int], deliveries: int) -> None:
    from domain.shared.database_url import asyncpg_url

    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        orders = await conn.fetchval("SELECT count(*) FROM orders WHERE account_id = ANY($1::bigint[])", ids)
        rows = await conn.fetchval(
            "SELECT count(*) FROM subscription_deliveries d JOIN subscriptions s ON s.id = d.subscription_id"
            " WHERE s.account_id = ANY($1::bigint[]) AND d.outcome = 'PLACED'", ids)
    finally:
        await conn.close()
    if (orders, rows) != (len(ids), deliveries):
        raise SystemExit(f"expected {len(ids)} orders and {deliveries} deliveries, found {orders} and {rows}")


def report(args, run: Run, load_before: float, result, again: int) -> str:
    seconds, batches, placed, orders_made, statements = result
    lines = [
        f"# Subscribe & Save scheduler benchmark, {datetime.date.today().isoformat()}\n",
        f"- code: {revision()}",
        machine_line(load_before),
        f"- data: {run.data}; {args.deliveries:,} due deliveries ({PER_CUSTOMER} subscriptions per customer, due "
        f"the same day), {run.where}",
        f"- scheduler: `orders.run_subscription_deliveries` in process, committed batches of {args.batch} customers, "
        "test payment provider (its statements on its own connection are not counted)\n",
        "| deliveries | orders | batches | wall s | deliveries/s | SQL statements | statements per delivery |"
        " second pass placed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {placed} | {orders_made} | {batches} | {seconds:.2f} | {placed / seconds:.0f} | {statements} | "
        f"{statements / placed:.1f} | {again} |",
    ]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, help="due deliveries to place (10000; smoke 200)")
    parser.add_argument("--batch", type=int, help="customers per scheduler transaction (500; smoke 40)")
    return parse_with_sizes(parser, NORMAL, SMOKE)


def _measure(args, run: Run) -> str:
    load_before = os.getloadavg()[0]
    today = datetime.datetime.now(datetime.UTC).date()
    ids, _ = asyncio.run(make_due(run.url, args.deliveries, today))
    result = asyncio.run(place_all(run.url, args.batch))
    if result[2] != args.deliveries:
        raise SystemExit(f"placed {result[2]} of {args.deliveries} deliveries")
    again = asyncio.run(place_all(run.url, args.batch))[2]
    if again:
        raise SystemExit(f"a second pass placed {again} deliveries again")
    asyncio.run(check_once(run.url, ids, args.deliveries))
    return report(args, run, load_before, result, again)


def main() -> int:
    args = parse_args()
    with Run(args, DATABASE, DATA) as run:
        run.record("subscriptions", _measure(args, run))
    return 0


if __name__ == "__main__":
    run_script(main)
