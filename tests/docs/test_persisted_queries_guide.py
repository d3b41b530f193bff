"""The persisted queries guide works as written: its curl steps against the service on a real port,
its Apollo Client snippet with Node, and its manifest examples with the manifest reader."""
from __future__ import annotations

import asyncio
import json
import re
import uuid

import pytest

from domain.clients import documents
from tests.docs.guides import DOCS
from tests.fixtures.live import live_server, node_clients, run_node

pytestmark = pytest.mark.one_copy_per_file

GUIDE = (DOCS / "persisted-queries.md").read_text()
LOCAL = "http://localhost:8000"


def _fences(language: str, tag: str | None = None) -> list[str]:
    pattern = rf"^ *```{language}{' ' + tag if tag else ''}\n(.*?)^ *```"
    return [re.sub(r"^ {3}", "", block, flags=re.M) for block in re.findall(pattern, GUIDE, re.S | re.M)]


async def _shell(command: str) -> dict:
    process = await asyncio.create_subprocess_exec("bash", "-c", command, stdout=asyncio.subprocess.PIPE)
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0
    return json.loads(out)


async def test_the_curl_steps_run_as_written(writable_database):
    steps = _fences("sh", "apq")
    assert len(steps) == 3
    async with live_server(writable_database) as base:
        unknown, registered, over_get = [await _shell(step.replace(LOCAL, base)) for step in steps]
    assert unknown == {"errors": [{"message": "PersistedQueryNotFound",
                                   "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}
    assert len(registered["data"]["products"]["nodes"]) == 2
    assert over_get["data"] == registered["data"]


async def test_the_apollo_client_snippet_runs(writable_database):
    [snippet] = _fences("js")
    script = node_clients() / f".guide-{uuid.uuid4().hex[:8]}.mjs"  # beside node_modules, to import them
    async with live_server(writable_database) as base:
        script.write_text(snippet.replace(LOCAL, base))
        try:
            first = json.loads(await run_node(script.name))
            second = json.loads(await run_node(script.name))  # the hash alone, over GET this time
        finally:
            script.unlink()
    assert len(first) == 2 and first == second


def test_the_manifest_examples_are_read_and_their_hashes_are_right():
    codegen, apollo = (json.loads(block) for block in _fences("json"))
    [from_codegen] = documents.manifest_entries(codegen)
    [from_apollo] = documents.manifest_entries(apollo)
    assert from_codegen.hash == from_apollo.hash == documents.document_hash(from_codegen.document)
    assert from_apollo.name == "FirstProducts"
