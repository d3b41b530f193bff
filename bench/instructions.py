"""Instructions per request: each page of bench/run.py, GraphQL's answer and the floor's, counted
by valgrind's callgrind.

    .venv/bin/python bench/instructions.py [--requests 20] [--smoke]

Requests per second move with the machine (another process, the CPU's clock) by several percent
between runs, more than most single changes to a request path are worth; the instructions a
request executes do not: callgrind counts the same for the same code and data whatever else the
machine is doing. So a change is weighed here first, and the load test (bench/run.py) remains the
measure of record.

Each page runs in a child process under callgrind with counting off while it starts and warms up
(imports, the app, the requests that plan the document and fill the caches), on for `--requests`
requests, then off again: the count is those requests' alone. The apps are called as the ASGI
server calls them (bench/in_process.py): the GraphQL app, and the floor's app on the same SQL and
domain functions; the database runs in its own processes and is not counted, nor are uvicorn's
HTTP parsing and the access log line. The ratio is the floor's count over GraphQL's, as the load
test's is GraphQL's requests per second over the floor's. An instruction is not a fixed time
(cache misses, branches), so compare counts of one machine and Python build.

Uses bench/run.py's database (seeded once), the embedded PostgreSQL or `--server-url`'s. Needs
valgrind (as root on Debian or Ubuntu the script installs it with apt-get). `--smoke` counts two
requests of `{ __typename }` on tiny data and records nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import select
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import orjson  # noqa: E402

from bench import in_process  # noqa: E402
from bench import load as loads  # noqa: E402
from bench.harness import Run, parse_with_sizes, revision, run_script, settings_from  # noqa: E402
from bench.library_customer import DEMO_PASSWORD, SIGN_IN  # noqa: E402
from bench.run import DATA, DATABASE, scenarios  # noqa: E402

# Requests before counting starts: the first plans the document, the next fill the caches.
WARM_UP = 20
SIDES = ("GraphQL", "floor")
# Seconds a child may take to start under valgrind and to serve its requests.
CHILD_TIMEOUT = 600


def count(run: Run, index: int, side: str, requests: int, env: dict[str, str]) -> int:
    """Instructions per request of page `index` answered by `side`, in a child under callgrind."""
    out = run.work / f"callgrind-{index}-{side}.out"
    log = (run.work / f"callgrind-{index}-{side}.log").open("w")
    child = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         sys.executable, str(Path(__file__).resolve()), "--child", str(index), side, str(requests)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, env={**os.environ, **env}, cwd=ROOT)
    try:
        _expect(child, "ready")
        _instrument(child.pid, "on")
        _say(child, "go")
        _expect(child, "done")
        _instrument(child.pid, "off")
        _say(child, "exit")
        if child.wait(timeout=CHILD_TIMEOUT) != 0:
            raise SystemExit(f"the {side} child of page {index} failed: see {log.name}")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        log.close()
    # (The file's `summary:` line counts from its last dump; `totals:` is the whole run's.)
    totals = [line.split()[1] for line in out.read_text().splitlines() if line.startswith("totals:")]
    if not totals:
        raise SystemExit(f"callgrind wrote no total for page {index} ({side})")
    return round(int(totals[0]) / requests)


def _expect(child: subprocess.Popen, word: str) -> None:
    line = child.stdout.readline().strip()
    if line != word:
        raise SystemExit(f"the child said {line!r} where it should have said {word!r}")


def _say(child: subprocess.Popen, word: str) -> None:
    child.stdin.write(word + "\n")
    child.stdin.flush()


def _instrument(pid: int, state: str) -> None:
    subprocess.run(["callgrind_control", "--instr=" + state, str(pid)], check=True, capture_output=True)


def child(index: int, side: str, requests: int) -> None:
    """A page answered `requests` times by one side, between the parent's words on stdin."""
    url = os.environ["TRIBUTARY_DATABASE_URL"]
    case = scenarios(url)[index]
    asyncio.run(_serve(case, side, requests, url))


async def _serve(case, side: str, requests: int, url: str) -> None:
    from api import garbage_collector
    from api.app import create_app  # here: the parent imports none of the app
    from bench import floor
    from domain.shared.db import Database

    settings = settings_from(dict(os.environ))
    database = Database(url, pool_size=2)
    graphql_app = create_app(settings, database=database)
    headers: dict[str, str] = {}
    if case.customer:
        _, body = await in_process.post(graphql_app, "/graphql", {"query": SIGN_IN, "variables": {"input": {
            "email": case.customer, "password": DEMO_PASSWORD, "clientKind": "WEB", "deviceName": "Instruction count"}}})
        headers["Authorization"] = "Bearer " + orjson.loads(body)["data"]["signIn"]["tokens"]["accessToken"]
    shut_down = None
    if side == "GraphQL":
        graphql_body = {"query": case.document, "variables": case.variables}

        async def call():
            return await in_process.post(graphql_app, "/graphql", graphql_body, headers)
    else:
        floor_app = floor.create_app(settings)
        shut_down = await in_process.started(floor_app)

        async def call():
            return await in_process.post(floor_app, case.floor_path, case.variables, headers)
    try:
        status, body = await call()
        if status != 200 or "errors" in orjson.loads(body):
            raise SystemExit(f"{case.name}: the {side} answer is {status} {body[:300]!r}")
        for _ in range(WARM_UP):
            await call()
        garbage_collector.settle()  # as a served app's process does once started, on both sides
        print("ready", flush=True)
        _wait_for_parent()
        for _ in range(requests):
            await call()
        print("done", flush=True)
        _wait_for_parent()
    finally:
        if shut_down is not None:
            await shut_down()
        await database.close()


def _wait_for_parent() -> None:
    """Until the parent's next word. Waking every few milliseconds: valgrind takes the parent's
    `callgrind_control` commands only while the program runs, not while it sleeps in a read."""
    while not select.select([sys.stdin], [], [], 0.01)[0]:
        pass
    sys.stdin.readline()


def table(names: list[str], counts: list[tuple[int, int]]) -> str:
    lines = ["| scenario | GraphQL instructions | floor instructions | ratio |", "|---|---:|---:|---:|"]
    for name, (graphql, floor) in zip(names, counts, strict=True):
        lines.append(f"| {name} | {graphql:,} | {floor:,} | {floor / graphql:.2f} |")
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, help="requests counted per page and side (20; smoke 2)")
    return parse_with_sizes(parser, {"requests": 20}, {"requests": 2})


def main() -> int:
    args = parse_args()
    if not loads.ensure_tool("valgrind", "valgrind"):
        print("valgrind is needed to count instructions: apt-get install -y valgrind", file=sys.stderr)
        return 2
    with Run(args, DATABASE, DATA) as run:
        cases = scenarios(run.url)
        indices = [len(cases) - 1] if args.smoke else list(range(len(cases)))  # smoke: `{ __typename }`
        env = run.server_env(cost_budget=1_000_000_000_000)
        counts = []
        for index in indices:
            print(f"{cases[index].name}...", flush=True)
            # Both sides at once: a count hardly depends on what else runs (half the wait).
            with ThreadPoolExecutor(len(SIDES)) as pool:
                counts.append(tuple(pool.map(lambda side: count(run, index, side, args.requests, env), SIDES)))
        text = (f"# Instructions per request, {datetime.date.today().isoformat()}\n\n"
                f"- code: {revision()}\n- data: {run.data}, {run.where}\n"
                f"- counted: {args.requests} requests per page and side under callgrind, after {WARM_UP}\n"
                "- ratio: floor instructions / GraphQL instructions (1.00 = no GraphQL overhead)\n\n"
                + table([cases[i].name for i in indices], counts) + "\n")
        run.record("instructions", text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    else:
        run_script(main)
