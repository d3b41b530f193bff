"""Which processes are a data directory's PostgreSQL, and clearing what a crash left behind.

After a SIGKILL, `pgdata/postmaster.pid` still names the dead postmaster. By the next start
that PID may belong to any process, or to a zombie nobody has reaped yet, so the PID alone
proves nothing: a process counts as the directory's PostgreSQL only if it is a live `postgres`
working in that directory (every server process changes into its data directory at start).
Nothing else is ever signalled.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import psutil

log = logging.getLogger(__name__)

PID_FILE = "postmaster.pid"
_SOCKET_DIR_LINE = 4
_STATUS_LINE = 7  # "ready", "starting", "stopping" or "standby", once the server has written it
_POLL_SECONDS = 0.2


def is_postgres_of(process: psutil.Process, pgdata: Path) -> bool:
    """Whether `process` is a live server process (the postmaster or one of its children) of `pgdata`."""
    try:
        with process.oneshot():
            if process.status() == psutil.STATUS_ZOMBIE or process.name() != "postgres":
                return False
            try:
                return Path(process.cwd()) == pgdata
            except psutil.AccessDenied:
                # The postmaster's command line (`postgres -D <pgdata> ...`) names its directory;
                # a child's does not, so without access to its working directory it is not ours.
                return str(pgdata) in process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def processes_of(pgdata: Path) -> list[psutil.Process]:
    """Every live server process of `pgdata`."""
    return [p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres" and is_postgres_of(p, pgdata)]


def clear_crash_leftovers(pgdata: Path, ready_timeout: float = 60) -> None:
    """Leaves `pgdata` either served by its own live, ready postmaster (to be reused) or free
    for a new one: a `postmaster.pid` naming anything else is removed, and server processes
    orphaned by a killed postmaster (they hold its shared memory, which makes a new postmaster
    refuse to start) are killed. Run it under the embedded server's inter-process lock, so
    that no other process is starting the server meanwhile."""
    pgdata = pgdata.resolve()
    pid_file = pgdata / PID_FILE
    lines = _read_lines(pid_file)
    if lines:
        postmaster = _recorded_postmaster(lines, pgdata)
        if postmaster is not None and _ready_or_gone(postmaster, pid_file, pgdata, ready_timeout):
            return
    orphans = processes_of(pgdata)
    for process in orphans:
        log.warning("stopping a server process left by a crashed embedded PostgreSQL",
                    extra={"pid": process.pid, "pgdata": str(pgdata)})
        _kill(process)
    _wait_gone(orphans, timeout=10)
    socket_dirs = {pgdata}
    if len(lines) > _SOCKET_DIR_LINE and lines[_SOCKET_DIR_LINE].strip():
        socket_dirs.add(Path(lines[_SOCKET_DIR_LINE].strip()))
    for socket_dir in socket_dirs:
        _remove_stale_socket_locks(socket_dir, pgdata)
    if pid_file.exists():
        log.warning("removed a stale postmaster.pid: the process it names is not this data directory's PostgreSQL",
                    extra={"pgdata": str(pgdata)})
        pid_file.unlink(missing_ok=True)


def _remove_stale_socket_locks(socket_dir: Path, pgdata: Path) -> None:
    """A socket's lock file names its postmaster as postmaster.pid does, and a new postmaster
    refuses it as long as that PID exists: remove the ones of `pgdata` naming anything else."""
    for lock in socket_dir.glob(".s.PGSQL.*.lock"):
        lines = _read_lines(lock)
        if len(lines) < 2 or Path(lines[1].strip()) != pgdata:
            continue  # not this data directory's
        try:
            holder = psutil.Process(int(lines[0]))
        except (ValueError, psutil.NoSuchProcess):
            holder = None
        if holder is None or not is_postgres_of(holder, pgdata):
            lock.unlink(missing_ok=True)


def _recorded_postmaster(lines: list[str], pgdata: Path) -> psutil.Process | None:
    """The process `postmaster.pid` names, if it is this directory's PostgreSQL."""
    try:
        process = psutil.Process(int(lines[0]))
    except (IndexError, ValueError, psutil.NoSuchProcess):
        return None
    return process if is_postgres_of(process, pgdata) else None


def _ready_or_gone(postmaster: psutil.Process, pid_file: Path, pgdata: Path, timeout: float) -> bool:
    """Waits while a live postmaster is starting or stopping: True once it is ready to be
    reused, False once it has gone."""
    deadline = time.monotonic() + timeout
    while is_postgres_of(postmaster, pgdata):
        lines = _read_lines(pid_file)
        status = lines[_STATUS_LINE].strip() if len(lines) > _STATUS_LINE else "starting"
        if status == "ready":
            return True
        if time.monotonic() > deadline:
            raise RuntimeError(f"The embedded PostgreSQL in {pgdata} (pid {postmaster.pid}) is still {status!r} "
                               f"after {timeout:g} s; see {pgdata / 'log'}.")
        time.sleep(_POLL_SECONDS)
    return False


def _read_lines(pid_file: Path) -> list[str]:
    try:
        return pid_file.read_text().splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return []


def _kill(process: psutil.Process) -> None:
    try:
        process.kill()
    except psutil.NoSuchProcess:
        pass


def _wait_gone(processes: list[psutil.Process], timeout: float) -> None:
    """Until every process has exited (a zombie holds nothing any more) or `timeout` passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(p) for p in processes):
        time.sleep(_POLL_SECONDS)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
