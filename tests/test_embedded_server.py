"""`tributary serve` on a fresh data directory: starts its own PostgreSQL, seeds it, stops it
on SIGTERM with nothing left running, and reuses the data on the next start."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

TRIBUTARY = str(Path(sys.executable).with_name("tributary"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_processes(pgdata: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] == "postgres" and str(pgdata) in " ".join(proc.info["cmdline"] or []):
            found.append(proc)
    return found


def _serve(data_dir: Path, port: int, **settings: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIBUTARY_")}
    env.update(TRIBUTARY_DATA_DIR=str(data_dir), TRIBUTARY_LOG_LEVEL="WARNING", **settings)
    return subprocess.Popen([TRIBUTARY, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_healthy(proc: subprocess.Popen, port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError("server did not become healthy")


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=30)
    return output


def _harry_potter_count(port: int) -> int:
    query = '{ search(query: "harry potter", first: 1) { totalCount } }'
    response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=10)
    return response.json()["data"]["search"]["totalCount"]


def test_serve_starts_seeds_stops_cleanly_and_reuses_its_data(tmp_path):
    data_dir = tmp_path / "data"
    pgdata = data_dir.resolve() / "pgdata"
    port = _free_port()

    first = _serve(data_dir, port)
    try:
        _wait_healthy(first, port)
        assert _harry_potter_count(port) > 0
        assert _postgres_processes(pgdata)
    finally:
        output = _stop(first)
    assert "Empty database: loading the demo catalogue" in output
    assert first.returncode == 0, output
    assert _postgres_processes(pgdata) == []

    second = _serve(data_dir, port)
    try:
        _wait_healthy(second, port)
        assert _harry_potter_count(port) > 0
    finally:
        output = _stop(second)
    assert "Empty database" not in output  # the data was reused, not loaded again
    assert _postgres_processes(pgdata) == []


def test_a_killed_server_does_not_keep_postgres_running_after_the_next_start(tmp_path):
    data_dir = tmp_path / "data"
    pgdata = data_dir.resolve() / "pgdata"
    port = _free_port()

    killed = _serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
    _wait_healthy(killed, port)
    killed.kill()  # no exit handlers run: PostgreSQL is left behind
    killed.communicate(timeout=10)
    assert _postgres_processes(pgdata)

    again = _serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
    try:
        _wait_healthy(again, port)
    finally:
        output = _stop(again)
    assert again.returncode == 0, output
    assert _postgres_processes(pgdata) == []
