"""Search at 100,000, 500,000 and 2,000,000 products: the search page, a filtered search and
suggestions, one size after another in one run.

    .venv/bin/python bench/search_scale.py [--sizes 100000,500000,2000000] [--rounds 8] [--smoke]

Seeds the books and 5,000 generated items into a new database, then for each size grows the
catalogue to it (`tributary seed --grow-to N`: generated merchandise with offers and search
documents, timed, then VACUUM ANALYZE as after any bulk load) and measures, through the real
GraphQL app in process (production settings), one request at a time after a warm-up round:

- **search page**: `SEARCH_PAGE` (20 results, totalCount, correctedQuery and every facet) over
  a fixed mix of queries: common words, multi-word queries, rare words and typos;
- **filtered search**: the same page with a category, a price range and Prime only;
- **suggestions**: `searchSuggestions` over prefixes, a typo among them.

Prints p50 and p99 of each, the SQL statements per request (which must not change with the
size), and the EXPLAIN (ANALYZE, BUFFERS) plans of the search statements of one common-word
request of each kind at each size. The database is dropped at the end. `--smoke`: the suite's
tiny data grown by a few hundred products at a time, one round. Writes the table and the plans
to bench/results/<date>-search-scale.md (not with --smoke).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import asyncpg  # noqa: E402

from bench.harness import BIN, DataSet, Run, _vacuum, add_common_arguments, revision, run_script, settings_from  # noqa: E402
from bench.pages import SEARCH_PAGE  # noqa: E402

DATABASE = "tributary_search_scale"
DATA = DataSet(merchandise=5_000, customers=0)
SIZES = (100_000, 500_000, 2_000_000)
# The suite's data holds about 1,300 products.
SMOKE_SIZES = (1_500, 1_800)
PAGE_SIZE = 20

SUGGESTIONS = """
query Suggestions($prefix: String!, $first: Int!) {
  searchSuggestions(prefix: $prefix, first: $first) { text product { id title slug } }
}
"""
CATEGORY = """query Category($slug: String!) { category(slug: $slug) { id } }"""

# (kind, query): the same mix at every size. Merchandise words grow with the catalogue, book
# words do not: both are needed to see what grows with the number of matches.
QUERIES = (
    ("common", "black"), ("common", "set"), ("common", "wireless headphones"), ("common", "coffee"),
    ("books", "harry potter"), ("books", "the hunger games"), ("rare", "tolkien"), ("rare", "gatsby"),
    ("typo", "hary poter"), ("typo", "headphnes"), ("typo", "cofee grinder"), ("typo", "wireles speaker"),
)
# (query, category slug): the category, $20-$200 and Prime only.
FILTERED = (
    ("black", "electronics"), ("headphones", "electronics"), ("coffee", "kitchen"), ("knife", "kitchen"),
    ("", "electronics"), ("running", "sports-outdoors"), ("headphnes", "electronics"), ("harry potter", "books"),
)
PREFIXES = ("b", "bl", "head", "wirel", "cof", "har", "harry p", "tolk", "the", "hary")
EXPLAINED = {"search page": "black", "filtered search": "black", "suggestions": "bl"}


@dataclass
class Request:
    name: str
    document: str
    variables: dict[str, Any]


@dataclass
class Measure:
    kind: str
    times: list[float] = field(default_factory=list)  # ms
    statements: set[int] = field(default_factory=set)
    slowest: dict[str, float] = field(default_factory=dict)  # request name: its slowest time

    def add(self, name: str, ms: float, statements: int) -> None:
        self.times.append(ms)
        self.statements.add(statements)
        self.slowest[name] = max(ms, self.slowest.get(name, 0.0))

    def worst(self, n: int = 3) -> str:
        return ", ".join(f"{name} {ms:.0f}" for name, ms in sorted(self.slowest.items(), key=lambda i: -i[1])[:n])

    def percentile(self, p: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Size:
    products: int
    seed_seconds: float
    vacuum_seconds: float
    measures: list[Measure]
    plans: list[str]
    load: float  # load average (1 minute) when the measuring started: the machine is shared


def requests(categories: dict[str, str]) -> dict[str, list[Request]]:
    price = {"minPrice": "20", "maxPrice": "200", "primeEligible": True}
    return {
        "search page": [Request(q, SEARCH_PAGE, {"query": q, "first": PAGE_SIZE}) for _, q in QUERIES],
        "filtered search": [
            Request(f"{q or '(no query)'} in {slug}", SEARCH_PAGE,
                    {"query": q, "first": PAGE_SIZE, "filter": {"categoryId": categories[slug], **price}})
            for q, slug in FILTERED],
        "suggestions": [Request(p, SUGGESTIONS, {"prefix": p, "first": 8}) for p in PREFIXES],
    }


async def _post(client, request: Request) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": request.document, "variables": request.variables})
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"{request.name}: HTTP {response.status_code}, {body.get('errors')}")
    return body["data"]


async def _measure(url: str, env: dict[str, str], rounds: int) -> tuple[list[Measure], list[str]]:
    import httpx

    from api.app import create_app
    from domain.shared.db import Database, StatementCounter, current_counter

    database = Database(url, pool_size=2, statement_timeout_ms=60_000)
    app = create_app(settings_from(env), database=database)
    measures, plans = [], []
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench",
                                     timeout=120) as client:
            categories = {}
            for _, slug in FILTERED:
                data = await _post(client, Request(slug, CATEGORY, {"slug": slug}))
                categories[slug] = data["category"]["id"]
            for kind, cases in requests(categories).items():
                measure = Measure(kind)
                for round_ in range(rounds + 1):  # the first round warms the caches up
                    for request in cases:
                        counter = StatementCounter()
                        token = current_counter.set(counter)
                        started = time.perf_counter()
                        try:
                            await _post(client, request)
                        finally:
                            current_counter.reset(token)
                        if round_:
                            measure.add(request.name, (time.perf_counter() - started) * 1000, counter.count)
                        if round_ == 1 and request.variables.get("query", request.variables.get("prefix")) \
                                == EXPLAINED[kind]:
                            plans.append(await _explain(url, kind, request, counter))
                measures.append(measure)
    finally:
        await database.close()
    return measures, plans


async def _explain(url: str, kind: str, request: Request, counter) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement of the request that reads the search tables."""
    conn = await asyncpg.connect(url)
    out = [f"#### {kind}: {request.name}"]
    try:
        for sql, args in zip(counter.statements, counter.arguments):
            if "search_documents" not in sql and "search_terms" not in sql:
                continue
            rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *args)
            out += ["```sql", " ".join(sql.split()), "```", "```", *(r[0] for r in rows), "```"]
    finally:
        await conn.close()
    return "\n".join(out)


def _grow(run: Run, products: int) -> tuple[float, float]:
    started = time.monotonic()
    subprocess.run([str(BIN / "tributary"), "seed", "--grow-to", str(products)], cwd=ROOT, check=True,
                   env=run._env({"TRIBUTARY_DATABASE_URL": run.url}), stdout=subprocess.DEVNULL)
    grown = time.monotonic()
    asyncio.run(_vacuum(run.url))
    return grown - started, time.monotonic() - grown


async def _product_count(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM products")
    finally:
        await conn.close()


def table(sizes: list[Size]) -> str:
    kinds = [m.kind for m in sizes[0].measures]
    lines = ["| products | seed s | VACUUM s | load | " + " | ".join(f"{k} p50 ms | {k} p99 ms" for k in kinds)
             + " | statements per request (" + " / ".join(kinds) + ") |",
             "|" + "---:|" * (4 + 2 * len(kinds) + 1)]
    for size in sizes:
        cells = [f"{size.products:,}", f"{size.seed_seconds:.0f}", f"{size.vacuum_seconds:.0f}", f"{size.load:.1f}"]
        for m in size.measures:
            cells += [f"{m.percentile(50):.1f}", f"{m.percentile(99):.1f}"]
        cells.append(" / ".join("-".join(str(n) for n in sorted({min(m.statements), max(m.statements)}))
                                for m in size.measures))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def slowest(sizes: list[Size]) -> list[str]:
    return [f"- slowest at {size.products:,}, {m.kind} (ms): {m.worst()}" for size in sizes for m in size.measures]


def ratios(sizes: list[Size]) -> list[str]:
    first, last = sizes[0], sizes[-1]
    notes = []
    for a, b in zip(first.measures, last.measures):
        ratio = b.percentile(99) / a.percentile(99)
        verdict = "within" if ratio <= 2 else "OVER"
        notes.append(f"- {a.kind}: p99 at {last.products:,} is {ratio:.2f}x p99 at {first.products:,} "
                     f"({verdict} the 2x target)")
        if a.statements != b.statements:
            notes.append(f"- {a.kind}: STATEMENTS CHANGED with the size: {sorted(a.statements)} -> "
                         f"{sorted(b.statements)}")
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="products at each step, comma-separated (100000,500000,2000000)")
    parser.add_argument("--rounds", type=int, help="measured rounds over each mix (8; smoke 1)")
    add_common_arguments(parser)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(SMOKE_SIZES if args.smoke else SIZES)
    rounds = args.rounds or (1 if args.smoke else 8)
    load_before = os.getloadavg()[0]
    disk = shutil.disk_usage(ROOT)
    results: list[Size] = []
    started = time.monotonic()
    with Run(args, DATABASE, DATA, fresh=True) as run:
        first_seed = time.monotonic() - started  # the books and the first items, and a VACUUM
        env = run.server_env(cost_budget=1_000_000_000_000)
        for products in sizes:
            print(f"Growing to {products:,} products...", flush=True)
            seed_seconds, vacuum_seconds = _grow(run, products)
            seed_seconds += first_seed if not results else 0
            have = asyncio.run(_product_count(run.url))
            print(f"  {have:,} products in {seed_seconds:.0f}s (+{vacuum_seconds:.0f}s VACUUM); measuring...",
                  flush=True)
            load = os.getloadavg()[0]
            measures, plans = asyncio.run(_measure(run.url, env, rounds))
            results.append(Size(have, seed_seconds, vacuum_seconds, measures, plans, load))
            print("  " + ", ".join(f"{m.kind} p50 {m.percentile(50):.1f} ms p99 {m.percentile(99):.1f} ms"
                                   for m in measures), flush=True)
        header = (f"# Search at scale\n\n{datetime.date.today()}, revision {revision()}, "
                  f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {run.where}, "
                  f"load average {load_before:.2f} before the run, {disk.free / 2**30:.0f} GiB free; "
                  f"one request at a time, {rounds} rounds over each mix after one warm-up round; "
                  f"seed s: `tributary seed --grow-to N` from the previous size (the first from "
                  f"{run.data} too)\n")
        notes = (ratios(results) if len(results) > 1 else []) + slowest(results)
        plans = "\n\n".join(f"### {size.products:,} products\n\n" + "\n\n".join(size.plans) for size in results)
        run.record("search-scale", header + "\n" + table(results) + "\n\n" + "\n".join(notes)
                   + "\n\n## Plans\n\n" + plans + "\n")
    return 0


if __name__ == "__main__":
    run_script(main)
