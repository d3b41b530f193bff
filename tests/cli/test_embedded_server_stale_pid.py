"""`tributary serve` never signals a process that is not its own PostgreSQL, even one named
`postgres` whose PID a stale postmaster.pid names."""
import shutil
import subprocess

import psutil

from tests.cli.serve_processes import (
    crash,
    free_port,
    postgres_processes,
    serve,
    serve_healthy_then_stop,
    wait_healthy,
)


def test_serve_never_signals_an_unrelated_process_named_in_a_stale_postmaster_pid(data_dir, tmp_path):
    pgdata = data_dir.resolve() / "pgdata"
    port = free_port()
    first = serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
    wait_healthy(first, port)
    [postmaster] = postgres_processes(pgdata)
    crash(first)
    postmaster.kill()
    # Its PID now belongs to another process, even one named `postgres`, working elsewhere.
    impostor_program = tmp_path / "postgres"
    shutil.copy(shutil.which("sleep"), impostor_program)
    impostor = subprocess.Popen([str(impostor_program), "300"], cwd=tmp_path)
    pid_file = pgdata / "postmaster.pid"
    lines = pid_file.read_text().splitlines()
    pid_file.write_text("\n".join([str(impostor.pid), *lines[1:]]) + "\n")
    try:
        serve_healthy_then_stop(data_dir, port)
        assert impostor.poll() is None  # never signalled, not even at exit
        assert psutil.Process(impostor.pid).status() == psutil.STATUS_SLEEPING
    finally:
        impostor.kill()
        impostor.wait()
    assert postgres_processes(pgdata) == []
