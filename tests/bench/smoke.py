"""Running a benchmark's smoke mode as a user starts it, on the suite's PostgreSQL server (the
embedded one, or TRIBUTARY_TEST_DATABASE_URL's), for the tests that check it still runs (one file
per script, so the suite's workers run them side by side). Timings are never checked; the table's
shape, each script's own checks, and that the run leaves no database, no server and no result
behind are."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import asyncpg
import psutil
import pytest

from tests.conftest import server_url

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "bench" / "results"
# Far above a smoke run's ~10 s: the machine running the suite is shared.
TIMEOUT_SECONDS = 240
NUMBER = re.compile(r"\d+(\.\d+)?")


def _results() -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in RESULTS.iterdir()} if RESULTS.exists() else {}


async def _smoke(script: str) -> tuple[str, str]:
    """(stdout, stderr) of `bench/<script> --smoke`, which must exit with 0."""
    command = [sys.executable, str(ROOT / "bench" / script), "--smoke"]
    env = dict(os.environ)
    external = os.environ.get("TRIBUTARY_TEST_DATABASE_URL")
    if external:
        command += ["--server-url", external]
    else:  # the suite's embedded server, already running: the script attaches to it
        env["TRIBUTARY_DATA_DIR"] = str(Path(os.environ.get("TRIBUTARY_DATA_DIR", ".tributary")).resolve())
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env, stdin=asyncio.subprocess.DEVNULL,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(), TIMEOUT_SECONDS)
    except TimeoutError:
        process.send_signal(signal.SIGTERM)  # it stops its servers and drops its database on the way out
        try:
            await asyncio.wait_for(process.wait(), 60)
        except TimeoutError:
            process.kill()
        pytest.fail(f"{script} --smoke still running after {TIMEOUT_SECONDS} s")
    stdout, stderr = out.decode(), err.decode()
    assert process.returncode == 0, f"{script} --smoke exited with {process.returncode}:\n{stdout}\n{stderr[-5000:]}"
    return stdout, stderr


async def _database_exists(name: str) -> bool:
    conn = await asyncpg.connect(server_url())
    try:
        return await conn.fetchval("SELECT count(*) FROM pg_database WHERE datname = $1", name) == 1
    finally:
        await conn.close()


def _processes_using(database: str) -> list[str]:
    """Processes still running with the database in their TRIBUTARY_DATABASE_URL (the servers
    and the seed get it that way)."""
    found = []
    for process in psutil.process_iter(["pid", "name"]):
        try:
            url = process.environ().get("TRIBUTARY_DATABASE_URL", "")
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
        if database in url:
            found.append(f"{process.info['pid']} {process.info['name']}")
    return found


def table(stdout: str, columns: list[str]) -> list[dict[str, str]]:
    """The rows of the one table the script printed, which must have exactly `columns`."""
    lines = [line for line in stdout.splitlines() if line.startswith("|")]
    assert len(lines) >= 2, f"no table in:\n{stdout}"
    header, rule, *rows = lines
    assert [c.strip() for c in header.strip("|").split("|")] == columns
    assert re.fullmatch(r"\|(---:?\|)+", rule) and rule.count("|") == len(columns) + 1, rule
    parsed = []
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == len(columns), row
        parsed.append(dict(zip(columns, cells)))
    return parsed


async def run_and_check_cleanup(script: str) -> tuple[str, str]:
    """A smoke run that wrote nothing to bench/results/ and left no database or process behind."""
    server_url()  # hold the embedded server, if it is the one, across the run
    before = _results()
    stdout, stderr = await _smoke(script)
    database = re.search(r"^Smoke run in database (\w+)$", stdout, re.MULTILINE)
    assert database is not None, stdout
    assert "_smoke_" in database.group(1)
    assert not await _database_exists(database.group(1))
    assert _processes_using(database.group(1)) == []
    assert _results() == before
    assert "Smoke run: nothing written to bench/results/." in stdout
    return stdout, stderr
