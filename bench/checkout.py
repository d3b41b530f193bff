"""Checkout under contention: many buyers place orders at once for a hot offer with few units.

    .venv/bin/python bench/checkout.py [--buyers 200] [--hot-units 20] [--concurrency 50] [--smoke]

Seeds the small demo data (`--scale 1`) into its own database on the embedded PostgreSQL (once),
starts the real server (`tributary serve`, production mode, one worker), makes `--buyers`
customers, each with a cart holding one unit of a hot offer (stock set to `--hot-units`) and one
unit of a well-stocked offer, shipped to an address, then fires every `placeOrder` at once over
`--concurrency` connections. Reports orders/s, p50/p99 latency, successes against
QUANTITY_UNAVAILABLE, and checks that nothing was oversold: the hot offer sold exactly the
units it had, its stock ends at 0 and never below, and every order holds one unit of each
offer. Writes the table to bench/results/. `--smoke` takes the same path on tiny data with 20
buyers and records nothing. See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from bench.harness import BIN, DataSet, Run, parse_with_sizes, revision, run_script  # noqa: E402
from bench.load import percentile  # noqa: E402

DATABASE = "tributary_bench_checkout"
DATA = DataSet(scale=1)
NORMAL = {"buyers": 200, "hot_units": 20, "concurrency": 50}
SMOKE = {"buyers": 20, "hot_units": 5, "concurrency": 10}
PASSWORD = "correct horse battery staple"
ADDRESS = {"fullName": "Ada Reader", "line1": "400 Broad St", "city": "Seattle", "region": "WA",
           "postalCode": "98109", "countryCode": "US"}
SIGN_IN = """mutation($email: String!, $password: String!) { signIn(input: {email: $email, password: $password,
  clientKind: WEB}) { tokens { accessToken } userErrors { code message } } }"""
CART_CREATE = """mutation($lines: [CartLineInput!]!) { createCart(input: {lines: $lines}) {
  cart { id } userErrors { code message } } }"""
SET_ADDRESS = """mutation($cart: ID!, $address: CartAddressInput!) { setCartShippingAddress(input: {cartId: $cart,
  address: $address}) { cart { totals { total { amount } } } userErrors { code message } } }"""
PLACE_ORDER = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id number } userErrors { code message } } }"""
OFFERS = """SELECT o.id FROM offers o JOIN sellers s ON s.id = o.seller_id JOIN products p ON p.id = o.product_id
 WHERE s.is_first_party AND p.kind = 'PHYSICAL' AND p.format = 'PAPERBACK' AND o.archived_at IS NULL
   AND p.archived_at IS NULL AND (p.release_date IS NULL OR p.release_date <= current_date) AND o.quantity >= 20
 ORDER BY o.id LIMIT 2"""


@dataclass
class Outcome:
    code: str  # "ok" or the userError / top-level error code
    seconds: float


# --- setup --------------------------------------------------------------------------------

async def _accounts(url: str, count: int) -> list[str]:
    """`count` new customers (one password hash for all: hashing is not what is measured)."""
    from domain.identity import passwords
    from domain.shared.config import Settings

    hashed = await passwords.hash_password(Settings(), PASSWORD)
    run = uuid.uuid4().hex[:8]
    emails = [f"bench-{run}-{n}@example.com" for n in range(count)]
    conn = await asyncpg.connect(url)
    try:
        await conn.executemany("INSERT INTO accounts (email, display_name, password_hash) VALUES ($1, 'Bench', $2)",
                               [(email, hashed) for email in emails])
    finally:
        await conn.close()
    return emails


async def _call(http: httpx.AsyncClient, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise SystemExit(f"GraphQL errors: {body['errors']}")
    return body["data"]


async def _buyer(http: httpx.AsyncClient, email: str, lines: list[dict]) -> tuple[str, str]:
    """(access token, cart id) of a signed-in buyer with a cart ready to place."""
    signed = (await _call(http, SIGN_IN, {"email": email, "password": PASSWORD}))["signIn"]
    if signed["userErrors"]:
        raise SystemExit(f"sign-in failed: {signed['userErrors']}")
    token = signed["tokens"]["accessToken"]
    created = (await _call(http, CART_CREATE, {"lines": lines}, token))["createCart"]
    if created["userErrors"]:
        raise SystemExit(f"createCart failed: {created['userErrors']}")
    shipped = (await _call(http, SET_ADDRESS, {"cart": created["cart"]["id"], "address": ADDRESS}, token))
    if shipped["setCartShippingAddress"]["userErrors"]:
        raise SystemExit(f"setCartShippingAddress failed: {shipped['setCartShippingAddress']['userErrors']}")
    return token, created["cart"]["id"]


async def _gathered(limit: int, coroutines) -> list:
    gate = asyncio.Semaphore(limit)

    async def one(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines))


# --- the race -----------------------------------------------------------------------------

async def _place(http: httpx.AsyncClient, token: str, cart_id: str) -> Outcome:
    started = time.perf_counter()
    response = await http.post("/graphql", headers={"Authorization": f"Bearer {token}"}, json={
        "query": PLACE_ORDER, "variables": {"input": {"cartId": cart_id, "idempotencyKey": str(uuid.uuid4()),
                                                      "paymentToken": "tok_visa"}}})
    seconds = time.perf_counter() - started
    body = response.json()
    if body.get("errors"):
        return Outcome(body["errors"][0].get("extensions", {}).get("code", "ERROR"), seconds)
    errors = body["data"]["placeOrder"]["userErrors"]
    return Outcome(errors[0]["code"] if errors else "ok", seconds)


async def _race(base: str, url: str, args: argparse.Namespace) -> dict:
    conn = await asyncpg.connect(url)
    try:
        offers = [r["id"] for r in await conn.fetch(OFFERS)]
        if len(offers) != 2:
            raise SystemExit("the bench database has no two first-party paperbacks with 20 units in stock")
        hot, normal = offers
        await conn.execute("UPDATE offers SET quantity = $2 WHERE id = $1", hot, args.hot_units)
        # Enough of the normal offer for every buyer: only the hot one runs out.
        await conn.execute("UPDATE offers SET quantity = greatest(quantity, $2) WHERE id = $1", normal,
                           args.buyers + 10)
        normal_before = await conn.fetchval("SELECT quantity FROM offers WHERE id = $1", normal)
        orders_before = await conn.fetchval("SELECT coalesce(max(id), 0) FROM orders")
    finally:
        await conn.close()

    from api.core import ids

    lines = [{"offerId": ids.encode("Offer", hot), "quantity": 1}, {"offerId": ids.encode("Offer", normal),
                                                                    "quantity": 1}]
    emails = await _accounts(url, args.buyers)
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http:
        print(f"Signing in {args.buyers} buyers and filling their carts...", flush=True)
        buyers = await _gathered(8, (_buyer(http, email, lines) for email in emails))
        print(f"Placing {args.buyers} orders at once ({args.concurrency} connections)...", flush=True)
        started = time.perf_counter()
        outcomes = await _gathered(args.concurrency, (_place(http, token, cart) for token, cart in buyers))
        wall = time.perf_counter() - started

    conn = await asyncpg.connect(url)
    try:
        facts = dict(await conn.fetchrow(
            "SELECT (SELECT quantity FROM offers WHERE id = $1) AS hot_left,"
            " (SELECT quantity FROM offers WHERE id = $2) AS normal_left,"
            " (SELECT count(*) FROM orders WHERE id > $3) AS orders,"
            " (SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE order_id > $3 AND offer_id = $1) AS hot_sold,"
            " (SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE order_id > $3 AND offer_id = $2)"
            "   AS normal_sold,"
            " (SELECT count(*) FROM payments WHERE order_id > $3) AS payments,"
            " (SELECT min(quantity) FROM offers) AS lowest_stock", hot, normal, orders_before))
    finally:
        await conn.close()
    return {"outcomes": outcomes, "wall": wall, "normal_before": normal_before, **facts}


# --- report -------------------------------------------------------------------------------

def checks(result: dict, args: argparse.Namespace) -> list[str]:
    """What must hold whatever the timing; each failure is a line of the report."""
    codes = Counter(o.code for o in result["outcomes"])
    expected_sales = min(args.hot_units, args.buyers)
    problems = []
    if result["hot_sold"] != expected_sales or codes["ok"] != expected_sales:
        problems.append(f"sold {result['hot_sold']} hot units in {codes['ok']} orders; {expected_sales} were in stock")
    if result["hot_left"] != args.hot_units - expected_sales or result["lowest_stock"] < 0:
        problems.append(f"hot stock ends at {result['hot_left']} (lowest stock anywhere {result['lowest_stock']})")
    if result["orders"] != codes["ok"] or result["payments"] != codes["ok"]:
        problems.append(f"{result['orders']} orders and {result['payments']} payments for {codes['ok']} successes")
    if result["normal_sold"] != codes["ok"] or result["normal_before"] - result["normal_left"] != codes["ok"]:
        problems.append("the normal offer's stock does not match the orders")
    if set(codes) - {"ok", "QUANTITY_UNAVAILABLE"}:
        problems.append(f"unexpected outcomes: {dict(codes)}")
    return problems


def _p50_p99(ms: list[float]) -> str:
    return f"{percentile(ms, 0.5):.0f} / {percentile(ms, 0.99):.0f}" if ms else "-"


def report(result: dict, args: argparse.Namespace, run: Run, load_before: float) -> str:
    outcomes = result["outcomes"]
    codes = Counter(o.code for o in outcomes)
    ok = [o.seconds * 1000 for o in outcomes if o.code == "ok"]
    refused = [o.seconds * 1000 for o in outcomes if o.code != "ok"]
    every = ok + refused
    problems = checks(result, args)
    lines = [
        f"# Checkout benchmark, {datetime.date.today().isoformat()}\n",
        f"- code: {revision()}",
        f"- machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}; 1-minute load average {load_before:.2f} before the run",
        f"- data: {run.data}, {run.where}; the built-in test payment provider (its own connections to the same"
        " server)",
        "- server: `tributary serve` (production, 1 worker)",
        f"- load: {args.buyers} signed-in buyers, each with a cart of 1 hot unit ({args.hot_units} in stock) and"
        f" 1 well-stocked unit, shipped to Seattle; every placeOrder fired at once over {args.concurrency}"
        " connections (httpx)\n",
        "| requests | wall s | placeOrder/s | p50 ms | p99 ms | placed | QUANTITY_UNAVAILABLE | other "
        "| placed p50 / p99 ms | refused p50 / p99 ms | hot units sold / in stock | oversold |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(outcomes)} | {result['wall']:.2f} | {len(outcomes) / result['wall']:.0f} "
        f"| {percentile(every, 0.5):.0f} | {percentile(every, 0.99):.0f} | {codes['ok']} "
        f"| {codes['QUANTITY_UNAVAILABLE']} | {len(outcomes) - codes['ok'] - codes['QUANTITY_UNAVAILABLE']} "
        f"| {_p50_p99(ok)} | {_p50_p99(refused)} "
        f"| {result['hot_sold']} / {args.hot_units} | {'no' if not problems else 'CHECK FAILED'} |",
    ]
    if problems:
        lines += ["", *(f"- {p}" for p in problems)]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, help="buyers, each placing one order (200; smoke 20)")
    parser.add_argument("--hot-units", type=int, help="units of the hot offer in stock (20; smoke 5)")
    parser.add_argument("--concurrency", type=int, help="concurrent HTTP connections (50; smoke 10)")
    return parse_with_sizes(parser, NORMAL, SMOKE)


def main() -> int:
    args = parse_args()
    load_before = os.getloadavg()[0]
    with Run(args, DATABASE, DATA) as run:
        # No job worker in the server (production's default, pinned because the measure depends on it):
        # the jobs the orders queue stay queued instead of taking CPU from the checkouts measured.
        env = run.server_env(cost_budget=1_000_000_000_000, run_worker_in_process=False)
        server = run.start("graphql", [str(BIN / "tributary"), "serve"], env)
        result = asyncio.run(_race(server.base, run.url, args))
        run.record("checkout", report(result, args, run, load_before))
    return 1 if checks(result, args) else 0


if __name__ == "__main__":
    run_script(main)
