"""bench/run.py's report: the table of each page's GraphQL and floor loads (the stock executor's
too with `--executor both`), the run's header, and the notes that make a run mean nothing."""
from __future__ import annotations

import argparse
import datetime
import os
import platform
from dataclasses import dataclass
from typing import Any

from bench import in_process
from bench import load as loads
from bench.harness import Run, revision
from bench.load import Load


@dataclass
class Row:
    scenario: Any  # bench.run's Scenario
    graphql: Load
    floor: Load
    statements: tuple[int, int]
    same_data: bool
    # The same page on a second server running the stock executor (`--executor both`).
    stock: Load | None = None
    # CPU time per request by layer, in process (`bench/in_process.py`).
    layers: in_process.Layers | None = None


def table(rows: list[Row], fixed: Load | None = None) -> str:
    stock = any(r.stock is not None for r in rows)
    lines = [("| scenario | GraphQL req/s | p50 ms | p99 ms | floor req/s | floor p50 | floor p99 "
              "| ratio | SQL statements (GraphQL / floor) |"
              + (" stock executor req/s | stock p99 ms | stock ratio |" if stock else "")),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|---:|" if stock else "")]
    for r in rows:
        g, f = r.graphql, r.floor
        line = (f"| {r.scenario.name} | {g.rps:.0f} | {g.p50_ms:.1f} | {g.p99_ms:.1f} | {f.rps:.0f} "
                f"| {f.p50_ms:.1f} | {f.p99_ms:.1f} | {g.rps / f.rps:.2f} "
                f"| {r.statements[0]} / {r.statements[1]} |")
        if stock:
            line += (f" {r.stock.rps:.0f} | {r.stock.p99_ms:.1f} | {r.stock.rps / f.rps:.2f} |" if r.stock
                     else " | | |")
        lines.append(line)
    worst = [f"{r.scenario.name.split(' (')[0]} {r.graphql.worst_drive_p99_ms:.1f} / {r.floor.worst_drive_p99_ms:.1f}"
             for r in rows if r.graphql.worst_drive_p99_ms is not None and r.floor.worst_drive_p99_ms is not None]
    if worst:
        lines.append("\nThe p99s are over all of a side's requests; the worst of a side's drives' own p99s, GraphQL / "
                     "floor, in ms: " + ", ".join(worst))
    if fixed is not None:
        lines.append(f"\nTrivial HTTP floor (a route returning fixed small JSON on the floor's uvicorn, driven in the "
                     f"listing's rounds): "
                     f"{fixed.rps:.0f} req/s, p99 {fixed.p99_ms:.1f} ms; each GraphQL page as a share of it: "
                     + ", ".join(f"{r.scenario.name.split(' (')[0]} {100 * r.graphql.rps / fixed.rps:.2f}%"
                                 for r in rows))
    return "\n".join(lines)


def header(args: argparse.Namespace, run: Run, load_before: float) -> str:
    if args.smoke:
        generator = (f"a Python loop (httpx, smoke run), {args.connections} connections, "
                     f"{args.duration:g} s per side after a {args.warmup:g} s warm-up")
    else:
        drives = 2 * args.rounds
        generator = (f"{loads.wrk_version()}, {args.threads} thread(s), {args.connections} connections, "
                     f"{drives * max(1, int(args.duration) // drives)} s per side in {drives} drives, each after a "
                     f"{args.warmup:g} s warm-up, in {args.rounds} round(s) of GraphQL, floor, floor, GraphQL")
    return (f"# Foundation benchmark, {datetime.date.today().isoformat()}\n\n"
            f"- code: {revision()}\n"
            f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
            f"{platform.system()} {platform.machine()}, Python {platform.python_version()}; "
            f"1-minute load average {load_before:.2f} before the run (other work skews the numbers)\n"
            f"- data: {run.data}, {run.where}\n"
            f"- servers: `tributary serve` (production, 1 worker, asyncio loop, httptools) and "
            f"`bench/floor.py` (uvicorn, same loop, parser and pool size)\n"
            f"- load: {generator}\n"
            f"- ratio: GraphQL req/s / floor req/s (1.00 = no GraphQL overhead)\n")


def notes(rows: list[Row]) -> list[str]:
    """What makes the table mean nothing; each is a line under it and fails the run."""
    found = [f"- {r.scenario.name}: the floor's `data` differs from GraphQL's" for r in rows if not r.same_data]
    found += [f"- {r.scenario.name}: the floor sends a different number of SQL statements"
              for r in rows if r.statements[0] != r.statements[1]]
    found += [f"- {r.scenario.name}: {load.failures} failed requests ({name})"
              for r in rows for name, load in (("GraphQL", r.graphql), ("floor", r.floor)) if load.failures]
    return found
