"""The benchmarks still run: each script's smoke mode, started as a user starts it, on the suite's
PostgreSQL server (the embedded one, or TRIBUTARY_TEST_DATABASE_URL's). Timings are never
checked; the table's shape, each script's own checks (the floor's data, no oversell, the change
log once and in order), and that the run leaves no database, no server and no result behind are."""
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


def _table(stdout: str, columns: list[str]) -> list[dict[str, str]]:
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


async def _run_and_check_cleanup(script: str) -> tuple[str, str]:
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


async def test_foundation_smoke_serves_the_floors_data_with_the_same_statements():
    stdout, stderr = await _run_and_check_cleanup("run.py")

    measures = ["GraphQL req/s", "p50 ms", "p99 ms", "floor req/s", "floor p50", "floor p99", "ratio"]
    rows = _table(stdout, ["scenario", *measures, "SQL statements (GraphQL / floor)"])
    assert [r["scenario"].split(" (")[0] for r in rows] == [
        "product page", "product page with reviews and questions", "search page", "category browse"]
    statements = []
    for row in rows:
        assert all(NUMBER.fullmatch(row[m]) for m in measures), row
        graphql, floor = row["SQL statements (GraphQL / floor)"].split(" / ")
        assert int(graphql) == int(floor) > 0, row
        statements.append(int(graphql))
    # The reviews block: the work's summary and one page of its reviews; the questions block: one
    # page of questions with their top answers.
    assert statements[1] == statements[0] + 3
    assert "DATA DIFFERS" not in stderr
    assert "differs from GraphQL's" not in stdout and "failed requests" not in stdout


async def test_checkout_smoke_sells_the_hot_units_exactly_once():
    stdout, _ = await _run_and_check_cleanup("checkout.py")

    [row] = _table(stdout, ["requests", "wall s", "placeOrder/s", "p50 ms", "p99 ms", "placed", "QUANTITY_UNAVAILABLE",
                            "other", "placed p50 / p99 ms", "refused p50 / p99 ms", "hot units sold / in stock",
                            "oversold"])
    # 20 buyers race for 5 units.
    assert (row["requests"], row["placed"], row["QUANTITY_UNAVAILABLE"], row["other"]) == ("20", "5", "15", "0")
    assert row["hot units sold / in stock"] == "5 / 5"
    assert row["oversold"] == "no"
    assert all(NUMBER.fullmatch(row[k]) for k in ("wall s", "placeOrder/s", "p50 ms", "p99 ms")), row


async def test_library_sync_smoke_syncs_every_licence_in_pages():
    stdout, _ = await _run_and_check_cleanup("library_sync.py")

    rows = _table(stdout, ["measure", "requests", "median ms", "SQL statements per request",
                           "ratio to one product page"])
    # 250 licences in pages of 100.
    assert [(r["measure"], r["requests"]) for r in rows] == [
        ("product page", "1"), ("one sync page (100 changes)", "1"), ("full sync from empty (250 licences)", "3")]
    assert rows[0]["ratio to one product page"] == "1.00"
    for row in rows:
        assert int(row["SQL statements per request"]) > 0, row
        assert NUMBER.fullmatch(row["median ms"]) and NUMBER.fullmatch(row["ratio to one product page"]), row


async def test_compression_smoke_measures_each_coding_the_server_sends():
    stdout, _ = await _run_and_check_cleanup("compression.py")

    rows = _table(stdout, ["page", "coding", "level", "bytes", "% of plain", "CPU µs per response",
                           "served median ms"])
    pages = ["product page", "product page with reviews and questions", "search page", "category browse"]
    assert [r["page"] for r in rows] == [page for page in pages for _ in range(9)]
    for page in pages:
        plain, *packed = [r for r in rows if r["page"] == page]
        assert (plain["coding"], plain["% of plain"]) == ("identity", "100.0")
        assert [r["coding"] for r in packed] == ["gzip"] * 4 + ["br"] * 4
        # The script checked the server's bodies against these levels: one served level per coding.
        assert [r["coding"] for r in packed if r["level"].endswith("(served)")] == ["gzip", "br"]
        for row in packed:
            assert 0 < int(row["bytes"]) < int(plain["bytes"]), row
            assert NUMBER.fullmatch(row["CPU µs per response"]) and NUMBER.fullmatch(row["% of plain"]), row


async def test_subscriptions_smoke_places_each_due_delivery_once():
    stdout, _ = await _run_and_check_cleanup("subscriptions.py")

    [row] = _table(stdout, ["deliveries", "orders", "batches", "wall s", "deliveries/s", "SQL statements",
                            "statements per delivery", "second pass placed"])
    # 100 customers with two deliveries each due today: one order each, nothing placed twice.
    assert (row["deliveries"], row["orders"], row["second pass placed"]) == ("200", "100", "0")
    assert int(row["batches"]) == 3
    assert all(NUMBER.fullmatch(row[k]) for k in ("wall s", "deliveries/s", "statements per delivery")), row


async def test_campaigns_smoke_sends_each_follower_one_message():
    stdout, _ = await _run_and_check_cleanup("campaigns.py")

    [row] = _table(stdout, ["recipients", "batches", "workers", "wall s", "messages/s", "SQL statements",
                            "statements per batch", "sent twice", "missed"])
    # 300 followers in batches of 40, by two workers at once: each sent one message (the script
    # checks every recipient against the sender and fails otherwise).
    assert (row["recipients"], row["batches"], row["workers"], row["sent twice"], row["missed"]) == \
        ("300", "8", "2", "0", "0")
    assert all(NUMBER.fullmatch(row[k]) for k in ("wall s", "messages/s", "statements per batch")), row


async def test_search_scale_smoke_grows_the_catalogue_and_measures_each_size():
    stdout, _ = await _run_and_check_cleanup("search_scale.py")

    kinds = ["search page", "filtered search", "suggestions"]
    measures = [f"{k} p{p} ms" for k in kinds for p in (50, 99)]
    rows = _table(stdout, ["products", "seed s", "VACUUM s", "load", *measures,
                           f"statements per request ({' / '.join(kinds)})"])
    # The suite's data grown twice, a few hundred products each time.
    assert [int(r["products"].replace(",", "")) for r in rows] == [1500, 1800]
    for row in rows:
        assert all(NUMBER.fullmatch(row[m]) for m in measures), row
    # The same statements at both sizes, and a plan for each kind of request.
    assert rows[0][f"statements per request ({' / '.join(kinds)})"] == \
        rows[1][f"statements per request ({' / '.join(kinds)})"]
    assert "STATEMENTS CHANGED" not in stdout
    for kind in kinds:
        assert stdout.count(f"#### {kind}: ") == 2, kind
    assert stdout.count("Execution Time:") >= 6
