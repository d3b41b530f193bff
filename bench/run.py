"""Throughput of the GraphQL server against its floor on the same pages and the same SQL.

    .venv/bin/python bench/run.py [--duration 10] [--connections 16]

Seeds `--scale 20` into its own database on the embedded PostgreSQL (once), starts the real
server (`tributary serve`) and the floor (`bench/floor.py`), checks that both return the same
`data`, drives each page with wrk and writes a table to bench/results/. See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` and `tests` importable

import asyncpg  # noqa: E402

from domain.shared import embedded  # noqa: E402
from tests.api.queries import CATEGORY_BROWSE, PRODUCT_PAGE, SEARCH_PAGE  # noqa: E402

DATABASE = "tributary_bench"
SCALE = 20
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Scenario:
    name: str
    document: str
    variables: dict[str, Any]
    floor_path: str


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    failures: int


@dataclass
class Row:
    scenario: Scenario
    graphql: Load
    floor: Load
    statements: tuple[int, int]
    same_data: bool


# --- database ----------------------------------------------------------------------------

async def _product_count(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM products")
    except asyncpg.UndefinedTableError:
        return 0
    finally:
        await conn.close()


def ensure_seeded(url: str) -> None:
    if asyncio.run(_product_count(url)) > 0:
        return
    print(f"Seeding --scale {SCALE} into {DATABASE} (about half a minute)...", flush=True)
    # The URL, not the database name: this process already holds the embedded server.
    subprocess.run([str(BIN / "tributary"), "seed", "--scale", str(SCALE)], cwd=ROOT, check=True,
                   env={**os.environ, "TRIBUTARY_DATABASE_URL": url}, stdout=subprocess.DEVNULL)
    asyncio.run(_vacuum(url))


async def _vacuum(url: str) -> None:
    # Autovacuum's first pass over freshly loaded tables would otherwise land in a measured run.
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM (ANALYZE)")
    finally:
        await conn.close()


async def _pick_inputs(url: str) -> tuple[str, str]:
    """The most-rated product with formats and at least 10 visible offers (a full offers
    page and a second buy-box batch), and the top-level category with the most products."""
    conn = await asyncpg.connect(url)
    try:
        product = await conn.fetchval("""
            SELECT p.slug FROM products p
            JOIN offers o ON o.product_id = p.id AND o.archived_at IS NULL
            JOIN sellers s ON s.id = o.seller_id AND s.standing <> 'SUSPENDED'
            WHERE p.archived_at IS NULL AND p.work_id IS NOT NULL
            GROUP BY p.id HAVING count(*) >= 10
            ORDER BY p.ratings_count DESC, p.id LIMIT 1""")
        category = await conn.fetchval("""
            SELECT c.slug FROM categories c
            WHERE c.parent_id IS NULL
            ORDER BY (SELECT count(*) FROM search_documents d WHERE d.category_path <@ c.path) DESC, c.id
            LIMIT 1""")
    finally:
        await conn.close()
    return product, category


def scenarios(url: str) -> list[Scenario]:
    product, category = asyncio.run(_pick_inputs(url))
    return [
        Scenario(f"product page ({product}, 10 offers)", PRODUCT_PAGE,
                 {"slug": product, "offers": 10}, "/product"),
        Scenario('search page ("harry potter", 50 + facets)', SEARCH_PAGE,
                 {"query": "harry potter", "first": 50}, "/search"),
        Scenario(f"category browse ({category}, 100)", CATEGORY_BROWSE,
                 {"slug": category, "first": 100}, "/category"),
    ]


# --- statement counts (in process) ----------------------------------------------------------

async def _statement_counts(url: str, cases: list[Scenario]) -> list[tuple[int, int]]:
    import httpx

    from api.app import create_app
    from bench import floor
    from domain.shared.config import Settings
    from domain.shared.db import Database, StatementCounter, current_counter

    database = Database(url, pool_size=2)
    app = create_app(Settings(env="production"), database=database)
    counts = []
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            for case in cases:
                graphql, floor_count = StatementCounter(), StatementCounter()
                token = current_counter.set(graphql)
                try:
                    await client.post("/graphql", json={"query": case.document, "variables": case.variables})
                finally:
                    current_counter.reset(token)
                reader = await database.reader()
                token = current_counter.set(floor_count)
                try:
                    await floor.PAGES[case.floor_path.strip("/")](reader, **case.variables)
                finally:
                    current_counter.reset(token)
                    await reader.close()
                counts.append((graphql.count, floor_count.count))
    finally:
        await database.close()
    return counts


# --- servers ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server subprocess, its stderr kept in a file to show when it fails to start."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int, logs: Path) -> None:
        self.name, self.port = name, port
        self.log = logs / f"{name}.log"
        with self.log.open("wb") as stderr:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=stderr)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer /healthz within {timeout:.0f}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
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


# --- load ---------------------------------------------------------------------------------

_LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = assert(io.open([==[{path}]==], "rb"))
wrk.body = file:read("*a")
file:close()
"""
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _find(pattern: str, output: str) -> re.Match[str]:
    found = re.search(pattern, output, re.MULTILINE)
    if found is None:
        raise SystemExit(f"Unexpected wrk output (no {pattern!r}):\n{output}")
    return found


def _ms(text: str) -> float:
    value, unit = _find(r"^([\d.]+)(us|ms|s|m|h)$", text).groups()
    return float(value) * _UNITS_MS[unit]


def parse_wrk(output: str) -> Load:
    rps = float(_find(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(_find(r"^\s+50%\s+(\S+)", output).group(1))
    p99 = _ms(_find(r"^\s+99%\s+(\S+)", output).group(1))
    failures = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if errors:
        failures += sum(int(n) for n in errors.groups())
    return Load(rps, p50, p99, failures)


def run_wrk(url: str, body: dict[str, Any], name: str, work: Path, args: argparse.Namespace) -> Load:
    body_file = work / f"{name}.json"
    body_file.write_text(json.dumps(body))
    script = body_file.with_suffix(".lua")
    script.write_text(_LUA.format(path=body_file))
    base = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-s", str(script)]
    subprocess.run([*base, "-d", f"{args.warmup}s", url], check=True, capture_output=True)
    result = subprocess.run([*base, "-d", f"{args.duration}s", "--latency", url], check=True,
                            capture_output=True, text=True)
    return parse_wrk(result.stdout)


# --- report -------------------------------------------------------------------------------

def table(rows: list[Row]) -> str:
    lines = [("| scenario | GraphQL req/s | p50 ms | p99 ms | floor req/s | floor p50 | floor p99 "
              "| ratio | SQL statements (GraphQL / floor) |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        g, f = r.graphql, r.floor
        lines.append(f"| {r.scenario.name} | {g.rps:.0f} | {g.p50_ms:.1f} | {g.p99_ms:.1f} | {f.rps:.0f} "
                     f"| {f.p50_ms:.1f} | {f.p99_ms:.1f} | {g.rps / f.rps:.2f} "
                     f"| {r.statements[0]} / {r.statements[1]} |")
    return "\n".join(lines)


def _revision() -> str:
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "api", "domain"],
                           check=False, capture_output=True, text=True).stdout.strip()
    return f"{commit or 'unknown'}{' with uncommitted changes' if dirty else ''}"


def header(args: argparse.Namespace, load_before: float) -> str:
    wrk_version = subprocess.run(["wrk", "-v"], check=False, capture_output=True, text=True).stdout.split(" [")[0]
    return (f"# Foundation benchmark, {datetime.date.today().isoformat()}\n\n"
            f"- code: {_revision()}\n"
            f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
            f"{platform.system()} {platform.machine()}, Python {platform.python_version()}; "
            f"1-minute load average {load_before:.2f} before the run (other work skews the numbers)\n"
            f"- data: `tributary seed --scale {SCALE}`, embedded PostgreSQL on the same machine\n"
            f"- servers: `tributary serve` (production, 1 worker, asyncio loop, httptools) and "
            f"`bench/floor.py` (uvicorn, same loop, parser and pool size)\n"
            f"- load: {wrk_version}, {args.threads} thread(s), {args.connections} connections, "
            f"{args.duration} s per run after a {args.warmup} s warm-up\n"
            f"- ratio: GraphQL req/s / floor req/s (1.00 = no GraphQL overhead)\n")


def write_results(text: str) -> Path:
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    path = results / f"{datetime.date.today().isoformat()}-foundation.md"
    path.write_text(text)
    return path


# --- main ---------------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up before each run")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    return parser.parse_args()


def _run(args: argparse.Namespace, data_dir: Path, work: Path, servers: list[Server]) -> list[Row]:
    url = embedded.ensure_database(data_dir, DATABASE)
    ensure_seeded(url)
    cases = scenarios(url)
    counts = asyncio.run(_statement_counts(url, cases))
    # wrk is one client sending thousands of requests a second: a cost budget it never
    # exhausts, so the budget is still checked on every request but never refuses one.
    env = {**os.environ, "TRIBUTARY_DATABASE_URL": url, "TRIBUTARY_ENV": "production",
           "TRIBUTARY_LOG_LEVEL": "WARNING", "TRIBUTARY_COST_BUDGET": "1000000000000",
           "TRIBUTARY_SECRET_KEY": secrets.token_urlsafe(48)}
    graphql_port, floor_port = free_port(), free_port()
    servers.append(Server("graphql", [str(BIN / "tributary"), "serve", "--port", str(graphql_port)],
                          env, graphql_port, work))
    servers.append(Server("floor", [str(BIN / "python"), "-m", "uvicorn", "bench.floor:app",
                                    "--port", str(floor_port), "--loop", "asyncio", "--http", "httptools",
                                    "--workers", "1", "--no-access-log", "--log-level", "warning"],
                          env, floor_port, work))
    for server in servers:
        server.wait_healthy()
    graphql, floor = servers
    rows = []
    for index, (case, statements) in enumerate(zip(cases, counts, strict=True)):
        graphql_body = {"query": case.document, "variables": case.variables}
        expected = post(f"{graphql.base}/graphql", graphql_body)
        if "errors" in expected:
            raise SystemExit(f"{case.name}: GraphQL errors {expected['errors']}")
        actual = post(f"{floor.base}{case.floor_path}", case.variables)
        difference = first_difference(expected["data"], actual["data"])
        if difference:
            print(f"DATA DIFFERS in {case.name}: {difference}", file=sys.stderr)
        print(f"{case.name}: GraphQL...", flush=True)
        graphql_load = run_wrk(f"{graphql.base}/graphql", graphql_body, f"{index}-graphql", work, args)
        print(f"{case.name}: floor...", flush=True)
        floor_load = run_wrk(f"{floor.base}{case.floor_path}", case.variables, f"{index}-floor", work, args)
        rows.append(Row(case, graphql_load, floor_load, statements, difference is None))
    return rows


def _install_wrk() -> bool:
    """Install wrk with apt when we may (root on Debian/Ubuntu), so a fresh machine needs no
    manual step; anywhere else the user is told how."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    print("installing wrk with apt-get...", file=sys.stderr)
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        if subprocess.run(command, stdout=subprocess.DEVNULL).returncode != 0:
            return False
    return shutil.which("wrk") is not None


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None and not _install_wrk():
        print("wrk is needed to generate the load: apt-get install -y wrk (or brew install wrk)",
              file=sys.stderr)
        return 2
    load_before = os.getloadavg()[0]
    data_dir = Path(os.environ.get("TRIBUTARY_DATA_DIR", ROOT / ".tributary"))
    # Hold the embedded server for the whole run: it stops when its last user exits.
    embedded.start(data_dir)
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="tributary-bench-") as tmp:
        try:
            rows = _run(args, data_dir, Path(tmp), servers)
        finally:
            for server in servers:
                server.stop()
            embedded.stop()
    notes = [f"- {r.scenario.name}: the floor's `data` differs from GraphQL's" for r in rows if not r.same_data]
    notes += [f"- {r.scenario.name}: the floor sends a different number of SQL statements"
              for r in rows if r.statements[0] != r.statements[1]]
    notes += [f"- {r.scenario.name}: {load.failures} failed requests ({name})"
              for r in rows for name, load in (("GraphQL", r.graphql), ("floor", r.floor)) if load.failures]
    text = header(args, load_before) + "\n" + table(rows) + "\n" + ("\n" + "\n".join(notes) + "\n" if notes else "")
    print("\n" + text)
    print(f"Written to {write_results(text).relative_to(ROOT)}")
    return 1 if notes else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the servers were stopped on the way out
        sys.exit(130)
