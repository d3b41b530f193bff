"""Browsing history under load: customers recording product views concurrently past their limit,
one client flooding views, and the history page.

    .venv/bin/python bench/browsing_history.py [--customers 20] [--views 1500] [--limit 1000]
        [--concurrency 8] [--flood 3000] [--smoke]

Seeds its own database (`tributary seed --books 3000 --merchandise 2000 --customers 20`, once:
it reads only products), makes `--customers` customers, and records `--views` views each
(products drawn at random, so some repeat and move to the top) with `--concurrency` use cases at
once on separate connections, as the API's `recordProductView` runs them (`history.record_view`,
one committed transaction each), with the history limit at `--limit` so every history is trimmed
on write. Then one customer floods `--flood` views as fast as the connections allow under the
default rate limit (30 at once, 2 a second), and each customer's first page of 100 is read.
Reports views per second, per-view latency and our SQL statements per view and per page, then
checks every history: its stored count equals its rows, and holds exactly the limit (or every
distinct product viewed, when fewer). Writes a table to bench/results/. `--smoke` takes the same
path on tiny data and records nothing. See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import asyncpg  # noqa: E402

from bench.harness import DataSet, Run, machine_line, parse_with_sizes, revision, run_script  # noqa: E402

DATABASE = "tributary_bench_history"
DATA = DataSet(books=3000, merchandise=2000, customers=20)  # it reads only products
NORMAL = {"customers": 20, "views": 1500, "limit": 1000, "concurrency": 8, "flood": 3000}
SMOKE = {"customers": 4, "views": 60, "limit": 40, "concurrency": 4, "flood": 100}
PAGE = 100


async def make_customers(url: str, customers: int) -> tuple[list[int], list[int]]:
    """New customer accounts, and the live products they will view."""
    from domain.shared.database_url import asyncpg_url

    tag = secrets.token_hex(4)
    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        accounts = await conn.fetch(
            "INSERT INTO accounts (email, display_name, password_hash) SELECT 'history-' || $1 || '-' || n ||"
            " '@example.com', 'Browser', 'x' FROM generate_series(1, $2) n RETURNING id", tag, customers + 1)
        products = await conn.fetch("SELECT id FROM products WHERE archived_at IS NULL ORDER BY id LIMIT 5000")
    finally:
        await conn.close()
    return [a["id"] for a in accounts], [p["id"] for p in products]


async def record_all(url: str, jobs: list[tuple[int, int]], limits, concurrency: int):
    """Runs every (account, product) view, `concurrency` at a time: (seconds, latencies of the
    recorded views, latencies of the refused ones, SQL statements)."""
    from domain.recommendations import history
    from domain.shared.db import Database, StatementCounter, current_counter
    from domain.shared.errors import DomainError
    from domain.shared.principal import Principal
    from domain.shared.unit_of_work import UnitOfWork

    database = Database(url, pool_size=concurrency)
    counter = StatementCounter()
    recorded: list[float] = []
    refused: list[float] = []
    queue = list(reversed(jobs))

    async def worker() -> None:
        while queue:
            account_id, product_id = queue.pop()
            start = time.perf_counter()
            try:
                async with UnitOfWork(database) as uow:
                    await history.record_view(uow.session, Principal(account_id=account_id), product_id, None,
                                              limits)
                    await uow.commit()
                recorded.append(time.perf_counter() - start)
            except DomainError:
                refused.append(time.perf_counter() - start)

    reset = current_counter.set(counter)
    start = time.perf_counter()
    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        seconds = time.perf_counter() - start
        current_counter.reset(reset)
        await database.close()
    return seconds, recorded, refused, counter.count


async def read_pages(url: str, accounts: list[int]) -> tuple[float, list[float], int]:
    """Each customer's first page of 100, one after another: (seconds, latencies, statements)."""
    from domain.recommendations import history
    from domain.shared.db import Database, StatementCounter, current_counter
    from domain.shared.pagination import PageRequest
    from domain.shared.principal import Principal

    database = Database(url, pool_size=2)
    counter = StatementCounter()
    latencies = []
    reset = current_counter.set(counter)
    start = time.perf_counter()
    try:
        for account_id in accounts:
            began = time.perf_counter()
            reader = await database.reader()
            try:
                found = await history.browsing_history(reader, Principal(account_id=account_id), None,
                                                       PageRequest(0, PAGE))
            finally:
                await reader.close()
            if not found.page.items:
                raise SystemExit(f"customer {account_id} has an empty history")
            latencies.append(time.perf_counter() - began)
    finally:
        seconds = time.perf_counter() - start
        current_counter.reset(reset)
        await database.close()
    return seconds, latencies, counter.count


async def check_exact(url: str, expected: dict[int, int]) -> None:
    """Every history's stored count equals its rows and the expected size."""
    from domain.shared.database_url import asyncpg_url

    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        rows = await conn.fetch(
            "SELECT h.account_id, h.entry_count, count(v.id) AS stored FROM browsing_histories h"
            " LEFT JOIN browsing_history_views v ON v.history_id = h.id WHERE h.account_id = ANY($1::bigint[])"
            " GROUP BY h.id", list(expected))
    finally:
        await conn.close()
    found = {r["account_id"]: (r["entry_count"], r["stored"]) for r in rows}
    wrong = {pk: found.get(pk) for pk, size in expected.items() if found.get(pk) != (size, size)}
    if wrong:
        raise SystemExit(f"histories not as expected (entry_count, rows): {wrong}")


def _ms(values: list[float], q: float) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0] * 1000:.1f}"
    return f"{statistics.quantiles(values, n=100, method='inclusive')[int(q) - 1] * 1000:.1f}"


def report(args, run: Run, load_before: float, bulk, flood, pages) -> str:
    b_seconds, b_recorded, b_refused, b_statements = bulk
    f_seconds, f_recorded, f_refused, f_statements = flood
    p_seconds, p_latencies, p_statements = pages
    b_total, f_total = len(b_recorded) + len(b_refused), len(f_recorded) + len(f_refused)
    lines = [
        f"# Browsing history benchmark, {datetime.date.today().isoformat()}\n",
        f"- code: {revision()}",
        machine_line(load_before),
        f"- data: {run.data}; {args.customers} customers x {args.views:,} views of random products, history limit "
        f"{args.limit:,}; flood: {args.flood:,} views from one customer under the default rate limit; {run.where}",
        f"- in process: `history.record_view` (one committed transaction per view) {args.concurrency} at a time on "
        "separate connections; pages: `history.browsing_history` (first 100), one after another\n",
        "| scenario | operations | wall s | operations/s | p50 ms | p99 ms | SQL statements per operation |"
        " recorded | refused |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| record views, trimming at the limit | {b_total} | {b_seconds:.2f} | {b_total / b_seconds:.0f} | "
        f"{_ms(b_recorded, 50)} | {_ms(b_recorded, 99)} | {b_statements / b_total:.2f} | {len(b_recorded)} | "
        f"{len(b_refused)} |",
        f"| flood from one client (rate limited) | {f_total} | {f_seconds:.2f} | {f_total / f_seconds:.0f} | "
        f"{_ms(f_refused, 50)} | {_ms(f_refused, 99)} | {f_statements / f_total:.2f} | {len(f_recorded)} | "
        f"{len(f_refused)} |",
        f"| history page (first: {PAGE}) | {len(p_latencies)} | {p_seconds:.2f} | {len(p_latencies) / p_seconds:.0f} | "
        f"{_ms(p_latencies, 50)} | {_ms(p_latencies, 99)} | {p_statements / len(p_latencies):.2f} | - | - |",
    ]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, help="customers recording views (20; smoke 4)")
    parser.add_argument("--views", type=int, help="views per customer (1500; smoke 60)")
    parser.add_argument("--limit", type=int, help="products a history keeps (1000; smoke 40)")
    parser.add_argument("--concurrency", type=int, help="views recorded at once (8; smoke 4)")
    parser.add_argument("--flood", type=int, help="views one customer floods (3000; smoke 100)")
    return parse_with_sizes(parser, NORMAL, SMOKE)


def _measure(args, run: Run) -> str:
    from domain.recommendations.history import HistoryLimits

    load_before = os.getloadavg()[0]
    accounts, products = asyncio.run(make_customers(run.url, args.customers))
    flooder, browsers = accounts[0], accounts[1:]
    rng = random.Random(7)
    views = {pk: [rng.choice(products) for _ in range(args.views)] for pk in browsers}
    # Interleaved, so the customers' views race each other as a live site's do.
    jobs = [(pk, views[pk][i]) for i in range(args.views) for pk in browsers]
    roomy = HistoryLimits(entries=args.limit, burst=10**9, per_second=10**9)
    bulk = asyncio.run(record_all(run.url, jobs, roomy, args.concurrency))
    if bulk[2]:
        raise SystemExit(f"{len(bulk[2])} views refused without a rate limit")
    expected = {pk: min(args.limit, len(set(seen))) for pk, seen in views.items()}
    flood_jobs = [(flooder, products[i % len(products)]) for i in range(args.flood)]
    flood = asyncio.run(record_all(run.url, flood_jobs, HistoryLimits(entries=args.limit), args.concurrency))
    allowed = HistoryLimits().burst + HistoryLimits().per_second * flood[0]
    if not 0 < len(flood[1]) <= allowed + 1:
        raise SystemExit(f"the flood recorded {len(flood[1])} views; the rate limit allows {allowed:.0f}")
    expected[flooder] = len(flood[1])
    asyncio.run(check_exact(run.url, expected))
    pages = asyncio.run(read_pages(run.url, browsers))
    return report(args, run, load_before, bulk, flood, pages)


def main() -> int:
    args = parse_args()
    with Run(args, DATABASE, DATA) as run:
        run.record("browsing-history", _measure(args, run))
    return 0


if __name__ == "__main__":
    run_script(main)
