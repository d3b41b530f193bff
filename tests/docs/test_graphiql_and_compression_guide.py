"""docs/graphiql-and-compression.md: its curl commands, run as written against the service on a
real port, get the codings the guide says; its settings table names real settings."""
from __future__ import annotations

import asyncio
import re
import shutil

import pytest

from domain.shared.config import Settings
from tests.docs.guides import DOCS
from tests.fixtures.live import live_server

GUIDE = DOCS / "graphiql-and-compression.md"
COMMANDS = re.findall(r"^```bash\n(.*?)^```", GUIDE.read_text(), re.S | re.M)


async def _run(command: str, base: str) -> str:
    process = await asyncio.create_subprocess_exec(
        "bash", "-c", command.replace("http://localhost:8000", base),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, out.decode()
    return out.decode().lower()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
async def test_the_guides_curl_commands_get_brotli_then_gzip(database):
    assert len(COMMANDS) == 2
    async with live_server(database) as base:
        brotli, gzip = [await _run(command, base) for command in COMMANDS]
    for headers, coding in ((brotli, "br"), (gzip, "gzip")):
        assert headers.startswith("http/1.1 200"), headers
        assert f"content-encoding: {coding}\r\n" in headers
        assert re.search(r"^vary: .*accept-encoding", headers, re.M), headers


def test_the_settings_table_names_real_settings_with_their_defaults():
    rows = re.findall(r"^\| `TRIBUTARY_(\w+)` \| `([^`]*)` \|", GUIDE.read_text(), re.M)
    assert rows, "no settings table"
    defaults = Settings(_env_file=None)
    for name, default in rows:
        value = getattr(defaults, name.lower())
        assert str(value).lower() == default, name
