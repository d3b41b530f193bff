"""docs/http.md's curl examples, run with curl against the service on a real port: each answer
has the status, the headers and the body the guide shows under it."""
from __future__ import annotations

import asyncio
import json
import re

from tests.docs.guides import DOCS
from tests.fixtures.live import live_server

GUIDE = DOCS / "http.md"
# A ```sh block with its command, then the ```http block with the answer it gives.
EXAMPLE = re.compile(r"^```sh\n(.*?)^```\n+```http\n(.*?)^```", re.S | re.M)
PLACEHOLDER = re.compile(r"<[^>]+>")


def examples() -> list[tuple[str, str]]:
    return EXAMPLE.findall(GUIDE.read_text())


def parse(answer: str) -> tuple[int, dict[str, str], str]:
    """Status, headers (by lower-case name) and body of an HTTP answer as `curl -i` prints it."""
    head, _, body = answer.replace("\r\n", "\n").partition("\n\n")
    status_line, *lines = head.splitlines()
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body.strip()


async def curl(command: str, base: str, cwd) -> str:
    process = await asyncio.create_subprocess_exec(
        "bash", "-euo", "pipefail", "-c", command.replace("localhost:8000", base), cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, f"{command}\n{err.decode()}"
    return out.decode()


def test_the_guide_shows_an_answer_for_each_curl_example():
    assert len(examples()) >= 8
    assert GUIDE.read_text().count("```sh") == len(examples())


async def test_every_curl_example_answers_as_the_guide_shows(database, tmp_path):
    # The default budget, so the Retry-After example meets it.
    async with live_server(database, cost_budget=1000) as url:
        base = url.removeprefix("http://")
        for command, shown in examples():
            status, headers, body = parse(await curl(command, base, tmp_path))
            shown_status, shown_headers, shown_body = parse(shown)
            assert status == shown_status, f"{command}\n{headers}\n{body}"
            for name, value in shown_headers.items():
                assert name in headers, f"{command}: no {name} in {headers}"
                if not PLACEHOLDER.fullmatch(value):
                    assert headers[name] == value, f"{command}: {name}"
            if shown_body:
                assert json.loads(body) == json.loads(shown_body), command
