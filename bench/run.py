"""Throughput of the GraphQL server against its floor on the same pages and the same SQL.

    .venv/bin/python bench/run.py [--duration 36] [--rounds 6] [--connections 16] [--smoke]

Seeds `--scale 20` into its own database on the embedded PostgreSQL (once), starts the real
server (`tributary serve`) and the floor (`bench/floor.py`), checks that both return the same
`data`, drives each page with wrk and writes a table to bench/results/. `--smoke` takes the same
path on tiny data with a short Python load loop and records nothing. See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import asyncpg  # noqa: E402

from bench import in_process  # noqa: E402
from bench import load as loads  # noqa: E402
from bench.foundation_report import Row, header, notes, table  # noqa: E402
from bench.harness import BIN, DataSet, Run, parse_with_sizes, run_script, settings_from  # noqa: E402
from bench.library_customer import library_customer, sign_in  # noqa: E402
from bench.load import Load  # noqa: E402
from bench.pages import (  # noqa: E402
    CATEGORY_BROWSE,
    LIBRARY_PAGE,
    PRODUCT_LISTING,
    PRODUCT_PAGE,
    PRODUCT_PAGE_WITH_REVIEWS,
    SEARCH_PAGE,
    TYPENAME,
)

DATABASE = "tributary_bench"
DATA = DataSet(scale=20)
NORMAL = {"duration": 36, "warmup": 1, "connections": 16, "rounds": 6}
# About three seconds of load in all: seven pages on two servers, and the trivial floor.
SMOKE = {"duration": 0.15, "warmup": 0.05, "connections": 4, "rounds": 1}
# Requests per round of the in-process CPU measurement, per page and layer (three rounds each).
IN_PROCESS_CALLS, IN_PROCESS_CALLS_SMOKE = 300, 10
# The page whose rounds also drive the trivial HTTP floor: its target is a share of that floor.
TRIVIAL_MEASURED_WITH = "/listing"


@dataclass(frozen=True)
class Scenario:
    name: str
    document: str
    variables: dict[str, Any]
    floor_path: str
    # The e-mail of the customer the page is for, signed in before it is asked for (None: anonymous).
    customer: str | None = None
    # Sent with every request of the page on both servers: the customer's `Authorization`.
    headers: dict[str, str] = field(default_factory=dict)


# --- pages ----------------------------------------------------------------------------------

async def _pick_inputs(url: str) -> tuple[str, str, tuple[str, int]]:
    """The most-rated product with formats and at least 10 visible offers (a full offers
    page and a second buy-box batch; the most reviews of the demo customers, so a full page of
    them), the top-level category with the most products, and the library page's customer with
    their number of licences (at least 50, granted once per database: `library_customer`)."""
    conn = await asyncpg.connect(url)
    try:
        product = await conn.fetchval("""
            SELECT p.slug FROM products p
            JOIN offers o ON o.product_id = p.id AND o.archived_at IS NULL
            JOIN sellers s ON s.id = o.seller_id AND s.standing <> 'SUSPENDED'
            WHERE p.archived_at IS NULL AND p.work_id IS NOT NULL
            GROUP BY p.id HAVING count(*) >= 10
            ORDER BY p.ratings_count DESC, p.id LIMIT 1""")
        if product is not None:
            await _ensure_questions(conn, product)
        category = await conn.fetchval("""
            SELECT c.slug FROM categories c
            WHERE c.parent_id IS NULL
            ORDER BY (SELECT count(*) FROM search_documents d WHERE d.category_path <@ c.path) DESC, c.id
            LIMIT 1""")
    finally:
        await conn.close()
    if product is None:
        raise SystemExit("the bench database has no product with formats and 10 offers")
    return product, category, await library_customer(url)


# The demo data has reviews (real ratings) but no product questions: the benchmarked product gets
# a fixed set, asked and answered by demo customers, so the questions block reads real rows.
_BENCH_QUESTIONS = 8
_ANSWERS_PER_QUESTION = 3


async def _ensure_questions(conn: asyncpg.Connection, slug: str) -> None:
    """Questions with answers and helpful votes on the product, once per database."""
    product_id = await conn.fetchval("SELECT id FROM products WHERE slug = $1", slug)
    if await conn.fetchval("SELECT count(*) FROM product_questions WHERE product_id = $1", product_id):
        return
    accounts = await conn.fetch("SELECT id FROM accounts ORDER BY id LIMIT $1",
                                _BENCH_QUESTIONS * (_ANSWERS_PER_QUESTION + 1))
    if len(accounts) <= _ANSWERS_PER_QUESTION:
        return  # a data set without customers: the block reads an empty list
    ids = [a["id"] for a in accounts]
    async with conn.transaction():
        for n in range(_BENCH_QUESTIONS):
            asker = ids[n % len(ids)]
            question = await conn.fetchval(
                "INSERT INTO product_questions (product_id, account_id, body) VALUES ($1, $2, $3) RETURNING id",
                product_id, asker, f"Question {n + 1} about this edition: is it the complete text?")
            for k in range(1 + n % _ANSWERS_PER_QUESTION):
                answerer = ids[(n + k + 1) % len(ids)]
                answer = await conn.fetchval(
                    "INSERT INTO product_answers (question_id, account_id, answerer, body) VALUES ($1, $2, 'CUSTOMER', $3)"
                    " RETURNING id", question, answerer, f"Answer {k + 1}: yes, unabridged.")
                await conn.execute(
                    "INSERT INTO answer_votes (answer_id, account_id) SELECT $1, unnest($2::bigint[])", answer,
                    [i for i in ids[: k + 1] if i != answerer])
                await conn.execute("UPDATE product_answers SET helpful_votes = "
                                   "(SELECT count(*) FROM answer_votes WHERE answer_id = $1) WHERE id = $1", answer)


def scenarios(url: str) -> list[Scenario]:
    product, category, (customer, licences) = asyncio.run(_pick_inputs(url))
    return [
        Scenario(f"product page ({product}, 10 offers)", PRODUCT_PAGE,
                 {"slug": product, "offers": 10}, "/product"),
        # The same page with its reviews and questions blocks, measured in the same run: what
        # the blocks cost.
        Scenario(f"product page with reviews and questions ({product}, 10 offers, summary + 10 reviews"
                 " + 5 questions with their top answer)",
                 PRODUCT_PAGE_WITH_REVIEWS, {"slug": product, "offers": 10}, "/product-reviews"),
        Scenario('search page ("harry potter", 50 + facets)', SEARCH_PAGE,
                 {"query": "harry potter", "first": 50}, "/search"),
        Scenario(f"category browse ({category}, 100)", CATEGORY_BROWSE,
                 {"slug": category, "first": 100}, "/category"),
        Scenario("20-product listing (name, description, category, price range, images)", PRODUCT_LISTING,
                 {"first": 20}, "/listing"),
        Scenario(f"library page ({customer.split('@')[0]}, 50 of {licences} licences)", LIBRARY_PAGE,
                 {"first": 50}, "/library", customer=customer),
        Scenario("{ __typename }", TYPENAME, {}, "/typename"),
    ]


# --- the servers' answers -------------------------------------------------------------------

def post(url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def first_difference(a: Any, b: Any, path: str = "data") -> str | None:
    """Where two JSON values first differ, to fix the floor quickly."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return f"{path}.{key}: only in {'GraphQL' if key in a else 'floor'}"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items in GraphQL, {len(b)} in the floor"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b and type(a) is type(b) else f"{path}: GraphQL {a!r}, floor {b!r}"


def drive(url: str, body: dict[str, Any], name: str, run: Run, args: argparse.Namespace,
          headers: dict[str, str] | None = None) -> Load:
    if args.smoke:
        return loads.run_python(url, body, connections=args.connections, duration=args.duration,
                                warmup=args.warmup, headers=headers)
    return loads.run_wrk(url, body, name, run.work, threads=args.threads, connections=args.connections,
                         duration=int(args.duration), warmup=int(args.warmup), headers=headers)


def drive_pair(graphql: Any, floor: Any, args: argparse.Namespace,
               reference: Any = None) -> tuple[Load, Load, Load | None]:
    """A page's GraphQL and floor loads, each side's duration driven in `args.rounds` rounds of
    GraphQL, floor, floor, GraphQL: a machine that speeds up or slows down while the page is
    driven (other work on the host, its clock) weighs on both sides alike, where one run each
    after the other gave the second side whatever the machine did meanwhile, and rounds of a few
    seconds follow swings that one round of halves did not. Each side's req/s is the mean of its
    drives, its percentiles those of all its drives' requests (`load.combined`). A `reference`
    (the trivial HTTP floor the listing is compared with) is driven in the middle of each round,
    for as long as one drive of a side: its figure comes from the same moments as the page's."""
    drives = 2 * args.rounds
    part = argparse.Namespace(**{**vars(args), "duration": args.duration / drives if args.smoke
                                  else max(1, int(args.duration) // drives)})
    graphql_loads, floor_loads, reference_loads = [], [], []
    for number in range(1, drives + 1, 2):
        graphql_loads.append(graphql(part, number))
        floor_loads.append(floor(part, number))
        if reference is not None:
            reference_loads.append(reference(part, number))
        floor_loads.append(floor(part, number + 1))
        graphql_loads.append(graphql(part, number + 1))
    return (loads.combined(graphql_loads), loads.combined(floor_loads),
            loads.combined(reference_loads) if reference_loads else None)


def signed_in(case: Scenario, base: str) -> Scenario:
    """The page with a new access token of its customer, from the GraphQL server at `base`."""
    if case.customer is None:
        return case
    return replace(case, headers={"Authorization": f"Bearer {sign_in(post, base, case.customer)}"})


def _check_token_lifetime(env: dict[str, str], args: argparse.Namespace) -> None:
    """A page is signed in just before it is checked and driven; its token must outlive the
    drives that send it (an expired token is an error inside a 200 answer, which the load
    generators would count as served)."""
    # Each side's drives (`drive_pair`) with their warm-ups, then the stock executor's whole one.
    driven = (4 * args.rounds * args.warmup + 2 * args.duration
              + (args.warmup + args.duration if args.executor == "both" else 0))
    lifetime = settings_from(env).access_token_minutes * 60
    if driven >= lifetime:
        raise SystemExit(f"--warmup and --duration drive a page for {driven:g} s, past the {lifetime} s the library "
                         "page's access token lives")


# --- main ---------------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, help="seconds measured per side and page (36; smoke 0.15)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up before each drive (1; smoke 0.05)")
    parser.add_argument("--connections", type=int, help="concurrent connections (16; smoke 4)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--rounds", type=int,
                        help="rounds of GraphQL, floor, floor, GraphQL each page's duration is driven in (6; smoke 1)")
    parser.add_argument("--executor", choices=("compiled", "stock", "both"), default="compiled",
                        help="the GraphQL server's executor; both also drives a second server on the stock "
                             "executor in the same run (compiled)")
    args = parse_with_sizes(parser, NORMAL, SMOKE)
    if not args.smoke and not all(float(seconds).is_integer() for seconds in (args.duration, args.warmup)):
        parser.error("wrk takes whole seconds for --duration and --warmup")
    if args.rounds < 1:
        parser.error("--rounds is at least 1")
    return args


def _rows(run: Run, args: argparse.Namespace) -> tuple[list[Row], Load]:
    cases = scenarios(run.url)
    # wrk is one client sending thousands of requests a second: a cost budget it never
    # exhausts, so the budget is still checked on every request but never refuses one.
    env = run.server_env(cost_budget=1_000_000_000_000)
    _check_token_lifetime(env, args)
    compiled = args.executor != "stock"
    # The GraphQL servers as deployed: their access log on (a line per request, to the server's
    # log file); the floors have none.
    served = {**env, "TRIBUTARY_LOG_LEVEL": "INFO"}
    graphql = run.start("graphql", [str(BIN / "tributary"), "serve"],
                        {**served, "TRIBUTARY_COMPILED_EXECUTOR": str(compiled).lower()})
    stock = (run.start("graphql-stock", [str(BIN / "tributary"), "serve"],
                       {**served, "TRIBUTARY_COMPILED_EXECUTOR": "false"}) if args.executor == "both" else None)
    floor = run.start("floor", [str(BIN / "python"), "-m", "uvicorn", "bench.floor:app", "--loop", "asyncio",
                                "--http", "httptools", "--workers", "1", "--no-access-log",
                                "--log-level", "warning"], env)
    # Counted and timed in process while the servers wait, with tokens the served server issued.
    in_process_env = {**env, "TRIBUTARY_COMPILED_EXECUTOR": str(compiled).lower()}
    counts, layers = asyncio.run(in_process.measure(
        run.url, [signed_in(c, graphql.base) for c in cases], in_process_env,
        IN_PROCESS_CALLS_SMOKE if args.smoke else IN_PROCESS_CALLS))
    rows, fixed = [], None
    for index, (case, statements) in enumerate(zip(cases, counts, strict=True)):
        case = signed_in(case, graphql.base)
        graphql_body = {"query": case.document, "variables": case.variables}
        expected = post(f"{graphql.base}/graphql", graphql_body, case.headers)
        if "errors" in expected:
            raise SystemExit(f"{case.name}: GraphQL errors {expected['errors']}")
        actual = post(f"{floor.base}{case.floor_path}", case.variables, case.headers)
        difference = first_difference(expected["data"], actual["data"])
        if difference:
            print(f"DATA DIFFERS in {case.name}: {difference}", file=sys.stderr)
        print(f"{case.name}: GraphQL and floor...", flush=True)
        graphql_load, floor_load, reference = drive_pair(
            lambda half, part: drive(f"{graphql.base}/graphql", graphql_body, f"{index}-graphql-{part}", run, half,
                                     case.headers),
            lambda half, part: drive(f"{floor.base}{case.floor_path}", case.variables, f"{index}-floor-{part}", run,
                                     half, case.headers),
            args,
            # The listing's target is a share of the trivial floor: measured in the listing's rounds.
            (lambda half, part: drive(f"{floor.base}/fixed", {}, f"fixed-{part}", run, half))
            if case.floor_path == TRIVIAL_MEASURED_WITH else None)
        fixed = reference or fixed
        stock_load = None
        if stock is not None:
            print(f"{case.name}: GraphQL on the stock executor...", flush=True)
            stock_load = drive(f"{stock.base}/graphql", graphql_body, f"{index}-stock", run, args, case.headers)
        rows.append(Row(case, graphql_load, floor_load, statements, difference is None, stock_load, layers[index]))
    if fixed is None:
        raise SystemExit("no page measured the trivial HTTP floor")
    return rows, fixed


def main() -> int:
    args = parse_args()
    if not args.smoke and not loads.ensure_wrk():
        print("wrk is needed to generate the load: apt-get install -y wrk (or brew install wrk)",
              file=sys.stderr)
        return 2
    load_before = os.getloadavg()[0]
    with Run(args, DATABASE, DATA) as run:
        rows, fixed = _rows(run, args)
        found = notes(rows)
        text = (header(args, run, load_before) + f"- executor: {args.executor}\n\n" + table(rows, fixed) + "\n"
                + ("\n" + "\n".join(found) + "\n" if found else "")
                + "\n## CPU time per request, in process\n\n" + in_process.__doc__.split("\n\n", 1)[1]
                + "\n" + in_process.table([r.scenario.name for r in rows], [r.layers for r in rows]) + "\n")
        run.record("foundation", text)
    return 1 if found else 0


if __name__ == "__main__":
    run_script(main)
