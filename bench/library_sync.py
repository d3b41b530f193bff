"""An e-reader's first library sync against a product page, on the same server in the same run.

    .venv/bin/python bench/library_sync.py [--rounds 5] [--product-requests 200] [--smoke]

Uses the foundation benchmark's database (`tributary seed --scale 20`, seeded once), where a
customer with 5,000 licences (inserted directly, with their change log) syncs from empty in
pages of 100 (`librarySync`, 50 requests one after another, as a device does), and times one
product page (README's "A product page") the same way. Writes a table to bench/results/.
`--smoke` takes the same path on tiny data (250 licences) and records nothing. See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from bench.harness import BIN, Run, machine_line, parse_with_sizes, revision, run_script, settings_from  # noqa: E402
from bench.run import DATA, DATABASE  # noqa: E402

NORMAL = {"licences": 5_000, "rounds": 5, "product_requests": 200, "warmup": 50}
# The smoke data set has 300 e-books; 250 licences still make a sync of several pages.
SMOKE = {"licences": 250, "rounds": 1, "product_requests": 10, "warmup": 5}
PAGE = 100
EMAIL = "library-bench@example.com"
PASSWORD = "library bench passphrase"
SYNC = """query Sync($after: String, $first: Int) {
  librarySync(after: $after, first: $first) {
    pageInfo { endCursor hasNextPage }
    nodes { seq kind originDeviceId licence { id kind status title authors coverImageUrl format productKind fileSize
      deviceLimit activeDeviceCount createdAt revokedAt } annotations { id uuid note deleted clientTime } }
  }
}"""
REGISTER = """mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { accepted } }"""
SIGN_IN = """mutation($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } userErrors { code } } }"""


def readme_product_page() -> str:
    """The README's "A product page" document, as a reader of the README would send it."""
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"A product page:\n\n```graphql\n(.*?)```", readme, re.S)
    if found is None:
        raise SystemExit("README.md has no \"A product page\" example")
    return found.group(1)


# --- data -----------------------------------------------------------------------------------

async def ensure_library(url: str, account_id: int, licences: int) -> None:
    """`licences` e-book licences for the account with their LICENCE_ADDED changes, once, and a
    size published for their content (so `fileSize` is filled as in production)."""
    conn = await asyncpg.connect(url)
    try:
        if await conn.fetchval("SELECT count(*) FROM licences WHERE account_id = $1", account_id) == licences:
            return
        async with conn.transaction():
            await conn.execute("DELETE FROM licences WHERE account_id = $1", account_id)
            await conn.execute("DELETE FROM library_sync_states WHERE account_id = $1", account_id)
            products = [r["id"] for r in await conn.fetch(
                "SELECT id FROM products WHERE kind = 'EBOOK' AND archived_at IS NULL ORDER BY id LIMIT $1", licences)]
            if not products:
                raise SystemExit("the bench database has no e-books")
            chosen = [products[i % len(products)] for i in range(licences)]
            await conn.execute(
                "INSERT INTO digital_contents (product_id, content_key, media_type, file_size, location_count)"
                " SELECT p, 'books/' || p || '.kfx', 'application/x-kfx', 400000 + p % 9000000, 2000 + p % 20000"
                " FROM unnest($1::bigint[]) AS p ON CONFLICT (product_id) DO NOTHING", products)
            ids = [r["id"] for r in await conn.fetch(
                "INSERT INTO licences (account_id, product_id, kind, created_at, updated_at)"
                " SELECT $1, p, 'PURCHASE', now() - (n || ' minutes')::interval, now() - (n || ' minutes')::interval"
                " FROM unnest($2::bigint[]) WITH ORDINALITY AS t(p, n) RETURNING id", account_id, chosen)]
            ids.sort()
            await conn.execute(
                "INSERT INTO library_changes (account_id, seq, licence_id, kind)"
                " SELECT $1, n, l, 'LICENCE_ADDED' FROM unnest($2::bigint[]) WITH ORDINALITY AS t(l, n)",
                account_id, ids)
            await conn.execute("INSERT INTO library_sync_states (account_id, last_seq) VALUES ($1, $2)",
                               account_id, len(ids))
        await conn.execute("ANALYZE licences, library_changes, digital_contents")
    finally:
        await conn.close()


def sign_in(client: httpx.Client) -> str:
    client.post("/graphql", json={"query": REGISTER, "variables": {"input": {
        "email": EMAIL, "password": PASSWORD, "displayName": "Library bench"}}})
    body = client.post("/graphql", json={"query": SIGN_IN, "variables": {"input": {
        "email": EMAIL, "password": PASSWORD, "clientKind": "EREADER", "deviceName": "Bench reader"}}}).json()
    result = body["data"]["signIn"]
    if result["userErrors"]:
        raise SystemExit(f"sign-in failed: {result['userErrors']}")
    return result["tokens"]["accessToken"]


async def account_id_of(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT id FROM accounts WHERE email = $1", EMAIL)
    finally:
        await conn.close()


# --- measures -------------------------------------------------------------------------------

def full_sync(client: httpx.Client, token: str) -> tuple[float, int, list[int]]:
    """(seconds, pages, seqs) of one sync from empty, page after page."""
    after, pages, seqs = None, 0, []
    started = time.perf_counter()
    while True:
        body = client.post("/graphql", json={"query": SYNC, "variables": {"after": after, "first": PAGE}},
                           headers={"Authorization": f"Bearer {token}"}).json()
        if "errors" in body:
            raise SystemExit(f"librarySync failed: {body['errors']}")
        page = body["data"]["librarySync"]
        pages += 1
        seqs += [c["seq"] for c in page["nodes"]]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return time.perf_counter() - started, pages, seqs


def product_page_times(client: httpx.Client, document: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        body = client.post("/graphql", json={"query": document}).json()
        times.append(time.perf_counter() - started)
        if "errors" in body or body["data"]["product"] is None:
            raise SystemExit(f"product page failed: {body}")
    return times


async def statements_per_request(url: str, env: dict[str, str], token: str, document: str) -> tuple[int, int]:
    """SQL statements of one product page and of one full sync page, counted in process by an
    app configured as the served one (its signing key reads the server's tokens)."""
    from api.app import create_app
    from domain.shared.db import Database, StatementCounter, current_counter

    database = Database(url, pool_size=2)
    app = create_app(settings_from(env), database=database)
    counts = []
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            for body, headers in (({"query": document}, {}),
                                  ({"query": SYNC, "variables": {"first": PAGE}}, {"Authorization": f"Bearer {token}"})):
                counter = StatementCounter()
                reset = current_counter.set(counter)
                try:
                    response = (await client.post("/graphql", json=body, headers=headers)).json()
                finally:
                    current_counter.reset(reset)
                if "errors" in response:
                    raise SystemExit(f"in-process request failed: {response['errors']}")
                counts.append(counter.count)
    finally:
        await database.close()
    return counts[0], counts[1]


# --- report ---------------------------------------------------------------------------------

def report(args, run: Run, load_before: float, syncs: list[tuple[float, int]], product: list[float],
           statements: tuple[int, int]) -> str:
    total = statistics.median(s for s, _ in syncs)
    pages = syncs[0][1]
    per_page = total / pages
    product_p50 = statistics.median(product)
    lines = [
        f"# Library sync benchmark, {datetime.date.today().isoformat()}\n",
        f"- code: {revision()}",
        machine_line(load_before),
        f"- data: {run.data}; one customer with {args.licences:,} e-book licences and their change log, "
        f"{run.where}",
        "- server: `tributary serve` (production, 1 worker); one client, one request at a time (keep-alive), "
        "as a device syncs",
        f"- sync: `librarySync(first: {PAGE})` from `after: null` until `pageInfo.hasNextPage` is false, {args.rounds} rounds "
        f"(median); product page: README's \"A product page\", {args.product_requests} requests (median)\n",
        "| measure | requests | median ms | SQL statements per request | ratio to one product page |",
        "|---|---:|---:|---:|---:|",
        f"| product page | 1 | {product_p50 * 1000:.1f} | {statements[0]} | 1.00 |",
        f"| one sync page ({PAGE} changes) | 1 | {per_page * 1000:.1f} | {statements[1]} | "
        f"{per_page / product_p50:.2f} |",
        f"| full sync from empty ({args.licences:,} licences) | {pages} | {total * 1000:.0f} | {statements[1]} | "
        f"{total / product_p50:.1f} |",
    ]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, help="full syncs timed, the median is reported (5; smoke 1)")
    parser.add_argument("--product-requests", type=int, help="product pages timed (200; smoke 10)")
    parser.add_argument("--warmup", type=int, help="product pages before timing, then one full sync (50; smoke 5)")
    parser.add_argument("--licences", type=int, help="e-book licences of the customer who syncs (5000; smoke 250)")
    return parse_with_sizes(parser, NORMAL, SMOKE)


def _measure(args, run: Run) -> str:
    load_before = os.getloadavg()[0]
    env = run.server_env(cost_budget=0)
    server = run.start("graphql", [str(BIN / "tributary"), "serve"], env)
    document = readme_product_page()
    with httpx.Client(base_url=server.base, timeout=60) as client:
        token = sign_in(client)
        asyncio.run(ensure_library(run.url, asyncio.run(account_id_of(run.url)), args.licences))
        statements = asyncio.run(statements_per_request(run.url, env, token, document))
        product_page_times(client, document, args.warmup)
        warm = full_sync(client, token)
        if warm[2] != list(range(1, args.licences + 1)):
            raise SystemExit("the sync did not return the change log exactly once, in order")
        syncs, product = [], []
        for _ in range(args.rounds):
            seconds, pages, _seqs = full_sync(client, token)
            syncs.append((seconds, pages))
            product += product_page_times(client, document, args.product_requests // args.rounds)
    return report(args, run, load_before, syncs, product, statements)


def main() -> int:
    args = parse_args()
    with Run(args, DATABASE, DATA) as run:
        run.record("library-sync", _measure(args, run))
    return 0


if __name__ == "__main__":
    run_script(main)
