"""The embedded server's system user is created by one process at a time."""
import multiprocessing
import os
import time
from pathlib import Path

from domain.shared.embedded_server import SYSTEM_USER, ensure_system_user


def _create(marker: Path, log: Path, name: str) -> None:
    # Fails if another process is inside at the same moment.
    fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    try:
        time.sleep(0.05)
        with log.open("a") as out:
            out.write(f"{name}\n")
    finally:
        os.close(fd)
        marker.unlink()


def _worker(marker: str, log: str, lock: str) -> None:
    ensure_system_user(lambda name: _create(Path(marker), Path(log), name), Path(lock))


def test_processes_starting_servers_at_once_create_the_user_one_at_a_time(tmp_path):
    marker, log, lock = tmp_path / "inside", tmp_path / "created", tmp_path / "lock"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_worker, args=(str(marker), str(log), str(lock))) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    assert log.read_text().splitlines() == [SYSTEM_USER] * 4
