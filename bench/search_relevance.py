"""Search relevance: the share of the relevance set's queries that find the product meant in the
first K results, and the mean reciprocal rank.

    .venv/bin/python bench/search_relevance.py [--smoke]

Seeds its own database with the test suite's data (`tributary seed --books 300 --merchandise 500
--customers 0`: the set's expected products are in it), runs every query of
`tests/domain/search/relevance_queries.py` through the search service as `search(query:)` runs
it (spelling, prefix, ranking, one result per work), and counts a hit when a product of the
expected work is among the first K. The reciprocal rank of a query is 1/position of that work in
the first 20 results (0 beyond). Prints the rate and the MRR by kind of query, then every miss.
Writes a table to bench/results/ (not with --smoke). The suite's floor is 95% (see
tests/domain/search/test_relevance.py).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench`, `domain` and `tests` importable

import asyncpg  # noqa: E402

from bench.harness import DataSet, Run, parse_with_sizes, revision, run_script  # noqa: E402
from domain.search import service as search  # noqa: E402
from domain.search.entities import SearchSpec  # noqa: E402
from domain.shared.pagination import PageRequest  # noqa: E402
from tests.domain.search.relevance_queries import CASES, K  # noqa: E402

DATABASE = "tributary_bench_relevance"
DATA = DataSet(books=300, merchandise=500, customers=0)
DEPTH = 20


@dataclass(frozen=True, slots=True)
class Outcome:
    query: str
    slug: str
    kind: str
    rank: int | None  # 1-based position of the expected work in the first DEPTH results
    corrected: str | None
    top: tuple[str, ...]  # the first K titles, for the report of misses

    @property
    def hit(self) -> bool:
        return self.rank is not None and self.rank <= K


async def evaluate(conn: asyncpg.Connection) -> list[Outcome]:
    """Every case of the set, searched as the API searches it. Fails on a slug the data lacks."""
    rows = await conn.fetch("SELECT slug, id, coalesce(work_id, -id) AS g FROM products WHERE slug = ANY($1::text[])",
                            sorted({slug for _, slug, _ in CASES}))
    group = {r["slug"]: r["g"] for r in rows}
    missing = sorted({slug for _, slug, _ in CASES} - group.keys())
    if missing:
        raise AssertionError(f"expected products not in the database: {missing}")
    outcomes = []
    for query, slug, kind in CASES:
        prepared = await search.prepare(conn, SearchSpec(query=query))
        page = await search.find_products(conn, prepared, PageRequest(0, DEPTH))
        groups = [p.work_id if p.work_id is not None else -p.id for p in page.items]
        rank = groups.index(group[slug]) + 1 if group[slug] in groups else None
        outcomes.append(Outcome(query, slug, kind, rank, prepared.query.corrected,
                                tuple(p.title for p in page.items[:K])))
    return outcomes


def rates(outcomes: list[Outcome]) -> tuple[float, float]:
    """(hit rate, mean reciprocal rank)."""
    hit = sum(o.hit for o in outcomes) / len(outcomes)
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes)
    return hit, mrr


def report(run: Run, outcomes: list[Outcome]) -> str:
    kinds = list(dict.fromkeys(o.kind for o in outcomes))
    hit, mrr = rates(outcomes)
    lines = [
        f"# Search relevance ({datetime.date.today().isoformat()}, {revision()})",
        "",
        f"{len(outcomes)} queries of tests/domain/search/relevance_queries.py on {run.data}, {run.where}; "
        f"Python {platform.python_version()}. Hit: the expected work in the first {K}; "
        f"MRR over the first {DEPTH}.",
        "",
        "| queries | kind | hit rate | MRR |",
        "|---:|---:|---:|---:|",
    ]
    for kind in kinds:
        mine = [o for o in outcomes if o.kind == kind]
        h, m = rates(mine)
        lines.append(f"| {len(mine)} | {kind} | {h:.1%} | {m:.3f} |")
    lines.append(f"| {len(outcomes)} | all | {hit:.1%} | {mrr:.3f} |")
    misses = [o for o in outcomes if not o.hit]
    if misses:
        lines += ["", "Misses:", ""]
        lines += [f"- `{o.query}` ({o.kind}): expected {o.slug}, rank {o.rank or '-'}, searched "
                  f"{o.corrected or o.query!r}; first: {'; '.join(o.top)}" for o in misses]
    lines += ["", f"hit rate {hit:.3f} MRR {mrr:.3f}"]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    return parse_with_sizes(parser, {}, {})


async def _evaluate(url: str) -> list[Outcome]:
    conn = await asyncpg.connect(url)
    try:
        return await evaluate(conn)
    finally:
        await conn.close()


def main() -> int:
    args = parse_args()
    with Run(args, DATABASE, DATA) as run:
        run.record("search-relevance", report(run, asyncio.run(_evaluate(run.url))))
    return 0


if __name__ == "__main__":
    run_script(main)
