"""What every benchmark script shares: its database, the servers it starts as a user would, and
where its table goes. A smoke run (`--smoke`) takes the same path on tiny data and records nothing."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import hashlib
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from domain.shared import embedded
from domain.shared.config import Settings
from domain.shared.database_url import asyncpg_url, with_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"


@dataclass(frozen=True)
class DataSet:
    """What `tributary seed` loads."""

    scale: int = 1
    books: int | None = None
    merchandise: int | None = None
    customers: int | None = None

    @property
    def seed_arguments(self) -> list[str]:
        arguments = ["--scale", str(self.scale)]
        if self.books is not None:
            arguments += ["--books", str(self.books)]
        if self.merchandise is not None:
            arguments += ["--merchandise", str(self.merchandise)]
        if self.customers is not None:
            arguments += ["--customers", str(self.customers)]
        return arguments

    def __str__(self) -> str:
        return f"`tributary seed {' '.join(self.seed_arguments)}`"


# The test suite's size: seeded in seconds, and it still holds what the scripts look for (the
# Harry Potter books, products with 10+ offers, first-party paperbacks in stock, e-books, and a
# few demo customers with their orders and reviews).
SMOKE_DATA = DataSet(books=300, merchandise=500, customers=20)
# Smoke runs copy one seeded template (`Run._copy_of_smoke_template`), named for the code it was
# seeded with: the migrations and the domain (the seed and what it calls).
SMOKE_TEMPLATE_PREFIX = "tributary_bench_smoke_template_"
SMOKE_TEMPLATE_LOCK = 0x7B5E_0001


def machine_line(load_before: float) -> str:
    """The machine a result was measured on, for a results file's header."""
    return (f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {platform.system()} "
            f"{platform.machine()}, Python {platform.python_version()}; 1-minute load average {load_before:.2f} "
            "before the run")


def _smoke_template_name() -> str:
    digest = hashlib.blake2b(repr(SMOKE_DATA).encode(), digest_size=8)
    for path in sorted([*(ROOT / "migrations").rglob("*.py"), *(ROOT / "domain").rglob("*.py")]):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return SMOKE_TEMPLATE_PREFIX + digest.hexdigest()


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--smoke", action="store_true",
                        help="tiny data in a database of its own (dropped at the end), about a second of load, "
                             "nothing written to bench/results/: checks that the benchmark still runs")
    parser.add_argument("--server-url", metavar="URL",
                        help="postgresql:// URL of an existing server (its maintenance database) to keep the "
                             "benchmark's database on, instead of the embedded one in TRIBUTARY_DATA_DIR")


def parse_with_sizes(parser: argparse.ArgumentParser, normal: dict, smoke: dict) -> argparse.Namespace:
    """The arguments, with the common ones added and each size left out taken from `smoke`
    under --smoke, else from `normal`."""
    add_common_arguments(parser)
    args = parser.parse_args()
    for name, value in (smoke if args.smoke else normal).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


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
                pass
            time.sleep(0.2)  # after any answer but 200 too: the server starting shares the machine
        raise SystemExit(f"{self.name} did not answer /healthz within {timeout:.0f}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Run:
    """One benchmark run: a work directory, the seeded database and the servers started for it.

    The database is `--server-url`'s or the embedded server's (held until the end). A real run
    seeds `data` into `database` once and later runs reuse it (unless `fresh`: then a new one each
    time); a smoke run seeds `SMOKE_DATA` into a new database of its own, so it never touches a
    real run's data. Leaving stops the servers, then drops a smoke or fresh run's database, then
    lets the embedded server go."""

    def __init__(self, args: argparse.Namespace, database: str, data: DataSet, *, fresh: bool = False) -> None:
        self.smoke: bool = args.smoke
        self.server_url: str | None = args.server_url
        self.data = SMOKE_DATA if self.smoke else data
        # A fresh run (one that changes its data as it goes) never reuses a database, and drops
        # its own at the end, as a smoke run does.
        self.fresh = fresh or self.smoke
        kind = "smoke" if self.smoke else "run"
        self.database = f"{database}_{kind}_{secrets.token_hex(4)}" if self.fresh else database
        self.servers: list[Server] = []
        self._exit = contextlib.ExitStack()

    def __enter__(self) -> Run:
        with self._exit as stack:
            self.work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tributary-bench-")))
            if self.server_url is None:
                data_dir = Path(os.environ.get("TRIBUTARY_DATA_DIR", ROOT / ".tributary"))
                admin = embedded.admin_url(data_dir)
                stack.callback(embedded.stop)
            else:
                admin = asyncpg_url(self.server_url)
            if self.smoke:
                print(f"Smoke run in database {self.database}", flush=True)
                created = asyncio.run(self._copy_of_smoke_template(admin))
            else:
                created = asyncio.run(_create_database(admin, self.database))
            if self.fresh and created:
                stack.callback(lambda: asyncio.run(_drop_database(admin, self.database)))
            self.url = with_database(admin, self.database)
            stack.callback(self._stop_servers)
            self._seed_once()
            self._exit = stack.pop_all()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._exit.close()

    @property
    def where(self) -> str:
        """Where the data is, for a table's header (never the URL: it may hold a password)."""
        return ("embedded PostgreSQL on the same machine" if self.server_url is None
                else "the PostgreSQL server given with --server-url")

    async def _copy_of_smoke_template(self, admin: str) -> bool:
        """Makes the run's database a copy of the smoke data, seeded once per version of the code
        that seeds it (`_smoke_template_name`) and kept on the server: a dozen smoke runs in a test
        suite then seed once between them instead of once each. Under an advisory lock, so runs
        started together wait for the one seeding; the template is renamed into place only once
        seeded, so a run that died half-way leaves nothing another would copy."""
        template = _smoke_template_name()
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute("SELECT pg_advisory_lock($1)", SMOKE_TEMPLATE_LOCK)
            try:
                if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", template):
                    stale = await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE $1",
                                             SMOKE_TEMPLATE_PREFIX + "%")
                    for (name,) in stale:  # earlier versions', and a half-seeded one
                        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    building = template + "_building"
                    await conn.execute(f'CREATE DATABASE "{building}"')
                    url = with_database(admin, building)
                    print(f"Seeding {self.data} into the smoke template...", flush=True)
                    await asyncio.to_thread(
                        subprocess.run, [str(BIN / "tributary"), "seed", *self.data.seed_arguments], cwd=ROOT,
                        check=True, env=self._env({"TRIBUTARY_DATABASE_URL": url}), stdout=subprocess.DEVNULL)
                    await _vacuum(url)
                    await conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
                await conn.execute(f'CREATE DATABASE "{self.database}" TEMPLATE "{template}"')
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", SMOKE_TEMPLATE_LOCK)
        finally:
            await conn.close()
        return True

    def _seed_once(self) -> None:
        if asyncio.run(_product_count(self.url)) > 0:
            return
        print(f"Seeding {self.data} into {self.database}...", flush=True)
        # The URL, not the database name: this process already holds the embedded server.
        subprocess.run([str(BIN / "tributary"), "seed", *self.data.seed_arguments], cwd=ROOT, check=True,
                       env=self._env({"TRIBUTARY_DATABASE_URL": self.url}), stdout=subprocess.DEVNULL)
        asyncio.run(_vacuum(self.url))

    def _env(self, settings: dict[str, str]) -> dict[str, str]:
        env = {**os.environ, **settings}
        if self.smoke:  # the demo content files too stay inside the run
            env["TRIBUTARY_CONTENT_DIR"] = str(self.work / "content")
        return env

    def server_env(self, **settings: object) -> dict[str, str]:
        """The environment of a server started as deployed: production, which refuses to start
        without a signing key, so the run makes one; `settings` are further `TRIBUTARY_*` values."""
        return self._env({"TRIBUTARY_DATABASE_URL": self.url, "TRIBUTARY_ENV": "production",
                          "TRIBUTARY_LOG_LEVEL": "WARNING", "TRIBUTARY_SECRET_KEY": secrets.token_urlsafe(48),
                          **{f"TRIBUTARY_{name.upper()}": str(value) for name, value in settings.items()}})

    def start(self, name: str, command: list[str], env: dict[str, str]) -> Server:
        """A server on a free port (`command` gets `--port`), answering /healthz."""
        port = free_port()
        server = Server(name, [*command, "--port", str(port)], env, port, self.work)
        self.servers.append(server)
        server.wait_healthy()
        return server

    def _stop_servers(self) -> None:
        for server in self.servers:
            server.stop()

    def record(self, kind: str, text: str) -> None:
        """Print the table; a real run also writes it to bench/results/<date>-<kind>.md."""
        print("\n" + text)
        if self.smoke:
            print("Smoke run: nothing written to bench/results/.")
            return
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{datetime.date.today().isoformat()}-{kind}.md"
        path.write_text(text)
        print(f"Written to {path.relative_to(ROOT)}")


def run_script(main: Callable[[], int]) -> None:
    """Exit with `main()`'s status. Ctrl-C and SIGTERM leave through the run's clean-up too
    (servers stopped, a smoke run's database dropped), not around it."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(128 + signal.SIGINT)


async def run_workers(url: str, workers: int, settings: Settings, email) -> tuple[float, int, list]:
    """Runs `workers` job workers in this process (every handler) until nothing is due:
    (seconds, SQL statements, each worker's stats); a failed or retried job ends the run."""
    from domain.bootstrap import job_registry
    from domain.jobs.worker import Worker
    from domain.shared.db import Database, StatementCounter, current_counter

    database = Database(url, pool_size=2 * workers + 2)
    counter = StatementCounter()
    runners = [Worker(database, handlers=job_registry(), email=email, settings=settings, listen=False)
               for _ in range(workers)]
    try:
        reset = current_counter.set(counter)
        start = time.perf_counter()
        try:
            stats = await asyncio.gather(*(runner.run_once() for runner in runners))
        finally:
            seconds = time.perf_counter() - start
            current_counter.reset(reset)
    finally:
        await database.close()
    if sum(s.failed + s.retried for s in stats):
        raise SystemExit(f"jobs failed or were retried: {stats}")
    return seconds, counter.count, stats


def settings_from(env: dict[str, str]) -> Settings:
    """The settings a server started with `env` reads, for an app built in this process: both
    then run with one configuration (mode, signing key, cost budget)."""
    return Settings(**{name.removeprefix("TRIBUTARY_").lower(): value for name, value in env.items()
                       if name.startswith("TRIBUTARY_")})


def revision() -> str:
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "api", "domain"],
                           check=False, capture_output=True, text=True).stdout.strip()
    return f"{commit or 'unknown'}{' with uncommitted changes' if dirty else ''}"


async def _create_database(admin: str, name: str) -> bool:
    """Create `name` if missing; whether it was created."""
    conn = await asyncpg.connect(admin)
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        await conn.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await conn.close()


async def _drop_database(admin: str, name: str) -> None:
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def _product_count(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM products")
    except asyncpg.UndefinedTableError:
        return 0
    finally:
        await conn.close()


async def _vacuum(url: str) -> None:
    # Autovacuum's first pass over freshly loaded tables would otherwise land in a measured run.
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM (ANALYZE)")
    finally:
        await conn.close()
