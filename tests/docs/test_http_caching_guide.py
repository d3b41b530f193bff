"""docs/http-caching.md: its table of cache hints is the code's, and its curl examples, run as
written against the service on a real port, answer with the headers the guide shows."""
from __future__ import annotations

import asyncio
import os
import re
import shutil

import httpx
import pytest

from api.http.cache_policy import CATALOGUE, FIELD_HINTS, INHERIT, PRICES, PRIVATE, TYPE_HINTS
from tests.docs.guides import DOCS
from tests.fixtures.identity import account
from tests.fixtures.live import live_server

pytestmark = pytest.mark.one_copy_per_file

GUIDE = (DOCS / "http-caching.md").read_text()
HINTS = {"60 s": CATALOGUE, "30 s": PRICES, "that of the field holding them": INHERIT,
         "private: `private, no-store`": PRIVATE}
_ROW = re.compile(r"^\| (.+) \| (.+) \|$", re.M)
_NAME = re.compile(r"`(\w+(?:\.\w+)?)`")
_SHELL = re.compile(r"^```sh\n(.*?)^```\n\n```text\n(.*?)^```", re.S | re.M)


def test_the_table_of_hints_is_the_code_table():
    documented = {}
    for names, hint in _ROW.findall(GUIDE):
        if hint in HINTS:
            documented.update(dict.fromkeys(_NAME.findall(names), HINTS[hint]))
    in_code = {**TYPE_HINTS, **{f"{type_name}.{field}": hint for (type_name, field), hint in FIELD_HINTS.items()}}
    assert documented == in_code


def _expected(line: str) -> re.Pattern:
    """A line the guide shows: `...` stands for anything; header names in any case."""
    return re.compile(".*".join(re.escape(part) for part in line.split("...")), re.I)


async def test_the_curl_examples_answer_as_the_guide_shows(writable_database):
    examples = _SHELL.findall(GUIDE)
    assert len(examples) == 3
    async with live_server(writable_database, cost_budget=5000, cost_restore_rate=250) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            token = (await account(http, writable_database, "guide")).token
        script = "set -e\n" + "".join(f"{commands}echo '@@@'\n" for commands, _ in examples)
        process = await asyncio.create_subprocess_exec(
            shutil.which("bash"), "-c", script.replace("localhost:8000", url.removeprefix("http://")),
            env={**os.environ, "ACCESS_TOKEN": token}, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, out.decode()
    outputs = out.decode().replace("\r", "").split("@@@\n")
    for (commands, shown), output in zip(examples, outputs, strict=False):
        lines = output.splitlines()
        missing = [line for line in shown.splitlines()
                   if not any(_expected(line).fullmatch(got) for got in lines)]
        assert missing == [], (commands, output)
