"""`tributary serve` on a fresh data directory: starts its own PostgreSQL, seeds it, stops it
on SIGTERM with nothing left running, reuses the data on the next start, and starts again
after a crash without touching any process that is not its own PostgreSQL."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
import pytest

TRIBUTARY = str(Path(sys.executable).with_name("tributary"))


@pytest.fixture
def data_dir():
    """A new data directory outside pytest's own temporary root. Run as root, the embedded
    PostgreSQL runs as another user, for whom the directories above its data are opened to
    traversal; every pytest session that starts on the machine closes its temporary root to
    other users again, which would lock a running PostgreSQL out of its own files."""
    parent = Path(tempfile.mkdtemp(prefix="tributary-serve-"))
    try:
        yield parent / "data"
    finally:
        shutil.rmtree(parent, ignore_errors=True)


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


def test_serve_starts_seeds_stops_cleanly_and_reuses_its_data(data_dir):
    pgdata = data_dir.resolve() / "pgdata"
    port = _free_port()

    # The whole catalogue, as the README's run loads it, with fewer demo customers (all 2,672 of
    # them take a worker's half minute here; their loading is the same code for 100).
    first = _serve(data_dir, port, TRIBUTARY_SEED_CUSTOMERS="100")
    try:
        # Loading the whole catalogue takes a worker's minute here, and several on a busy shared
        # machine: the wait allows for that; a start that fails still fails at once.
        _wait_healthy(first, port, timeout=420)
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


def _crash(proc: subprocess.Popen) -> None:
    proc.kill()  # SIGKILL: no exit handler runs
    proc.communicate(timeout=10)


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_serve_starts_again_after_a_crash_of_the_server_and_of_its_postgres(data_dir):
    pgdata = data_dir.resolve() / "pgdata"
    port = _free_port()

    # The server alone dies: its PostgreSQL keeps running, and the next start uses it.
    first = _serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
    _wait_healthy(first, port)
    _crash(first)
    [postmaster] = _postgres_processes(pgdata)
    second = _serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
    _wait_healthy(second, port)
    assert _postgres_processes(pgdata) == [postmaster]

    # The server and its PostgreSQL die, and one of PostgreSQL's processes lingers (stopped, it
    # keeps the shared memory that makes a new PostgreSQL refuse to start).
    lingering = postmaster.children()[0]
    lingering.suspend()
    try:
        _crash(second)
        postmaster.kill()
        third = _serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
        try:
            _wait_healthy(third, port)
        finally:
            output = _stop(third)
        assert third.returncode == 0, output
        assert _gone(lingering)
    finally:
        if not _gone(lingering):
            lingering.kill()  # the check failed: leave nothing stopped behind
    assert _postgres_processes(pgdata) == []


def test_serve_never_signals_an_unrelated_process_named_in_a_stale_postmaster_pid(data_dir, tmp_path):
    pgdata = data_dir.resolve() / "pgdata"
    port = _free_port()
    first = _serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
    _wait_healthy(first, port)
    [postmaster] = _postgres_processes(pgdata)
    _crash(first)
    postmaster.kill()
    # Its PID now belongs to another process, even one named `postgres`, working elsewhere.
    impostor_program = tmp_path / "postgres"
    shutil.copy(shutil.which("sleep"), impostor_program)
    impostor = subprocess.Popen([str(impostor_program), "300"], cwd=tmp_path)
    pid_file = pgdata / "postmaster.pid"
    lines = pid_file.read_text().splitlines()
    pid_file.write_text("\n".join([str(impostor.pid), *lines[1:]]) + "\n")
    try:
        second = _serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
        try:
            _wait_healthy(second, port)
        finally:
            output = _stop(second)
        assert second.returncode == 0, output
        assert impostor.poll() is None  # never signalled, not even at exit
        assert psutil.Process(impostor.pid).status() == psutil.STATUS_SLEEPING
    finally:
        impostor.kill()
        impostor.wait()
    assert _postgres_processes(pgdata) == []
