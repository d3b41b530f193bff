"""Instructions per request: each page of bench/run.py, GraphQL's answer and the floor's, counted
by valgrind's callgrind.

    .venv/bin/python bench/instructions.py [--requests 20] [--smoke]

Requests per second move with the machine (another process, the CPU's clock) by several percent
between runs, more than most single changes to a request path are worth; the instructions a
request executes do not: callgrind counts the same for the same code and data whatever else the
machine is doing. So a change is weighed here first, and the load test (bench/run.py) remains the
measure of record.

The pages run in one child process under callgrind, counting off while it starts and while each
page and side warms up (the requests that plan the document and fill the caches), then on for
`--requests` requests, its counters zeroed before them and dumped after: each count is those
requests' alone. The apps are called as the ASGI
server calls them (bench/in_process.py): the GraphQL app, and the floor's app on the same SQL and
domain functions; the database runs in its own processes and is not counted, nor are uvicorn's
HTTP parsing and the access log line. The ratio is the floor's count over GraphQL's, as the load
test's is GraphQL's requests per second over the floor's. An instruction is not a fixed time
(cache misses, branches), so compare counts of one machine and Python build.

Uses bench/run.py's database (seeded once), the embedded PostgreSQL or `--server-url`'s. Needs
valgrind (as root on Debian or Ubuntu the script installs it with apt-get). `--smoke` counts two
requests of `{ __typename }` on the floor's side on tiny data and records nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import functools
import os
import select
import subprocess
import sys
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


def count(run: Run, jobs: list[tuple[int, str]], requests: int, env: dict[str, str]) -> list[int]:
    """Instructions per request of each (page index, side) in `jobs`, counted in one child under
    callgrind: each job's requests between a zeroing of the counters and a dump of them."""
    out = run.work / "callgrind.out"
    log = (run.work / "callgrind.log").open("w")
    child = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         sys.executable, str(Path(__file__).resolve()), "--child", str(requests)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, env={**os.environ, **env}, cwd=ROOT)
    try:
        for index, side in jobs:
            _say(child, f"{index} {side}")
            _expect(child, "ready")
            _control(child.pid, "--instr=on")
            _control(child.pid, "--zero")
            _say(child, "go")
            _expect(child, "done")
            _control(child.pid, "--dump")
            _control(child.pid, "--instr=off")
        _say(child, "exit")
        if child.wait(timeout=CHILD_TIMEOUT) != 0:
            raise SystemExit(f"the counting child failed: see {log.name}")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        log.close()
    counts = []
    for number in range(1, len(jobs) + 1):
        # A dump's `summary:` counts from the zeroing before it.
        part = out.with_name(f"{out.name}.{number}")
        summary = [line.split()[1] for line in part.read_text().splitlines() if line.startswith("summary:")]
        if not summary:
            raise SystemExit(f"callgrind wrote no count for {jobs[number - 1]}")
        counts.append(round(int(summary[0]) / requests))
    return counts


def _expect(child: subprocess.Popen, word: str) -> None:
    line = child.stdout.readline().strip()
    if line != word:
        raise SystemExit(f"the child said {line!r} where it should have said {word!r}")


def _say(child: subprocess.Popen, word: str) -> None:
    child.stdin.write(word + "\n")
    child.stdin.flush()


def _control(pid: int, command: str) -> None:
    subprocess.run(["callgrind_control", command, str(pid)], check=True, capture_output=True)


def child(requests: int) -> None:
    """Pages answered `requests` times each by the side the parent names, between its words."""
    url = os.environ["TRIBUTARY_DATABASE_URL"]
    asyncio.run(_serve(scenarios(url), requests, url))


async def _serve(cases: list, requests: int, url: str) -> None:
    from api import garbage_collector  # here: the parent imports none of the app
    from bench import floor
    from domain.shared.db import Database

    settings = settings_from(dict(os.environ))
    database = Database(url, pool_size=2)
    graphql_apps: list = []  # made when first needed: building the schema under valgrind takes a while

    def graphql_app():
        if not graphql_apps:
            from api.app import create_app

            graphql_apps.append(create_app(settings, database=database))
        return graphql_apps[0]

    floor_app = floor.create_app(settings)
    shut_down = await in_process.started(floor_app)
    tokens: dict[str, str] = {}
    try:
        while (job := _wait_for_parent()) != "exit":
            index, side = job.split()
            case = cases[int(index)]
            headers: dict[str, str] = {}
            if case.customer:
                if case.customer not in tokens:
                    tokens[case.customer] = await _sign_in(graphql_app(), case.customer)
                headers["Authorization"] = "Bearer " + tokens[case.customer]
            if side == "GraphQL":
                body = {"query": case.document, "variables": case.variables}
                call = functools.partial(in_process.post, graphql_app(), "/graphql", body, headers)
            else:
                call = functools.partial(in_process.post, floor_app, case.floor_path, case.variables, headers)
            status, answer = await call()
            if status != 200 or "errors" in orjson.loads(answer):
                raise SystemExit(f"{case.name}: the {side} answer is {status} {answer[:300]!r}")
            for _ in range(WARM_UP):
                await call()
            garbage_collector.settle()  # as a served app's process does once started, on both sides
            print("ready", flush=True)
            _wait_for_parent()
            for _ in range(requests):
                await call()
            print("done", flush=True)
    finally:
        await shut_down()
        await database.close()


async def _sign_in(app, email: str) -> str:
    _, body = await in_process.post(app, "/graphql", {"query": SIGN_IN, "variables": {"input": {
        "email": email, "password": DEMO_PASSWORD, "clientKind": "WEB", "deviceName": "Instruction count"}}})
    return orjson.loads(body)["data"]["signIn"]["tokens"]["accessToken"]


def _wait_for_parent() -> str:
    """The parent's next word. Waking every few milliseconds: valgrind takes the parent's
    `callgrind_control` commands only while the program runs, not while it sleeps in a read."""
    while not select.select([sys.stdin], [], [], 0.01)[0]:
        pass
    return sys.stdin.readline().strip()


def table(names: list[str], counts: list[tuple[int | None, int | None]]) -> str:
    lines = ["| scenario | GraphQL instructions | floor instructions | ratio |", "|---|---:|---:|---:|"]
    for name, (graphql, floor) in zip(names, counts, strict=True):
        ratio = f"{floor / graphql:.2f}" if graphql and floor else "-"
        lines.append(f"| {name} | {_shown(graphql)} | {_shown(floor)} | {ratio} |")
    return "\n".join(lines)


def _shown(count: int | None) -> str:
    return "-" if count is None else f"{count:,}"


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
        # The smoke counts the floor's side alone: the GraphQL app's schema takes half a minute of
        # CPU to build under valgrind, and the counting is the same for both sides.
        sides = ("floor",) if args.smoke else SIDES
        print(f"counting {len(indices)} page(s), {' and '.join(sides)}...", flush=True)
        jobs = [(index, side) for index in indices for side in sides]
        counted = dict(zip(jobs, count(run, jobs, args.requests, env), strict=True))
        counts = [tuple(counted.get((index, side)) for side in SIDES) for index in indices]
        text = (f"# Instructions per request, {datetime.date.today().isoformat()}\n\n"
                f"- code: {revision()}\n- data: {run.data}, {run.where}\n"
                f"- counted: {args.requests} requests per page and side under callgrind, after {WARM_UP}\n"
                "- ratio: floor instructions / GraphQL instructions (1.00 = no GraphQL overhead)\n\n"
                + table([cases[i].name for i in indices], counts) + "\n")
        run.record("instructions", text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
    else:
        run_script(main)
