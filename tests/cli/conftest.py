"""The embedded server's tests run `tributary serve` on data directories of their own."""
import shutil
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def data_dir():
    """A new data directory outside pytest's own temporary root. Run as root, the embedded
    PostgreSQL runs as another user, for whom the directories above its data are opened to
    traversal; every pytest session that starts on the machine closes its temporary root to
    other users again, which would lock a running PostgreSQL out of its own files."""
    parent = Path(tempfile.mkdtemp(prefix="tributary-serve-"))
    try:
        yield parent / "data"
    finally:
        shutil.rmtree(parent, ignore_errors=True)

