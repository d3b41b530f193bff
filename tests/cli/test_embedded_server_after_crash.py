"""`tributary serve` starts again after a crash of the server alone, and of the server and its
PostgreSQL with one of its processes lingering."""

from tests.cli.serve_processes import (
    crash,
    free_port,
    gone,
    postgres_processes,
    serve,
    serve_healthy_then_stop,
    wait_healthy,
)


def test_serve_starts_again_after_a_crash_of_the_server_and_of_its_postgres(data_dir):
    pgdata = data_dir.resolve() / "pgdata"
    port = free_port()

    # The server alone dies: its PostgreSQL keeps running, and the next start uses it.
    first = serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
    wait_healthy(first, port)
    crash(first)
    [postmaster] = postgres_processes(pgdata)
    second = serve(data_dir, port, TRIBUTARY_SEED_ON_START="false")
    wait_healthy(second, port)
    assert postgres_processes(pgdata) == [postmaster]

    # The server and its PostgreSQL die, and one of PostgreSQL's processes lingers (stopped, it
    # keeps the shared memory that makes a new PostgreSQL refuse to start).
    lingering = postmaster.children()[0]
    lingering.suspend()
    try:
        crash(second)
        postmaster.kill()
        serve_healthy_then_stop(data_dir, port)
        assert gone(lingering)
    finally:
        if not gone(lingering):
            lingering.kill()  # the check failed: leave nothing stopped behind
    assert postgres_processes(pgdata) == []
