"""`tributary serve` on a fresh data directory: starts its own PostgreSQL, seeds it, stops it
on SIGTERM with nothing left running, and reuses the data on the next start."""
import re

from tests.cli.serve_processes import (
    free_port,
    harry_potter_count,
    postgres_processes,
    serve,
    stop,
    wait_healthy,
)


def test_serve_starts_seeds_stops_cleanly_and_reuses_its_data(data_dir):
    pgdata = data_dir.resolve() / "pgdata"
    port = free_port()

    # A tenth of the real books and fewer demo customers: loading all of them is the same code
    # for ten times the rows (half a minute of a worker's time here, the README's run pays it).
    first = serve(data_dir, port, TRIBUTARY_SEED_BOOKS="1000", TRIBUTARY_SEED_CUSTOMERS="100")
    try:
        # The wait allows for a busy shared machine; a start that fails still fails at once.
        wait_healthy(first, port, timeout=300)
        assert harry_potter_count(port) > 0
        assert postgres_processes(pgdata)
    finally:
        output = stop(first)
    assert "Empty database: loading the demo catalogue" in output
    assert first.returncode == 0, output
    # The first 1,000 books' editions and the merchandise: all 10,000 books make 32,798 products.
    seeded = re.search(r"Seeded (\d+) products", output)
    assert seeded is not None and 5_000 < int(seeded.group(1)) < 10_000, output
    assert postgres_processes(pgdata) == []

    second = serve(data_dir, port)
    try:
        wait_healthy(second, port)
        assert harry_potter_count(port) > 0
    finally:
        output = stop(second)
    assert "Empty database" not in output  # the data was reused, not loaded again
    assert postgres_processes(pgdata) == []
