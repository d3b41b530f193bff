"""The development signing key: generated once per data directory, and agreed on by every
process of the installation, even ones that start at the same moment."""
import stat
import threading
from concurrent.futures import ThreadPoolExecutor

from domain.identity import tokens
from domain.shared.config import Settings

CALLERS = 8


def test_callers_starting_at_once_on_a_new_data_directory_all_get_the_one_complete_key(tmp_path):
    for attempt in range(20):  # each round is a new directory: the race is at the key's creation
        data_dir = tmp_path / str(attempt)
        settings = Settings(env="development", data_dir=data_dir)
        start = threading.Barrier(CALLERS)

        def key() -> str:
            start.wait()
            return tokens.signing_key(settings)

        with ThreadPoolExecutor(CALLERS) as pool:
            keys = [f.result() for f in [pool.submit(key) for _ in range(CALLERS)]]

        assert len(set(keys)) == 1 and len(keys[0]) == 64, keys
        assert [p.name for p in data_dir.iterdir()] == ["secret_key"]  # no draft left behind
        assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600
        assert tokens.signing_key(settings) == keys[0]
