"""Subscribers across two server processes: one event committed, delivered to all.

    .venv/bin/python bench/realtime.py [--subscribers 1000] [--rounds 10] [--smoke]

Uses the foundation benchmark's database. Starts two `tributary serve` processes (production, one
worker each) on one database, opens `--subscribers` WebSocket connections (graphql-transport-ws)
split evenly between them, each subscribed to `readingStateChanged` of one customer's e-book, then
`--rounds` times pushes a reading position through the first server (`updateReadingState` over
HTTP) and times its arrival on every connection. Reports the median, p99 and largest delay from
the mutation's send to each arrival, and the servers' memory per connection (their resident size
with every connection open, less before any, over the connections). The clients run in this one
process (asyncio, the `websockets` library), so on a small machine part of the delay is theirs.
`--smoke` takes the same path with 20 subscribers and 2 rounds, and records nothing.
See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import orjson  # noqa: E402
import psutil  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from bench.harness import BIN, Run, machine_line, parse_with_sizes, revision, run_script  # noqa: E402
from bench.run import DATA, DATABASE  # noqa: E402

NORMAL = {"subscribers": 1000, "rounds": 10}
SMOKE = {"subscribers": 20, "rounds": 2}
EMAIL = "realtime-bench@example.com"
PASSWORD = "realtime bench passphrase"
REGISTER = """mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { accepted } }"""
SIGN_IN = """mutation($input: SignInInput!) { signIn(input: $input) { tokens { accessToken } userErrors { code } } }"""
DEVICE = """mutation { registerDevice(input: {kind: EREADER, name: "Bench reader"}) { device { id } userErrors { code } } }"""
PUSH = """mutation($input: UpdateReadingStateInput!) { updateReadingState(input: $input) { userErrors { code } } }"""
SUBSCRIBE = """subscription($id: ID!) { readingStateChanged(licenceId: $id) { lastPosition } }"""
WAIT = 60.0


def sign_in(client: httpx.Client) -> str:
    client.post("/graphql", json={"query": REGISTER, "variables": {"input": {
        "email": EMAIL, "password": PASSWORD, "displayName": "Realtime bench"}}})
    body = client.post("/graphql", json={"query": SIGN_IN, "variables": {"input": {
        "email": EMAIL, "password": PASSWORD, "clientKind": "WEB", "deviceName": "Bench"}}}).json()
    result = body["data"]["signIn"]
    if result["userErrors"]:
        raise SystemExit(f"sign-in failed: {result['userErrors']}")
    return result["tokens"]["accessToken"]


async def ensure_licence(url: str) -> int:
    """An e-book licence of the bench customer (once), with content of 100,000 positions."""
    conn = await asyncpg.connect(url)
    try:
        account_id = await conn.fetchval("SELECT id FROM accounts WHERE email = $1", EMAIL)
        found = await conn.fetchval("SELECT id FROM licences WHERE account_id = $1 ORDER BY id LIMIT 1", account_id)
        if found is not None:
            return found
        product = await conn.fetchval("SELECT id FROM products WHERE kind = 'EBOOK' AND archived_at IS NULL"
                                      " ORDER BY id LIMIT 1")
        if product is None:
            raise SystemExit("the bench database has no e-books")
        await conn.execute(
            "INSERT INTO digital_contents (product_id, content_key, media_type, file_size, location_count)"
            " VALUES ($1, 'books/' || $1::bigint || '.kfx', 'application/x-kfx', 400000, 100000)"
            " ON CONFLICT (product_id) DO UPDATE SET location_count = greatest(digital_contents.location_count,"
            " 100000)", product)
        return await conn.fetchval("INSERT INTO licences (account_id, product_id, kind) VALUES ($1, $2, 'PURCHASE')"
                                   " RETURNING id", account_id, product)
    finally:
        await conn.close()


def global_id(type_name: str, pk: int) -> str:
    from api.core import ids
    return ids.encode(type_name, pk)


class Subscriber:
    """One connection with one subscription; `arrivals` gets the time of each message after the first."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.arrivals: asyncio.Queue[tuple[float, dict]] = asyncio.Queue()

    @classmethod
    async def open(cls, base: str, token: str, licence: str) -> Subscriber:
        ws = await connect(base.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"],
                           open_timeout=WAIT, ping_interval=None)
        await ws.send(orjson.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}).decode())
        ack = orjson.loads(await asyncio.wait_for(ws.recv(), WAIT))
        if ack["type"] != "connection_ack":
            raise SystemExit(f"connection refused: {ack}")
        await ws.send(orjson.dumps({"id": "1", "type": "subscribe",
                                    "payload": {"query": SUBSCRIBE, "variables": {"id": licence}}}).decode())
        first = orjson.loads(await asyncio.wait_for(ws.recv(), WAIT))
        if first["type"] != "next":
            raise SystemExit(f"subscription refused: {first}")
        subscriber = cls(ws)
        subscriber.task = asyncio.create_task(subscriber._read())
        return subscriber

    async def _read(self) -> None:
        async for raw in self.ws:
            self.arrivals.put_nowait((time.perf_counter(), orjson.loads(raw)))

    async def close(self) -> None:
        self.task.cancel()
        await self.ws.close()


def rss(pid: int) -> int:
    return psutil.Process(pid).memory_info().rss


async def measure(args, servers, token: str, licence_id: int, device: str) -> dict:
    licence = global_id("Licence", licence_id)
    before = sum(rss(s.process.pid) for s in servers)
    subscribers: list[Subscriber] = []
    for start in range(0, args.subscribers, 50):  # in waves, as clients arrive
        subscribers += await asyncio.gather(*(
            Subscriber.open(servers[i % 2].base, token, licence)
            for i in range(start, min(start + 50, args.subscribers))))
    await asyncio.sleep(1)
    after = sum(rss(s.process.pid) for s in servers)
    delays, pushes = [], []
    async with httpx.AsyncClient(base_url=servers[0].base, timeout=WAIT,
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        for round_ in range(args.rounds):
            position = 1000 + round_
            stamp = datetime.datetime.now(datetime.UTC).isoformat()
            sent = time.perf_counter()
            body = (await http.post("/graphql", json={"query": PUSH, "variables": {"input": {
                "deviceId": device, "states": [{"licenceId": licence, "position": position, "clientTime": stamp}]}}})).json()
            pushes.append(time.perf_counter() - sent)
            if body.get("errors") or body["data"]["updateReadingState"]["userErrors"]:
                raise SystemExit(f"updateReadingState failed: {body}")
            for subscriber in subscribers:
                arrived, message = await asyncio.wait_for(subscriber.arrivals.get(), WAIT)
                if message["payload"]["data"]["readingStateChanged"]["lastPosition"] != position:
                    raise SystemExit(f"a subscriber got {message} for position {position}")
                delays.append(arrived - sent)
    await asyncio.gather(*(s.close() for s in subscribers))
    delays.sort()
    return {"delays": delays, "pushes": pushes, "memory": (after - before) / args.subscribers}


def report(args, run: Run, load_before: float, result: dict) -> str:
    delays = result["delays"]
    p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))]
    lines = [
        f"# Real-time benchmark, {datetime.date.today().isoformat()}\n",
        f"- code: {revision()}",
        machine_line(load_before),
        f"- data: {run.data}, {run.where}",
        "- servers: two `tributary serve` processes (production, 1 worker each) on one database; subscribers split "
        "evenly, every one on `readingStateChanged` of one licence; the position is pushed through the first",
        f"- delay: from sending `updateReadingState` to the message's arrival, {args.rounds} rounds; the "
        f"mutation alone took {statistics.median(result['pushes']) * 1000:.1f} ms (median)\n",
        "| subscribers | servers | rounds | delivered | median ms | p99 ms | max ms | KiB per connection |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {args.subscribers} | 2 | {args.rounds} | {len(delays)} | {statistics.median(delays) * 1000:.1f} | "
        f"{p99 * 1000:.1f} | {delays[-1] * 1000:.1f} | {result['memory'] / 1024:.0f} |",
    ]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, help="WebSocket connections, half on each server (1000; smoke 20)")
    parser.add_argument("--rounds", type=int, help="positions pushed, each timed on every connection (10; smoke 2)")
    return parse_with_sizes(parser, NORMAL, SMOKE)


def _measure(args, run: Run) -> str:
    load_before = os.getloadavg()[0]
    env = run.server_env(cost_budget=0, ws_connections_per_account=args.subscribers,
                         pool_size=10)
    servers = [run.start(f"graphql-{n}", [str(BIN / "tributary"), "serve"], env) for n in (1, 2)]
    with httpx.Client(base_url=servers[0].base, timeout=WAIT) as client:
        token = sign_in(client)
        licence_id = asyncio.run(ensure_licence(run.url))
        body = client.post("/graphql", json={"query": DEVICE}, headers={"Authorization": f"Bearer {token}"}).json()
        if body.get("errors") or body["data"]["registerDevice"]["userErrors"]:
            raise SystemExit(f"registerDevice failed: {body}")
        device = body["data"]["registerDevice"]["device"]["id"]
    result = asyncio.run(measure(args, servers, token, licence_id, device))
    if len(result["delays"]) != args.subscribers * args.rounds:
        raise SystemExit("not every subscriber got every event")
    return report(args, run, load_before, result)


def main() -> int:
    args = parse_args()
    with Run(args, DATABASE, DATA) as run:
        run.record("realtime", _measure(args, run))
    return 0


if __name__ == "__main__":
    run_script(main)
