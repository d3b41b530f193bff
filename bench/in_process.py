"""Where a page's server time goes: CPU time per request in one process, by layer.

The load test gives each server's requests per second, which mixes the web stack, the GraphQL
layer and the page's own work (its SQL and domain calls) with the database's time. Here each
page is run in this process, one request at a time, and the process's CPU time is divided by
the requests, for:

- the GraphQL app, called as the ASGI server calls it (its middleware, view and execution);
- the floor's app, the same way (`bench/floor.py`: Starlette, the page's work, orjson);
- the page's own work: the floor's page function and the encoding of its answer, without HTTP.

The GraphQL layer is then the GraphQL app's time less the page's own work, and the floor's web
layer is the floor app's less the same. The database runs in its own processes, so its time is
not counted; nor is uvicorn's HTTP parsing or an access log line (the apps are called directly).
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson

from bench.harness import settings_from


@dataclass(frozen=True)
class Layers:
    """CPU microseconds per request of one page."""

    graphql_app: float
    floor_app: float
    page_work: float

    @property
    def ratio(self) -> float:
        """The floor app's CPU per request over the GraphQL app's (1.00: no GraphQL overhead)."""
        return self.floor_app / self.graphql_app

    @property
    def graphql_layer(self) -> float:
        return self.graphql_app - self.page_work

    @property
    def floor_web_layer(self) -> float:
        return self.floor_app - self.page_work


async def post(app: Any, path: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """`app`'s status and body for a JSON POST, called as an ASGI server calls it."""
    raw = orjson.dumps(body)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"bench"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(raw)).encode()),
                         *((name.lower().encode(), value.encode()) for name, value in (headers or {}).items())],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {}}
    delivered = False
    status, parts = 0, []

    async def receive() -> dict:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": raw, "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects
        raise AssertionError("unreachable")

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(parts)


async def cpu_per_call(call: Callable[[], Awaitable[Any]], calls: int, rounds: int = 3) -> float:
    """CPU microseconds of this process per call of `call`, the least of `rounds` rounds of
    `calls` calls (the least is the one other work on the machine disturbed least), after a
    warm-up of a tenth of them."""
    for _ in range(max(1, calls // 10)):
        await call()
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(calls):
            await call()
        best = min(best, (time.process_time() - started) / calls * 1e6)
    return best


async def started(app: Any) -> Callable[[], Awaitable[None]]:
    """Runs `app`'s lifespan startup; returns what shuts it down."""
    messages: asyncio.Queue = asyncio.Queue()
    ready = asyncio.get_running_loop().create_future()
    stopped = asyncio.Event()

    async def send(message: dict) -> None:
        if message["type"].startswith("lifespan.startup") and not ready.done():
            ready.set_result(message)
        elif message["type"].startswith("lifespan.shutdown"):
            stopped.set()

    await messages.put({"type": "lifespan.startup"})
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                                   messages.get, send))
    outcome = await ready
    if outcome["type"] != "lifespan.startup.complete":
        raise RuntimeError(f"the app did not start: {outcome}")

    async def shut_down() -> None:
        await messages.put({"type": "lifespan.shutdown"})
        await stopped.wait()
        await task

    return shut_down


async def measure(url: str, cases: list[Any], env: dict[str, str],
                  calls: int) -> tuple[list[tuple[int, int]], list[Layers]]:
    """Each page's SQL statements, GraphQL's and the floor's, and its CPU time per request by
    layer, with the settings the served app was started with (`env`). A case is a page of
    `bench/run.py`: its name, document, variables, headers and floor route."""
    from api.app import create_app  # here, so that importing this module stays free
    from bench import floor
    from domain.shared.db import Database, StatementCounter, current_counter

    database = Database(url, pool_size=2)
    # Configured as the served app is (production, its signing key and cost budget), so the
    # served GraphQL server's tokens are read here too.
    settings = settings_from(env)
    app = create_app(settings, database=database)
    floor_app = floor.create_app(settings)
    shut_down = await started(floor_app)

    async def page_work(case: Any) -> bytes:
        """What the floor's route does but HTTP: the page's SQL and domain calls, and its JSON."""
        reader = await database.reader()
        try:
            data = await floor.serve(reader, settings, case.floor_path.strip("/"), case.variables,
                                     case.headers.get("Authorization", ""))
        finally:
            await reader.close()
        return orjson.dumps({"data": data})

    counts, layers = [], []
    try:
        for case in cases:
            graphql_body = {"query": case.document, "variables": case.variables}
            graphql, floor_count = StatementCounter(), StatementCounter()
            token = current_counter.set(graphql)
            try:
                status, body = await post(app, "/graphql", graphql_body, case.headers)
            finally:
                current_counter.reset(token)
            answer = orjson.loads(body)
            if status != 200 or "errors" in answer:
                raise SystemExit(f"{case.name}: GraphQL errors in process {answer.get('errors')}")
            token = current_counter.set(floor_count)
            try:
                await page_work(case)
            finally:
                current_counter.reset(token)
            counts.append((graphql.count, floor_count.count))
            layers.append(Layers(
                graphql_app=await cpu_per_call(lambda: post(app, "/graphql", graphql_body, case.headers), calls),
                floor_app=await cpu_per_call(
                    lambda: post(floor_app, case.floor_path, case.variables, case.headers), calls),
                page_work=await cpu_per_call(lambda: page_work(case), calls)))
    finally:
        await shut_down()
        await database.close()
    return counts, layers


def table(names: list[str], layers: list[Layers]) -> str:
    lines = ["| scenario | GraphQL app us | floor app us | CPU ratio | page's own work us "
             "| GraphQL layer us | floor's web layer us |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, row in zip(names, layers, strict=True):
        lines.append(f"| {name} | {row.graphql_app:.0f} | {row.floor_app:.0f} | {row.ratio:.2f} "
                     f"| {row.page_work:.0f} | {row.graphql_layer:.0f} | {row.floor_web_layer:.0f} |")
    return "\n".join(lines)
