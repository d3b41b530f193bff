"""What compressing the API's responses costs and saves: CPU time per response and bytes, for
brotli and gzip at the levels the server uses and around them, on the foundation benchmark's pages.

    .venv/bin/python bench/compression.py [--seconds 0.5] [--requests 50] [--smoke]

Uses the foundation benchmark's database (`tributary seed --scale 20`, seeded once) and starts
the real server (`tributary serve`). For each page (bench/pages.py) it asks the server for the
page uncompressed, in brotli and in gzip, checks that each decodes to the same data and that the
server's bodies are exactly what the levels it is configured with give (api/http/compression.py),
then times compressing the page's body in this process at each level (CPU time, one core) and
the served round trip of each coding. Writes a table to bench/results/<date>-compression.md.
`--smoke` takes the same path on tiny data, a few rounds each, and records nothing.
"""
from __future__ import annotations

import argparse
import datetime
import gzip
import json
import platform
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import brotli  # noqa: E402
import httpx  # noqa: E402

from api.http.compression import BROTLI_QUALITY, GZIP_LEVEL  # noqa: E402
from bench.harness import BIN, Run, parse_with_sizes, revision, run_script  # noqa: E402
from bench.pages import TYPENAME  # noqa: E402
from bench.run import DATA, DATABASE, Scenario, scenarios  # noqa: E402

NORMAL = {"seconds": 0.5, "requests": 50}
SMOKE = {"seconds": 0.005, "requests": 3}
LEVELS = {"gzip": (1, GZIP_LEVEL, 6, 9), "br": (1, BROTLI_QUALITY, 6, 11)}
COMPRESS: dict[str, Callable[[bytes, int], bytes]] = {
    "gzip": lambda body, level: gzip.compress(body, compresslevel=level),
    "br": lambda body, level: brotli.compress(body, quality=level),
}
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress, "identity": lambda body: body}
COLUMNS = ["page", "coding", "level", "bytes", "% of plain", "CPU µs per response", "served median ms"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, help="CPU time spent compressing at each level and page")
    parser.add_argument("--requests", type=int, help="requests per page and coding for the served median")
    return parse_with_sizes(parser, NORMAL, SMOKE)


def cpu_microseconds(compress: Callable[[], bytes], seconds: float) -> float:
    """Mean CPU time of one call, over at least three calls and `seconds` of CPU time."""
    calls, started = 0, time.process_time()
    while calls < 3 or time.process_time() - started < seconds:
        compress()
        calls += 1
    return (time.process_time() - started) / calls * 1e6


def served(http: httpx.Client, case: Scenario, coding: str, requests: int) -> tuple[bytes, float]:
    """The page's body as the server sent it in `coding`, and the median round trip in ms."""
    payload = {"query": case.document, "variables": case.variables}
    times, body = [], b""
    for _ in range(requests):
        started = time.perf_counter()
        with http.stream("POST", "/graphql", json=payload, headers={"accept-encoding": coding}) as response:
            body = b"".join(response.iter_raw())
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200 or response.headers.get("content-encoding", "identity") != coding:
            raise SystemExit(f"{case.name}: asked for {coding}, got {response.status_code} "
                             f"{response.headers.get('content-encoding', 'identity')}")
    return body, statistics.median(times)


def data_of(body: bytes) -> object:
    return json.loads(body)["data"]


def measure(http: httpx.Client, case: Scenario, args: argparse.Namespace) -> list[list[str]]:
    bodies, medians = {}, {}
    for coding in ("identity", "br", "gzip"):
        bodies[coding], medians[coding] = served(http, case, coding, args.requests)
    plain = bodies["identity"]
    for coding in ("br", "gzip"):
        decoded = DECODE[coding](bodies[coding])
        if data_of(decoded) != data_of(plain):
            raise SystemExit(f"{case.name}: the {coding} body decodes to other data")
        # The server's exact bytes for the body it compressed, so the levels timed below are its.
        level = BROTLI_QUALITY if coding == "br" else GZIP_LEVEL
        if len(COMPRESS[coding](decoded, level)) != len(bodies[coding]):
            raise SystemExit(f"{case.name}: the served {coding} body is not {coding} at level {level}")
    page = case.name.split(" (")[0]
    rows = [[page, "identity", "-", str(len(plain)), "100.0", "0", f"{medians['identity']:.2f}"]]
    for coding, levels in LEVELS.items():
        for level in levels:
            size = len(COMPRESS[coding](plain, level))
            cpu = cpu_microseconds(lambda: COMPRESS[coding](plain, level), args.seconds)
            is_served = level == (BROTLI_QUALITY if coding == "br" else GZIP_LEVEL)
            rows.append([page, coding, f"{level} (served)" if is_served else str(level), str(size),
                         f"{100 * size / len(plain):.1f}", f"{cpu:.0f}",
                         f"{medians[coding]:.2f}" if is_served else "-"])
    return rows


def table(run: Run, args: argparse.Namespace, rows: list[list[str]]) -> str:
    header = [
        f"# Response compression ({datetime.date.today().isoformat()})", "",
        f"Revision {revision()}; {platform.python_version()} on {platform.machine()}; data {run.data}, "
        f"{run.where}. zlib {zlib.ZLIB_VERSION}, brotli {brotli.version}.",
        f"CPU µs: mean CPU time to compress the page's body once, in one process ({args.seconds} s per row). "
        f"Served median ms: round trip of {args.requests} requests one after another to `tributary serve` "
        "(production) on this machine, asking for that coding.", "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    return "\n".join(header + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"


def main() -> int:
    args = parse_args()
    with Run(args, DATABASE, DATA) as run:
        # `{ __typename }` is below the size the server compresses: nothing to measure. The pages
        # measured are the anonymous ones (a signed-in page's body is compressed alike).
        cases = [case for case in scenarios(run.url) if case.document is not TYPENAME and case.customer is None]
        server = run.start("graphql", [str(BIN / "tributary"), "serve"], run.server_env(cost_budget=10**12))
        rows = []
        with httpx.Client(base_url=server.base, timeout=30) as http:
            for case in cases:
                rows += measure(http, case, args)
        run.record("compression", table(run, args, rows))
    return 0


if __name__ == "__main__":
    run_script(main)
