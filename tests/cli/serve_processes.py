"""Driving `tributary serve` as a user does, in a subprocess on a data directory of its own, for
the tests of the embedded server (one file each, so the suite's workers run them side by side)."""
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_processes(pgdata: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] == "postgres" and str(pgdata) in " ".join(proc.info["cmdline"] or []):
            found.append(proc)
    return found


def serve(data_dir: Path, port: int, **settings: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIBUTARY_")}
    env.update(TRIBUTARY_DATA_DIR=str(data_dir), TRIBUTARY_LOG_LEVEL="WARNING", **settings)
    return subprocess.Popen([TRIBUTARY, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_healthy(proc: subprocess.Popen, port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    # One client for every try (each new one loads the CA bundle), and a pause after any answer
    # but 200: the server starting shares the machine with this loop.
    with httpx.Client(timeout=1) as client:
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read()
            try:
                if client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
    raise AssertionError("server did not become healthy")


def stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=30)
    return output


def serve_healthy_then_stop(data_dir: Path, port: int, **settings: str) -> None:
    """A start without seeding that must become healthy, then stop on SIGTERM with exit code 0."""
    proc = serve(data_dir, port, TRIBUTARY_SEED_ON_START="false", **settings)
    try:
        wait_healthy(proc, port)
    finally:
        output = stop(proc)
    assert proc.returncode == 0, output


def harry_potter_count(port: int) -> int:
    query = '{ search(query: "harry potter", first: 1) { totalCount } }'
    response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, timeout=10)
    return response.json()["data"]["search"]["totalCount"]


def crash(proc: subprocess.Popen) -> None:
    proc.kill()  # SIGKILL: no exit handler runs
    proc.communicate(timeout=10)


def gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
