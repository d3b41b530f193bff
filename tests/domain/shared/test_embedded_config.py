"""The embedded server's own settings: written into its data directory, taken at its start."""
import os

import pytest

from domain.shared import embedded_server
from tests.fixtures.db import fetchval


def test_the_settings_are_included_once_however_often_they_are_written(tmp_path):
    (tmp_path / "postgresql.conf").write_text("max_connections = 100\n")

    embedded_server.write_config(tmp_path)
    embedded_server.write_config(tmp_path)

    lines = (tmp_path / "postgresql.conf").read_text().splitlines()
    assert lines[0] == "max_connections = 100"
    assert lines.count("include_if_exists = 'tributary.conf'") == 1
    assert (tmp_path / "tributary.conf").read_text() == ("wal_level = 'minimal'\nmax_wal_senders = '0'\n"
                                                         "max_connections = '200'\n")


@pytest.mark.skipif(bool(os.environ.get("TRIBUTARY_TEST_DATABASE_URL")), reason="the suite runs on an external server")
async def test_the_embedded_server_keeps_only_the_wal_that_crash_recovery_needs(database):
    assert await fetchval(database, "SELECT current_setting('wal_level')") == "minimal"
    assert await fetchval(database, "SELECT current_setting('max_wal_senders')") == "0"
    assert await fetchval(database, "SELECT current_setting('max_connections')") == "200"
