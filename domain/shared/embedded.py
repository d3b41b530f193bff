"""The private PostgreSQL server used when no database URL is configured.

It lives in `<data_dir>/pgdata`, is started on first use and stopped when the last process
using it exits, so a second start reuses the data and nothing is left running.
"""
from __future__ import annotations

import logging
from pathlib import Path

from domain.shared.embedded_server import EmbeddedServer

log = logging.getLogger(__name__)

_server = None


def start(data_dir: Path):
    """Start (or attach to) the embedded server; return its handle. What a crash left behind
    (a stale `postmaster.pid`, orphaned server processes) is cleared first."""
    global _server
    if _server is None:
        data_dir = data_dir.expanduser().resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        _server = EmbeddedServer.for_data_dir(data_dir / "pgdata")
        log.info("embedded PostgreSQL ready", extra={"pgdata": str(data_dir / "pgdata")})
    return _server


def stop() -> None:
    """Stop the server now if this process is its last user (it is also stopped at exit)."""
    global _server
    if _server is not None:
        _server.cleanup()
        _server = None


def admin_url(data_dir: Path) -> str:
    """asyncpg URL of the embedded server's maintenance database."""
    return start(data_dir).get_uri("postgres")


def ensure_database(data_dir: Path, name: str) -> str:
    """Create database `name` on the embedded server if missing; return its URL."""
    server = start(data_dir)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
    return server.get_uri(name)
