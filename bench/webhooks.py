"""Webhook delivery throughput: events committed to the outbox, delivered signed to a local
receiver by the job worker.

    .venv/bin/python bench/webhooks.py [--events 2000] [--workers 1] [--smoke]

Seeds its own database (a small catalogue, once), registers a platform webhook (the
`createWebhook` use case, default payload) pointing at a receiver on loopback (a minimal
HTTP/1.1 server in a thread of this process, answering 200 at once), commits `--events` events
(`review.created`, one `publish` each, as business transactions do), then runs `--workers` job
workers (`domain.jobs.worker`, every context's handlers) until nothing is due: the dispatcher
turns the events into deliveries, and each delivery job renders its body (the GraphQL payload,
with the owner's rights), signs it and POSTs it. Reports the wall time, events per second in
all and per worker, and our SQL statements per delivery; then checks at-least-once-and-here
exactly-once: every event arrived once, with a valid signature. Writes a table to bench/results/.
`--smoke` takes the same path on tiny data (60 events, two workers) and records nothing.
See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import hashlib
import hmac
import os
import secrets
import sys
import threading
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

from bench.harness import DataSet, Run, machine_line, parse_with_sizes, revision, run_script, run_workers  # noqa: E402

DATABASE = "tributary_bench_webhooks"
DATA = DataSet(scale=1, books=1000, merchandise=1000, customers=0)
NORMAL = {"events": 2000, "workers": 1}
SMOKE = {"events": 60, "workers": 2}


class Receiver:
    """A minimal HTTP/1.1 endpoint on loopback, in a thread with its own event loop (so the
    workers' loop is not the one answering), keeping every request's headers and body."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.received.append((headers, body))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def __enter__(self) -> Receiver:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


def _settings():
    """Development settings: the receiver speaks plain http (production sends https only), on
    loopback (which the setting allows)."""
    from domain.shared.config import Settings

    return Settings(env="development", webhooks_allow_private_addresses=True)


async def prepare(url: str, receiver_url: str, events: int) -> tuple[str, list[int]]:
    """A platform webhook to the receiver, then `events` committed events: (secret, event ids)."""
    import asyncpg

    from domain.events.kinds import EventKind
    from domain.events.outbox import publish
    from domain.shared.database_url import asyncpg_url
    from domain.shared.db import Database
    from domain.shared.principal import Principal
    from domain.shared.unit_of_work import UnitOfWork
    from domain.webhooks import service as webhooks

    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        await conn.execute("DELETE FROM webhooks")  # a real run's database is reused: only this run's webhook
        admin = await conn.fetchval("INSERT INTO accounts (email, display_name, password_hash) VALUES ($1, 'Ops', 'x')"
                                    " RETURNING id", f"ops-{secrets.token_hex(4)}@example.com")
        await conn.execute("INSERT INTO role_grants (account_id, role) VALUES ($1, 'ADMIN')", admin)
    finally:
        await conn.close()
    database = Database(url, pool_size=2)
    try:
        async with UnitOfWork(database) as uow:
            made = await webhooks.create_webhook(
                uow.session, Principal(account_id=admin, is_admin=True), _settings(), url=receiver_url,
                events=["REVIEW_CREATED"], query=None, secret=None, seller_id=None, check_document=lambda *a: None)
            await uow.commit()
        ids = []
        async with UnitOfWork(database) as uow:
            for n in range(events):
                ids.append(await publish(uow.session, EventKind.REVIEW_CREATED, n + 1, seller_ids=[1]))
            await uow.commit()
    finally:
        await database.close()
    return made.secret, ids


async def deliver(url: str, workers: int) -> tuple[float, int]:
    """Runs `workers` workers until nothing is due: (seconds, SQL statements)."""
    import api.schema  # noqa: F401  (installs the payload renderer, as the server and `tributary worker` do)
    from tests.fixtures.jobs import RecordingSender

    seconds, statements, _ = await run_workers(url, workers, _settings(), RecordingSender())
    return seconds, statements


def check(secret: str, event_ids: list[int], received: list) -> None:
    got = Counter(headers["tributary-event-id"] for headers, _ in received)
    wanted = {f"evt_{i}" for i in event_ids}
    if set(got) != wanted or max(got.values()) != 1:
        raise SystemExit(f"not exactly once: {len(wanted - set(got))} missed, {sum(1 for n in got.values() if n > 1)}"
                         f" twice, {len(set(got) - wanted)} unexpected")
    for headers, body in received:
        parts = dict(item.split("=", 1) for item in headers["tributary-signature"].split(","))
        expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts["v1"]):
            raise SystemExit("a delivery's signature does not verify")


async def _delivery_states(url: str) -> list:
    import asyncpg

    from domain.shared.database_url import asyncpg_url

    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        return [tuple(r) for r in await conn.fetch(
            "SELECT 'delivery', status::text, error, count(*) FROM webhook_deliveries GROUP BY 2, 3 UNION ALL"
            " SELECT 'job', status::text, last_error, count(*) FROM jobs WHERE kind LIKE 'webhooks.%' GROUP BY 2, 3")]
    finally:
        await conn.close()


def report(args, run: Run, load_before: float, seconds: float, statements: int) -> str:
    rate = args.events / seconds
    lines = [
        f"# Webhook delivery benchmark, {datetime.date.today().isoformat()}\n",
        f"- code: {revision()}",
        machine_line(load_before),
        f"- data: {run.data}; {args.events} committed review.created events, one platform webhook, {run.where}",
        f"- delivery: {args.workers} job worker(s) in process (every handler, batches of 10 jobs), default payload "
        "rendered through the GraphQL schema, HMAC-signed, POSTed over HTTP/1.1 to a receiver on loopback in a "
        "thread of the same process (answers 200 at once; a new connection per delivery)\n",
        "| events | workers | wall s | events/s | events/s per worker | SQL statements per delivery |"
        " delivered twice | missed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {args.events} | {args.workers} | {seconds:.2f} | {rate:.0f} | {rate / args.workers:.0f} | "
        f"{statements / args.events:.1f} | 0 | 0 |",
    ]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, help="events to deliver (2000; smoke 60)")
    parser.add_argument("--workers", type=int, help="job workers running at once (1; smoke 2)")
    return parse_with_sizes(parser, NORMAL, SMOKE)


def _measure(args, run: Run) -> str:
    load_before = os.getloadavg()[0]
    with Receiver() as receiver:
        secret, event_ids = asyncio.run(prepare(run.url, f"http://127.0.0.1:{receiver.port}/hooks", args.events))
        seconds, statements = asyncio.run(deliver(run.url, args.workers))
        try:
            check(secret, event_ids, list(receiver.received))
        except SystemExit:
            print(asyncio.run(_delivery_states(run.url)), file=sys.stderr)
            raise
    return report(args, run, load_before, seconds, statements)


def main() -> int:
    args = parse_args()
    with Run(args, DATABASE, DATA) as run:
        run.record("webhooks", _measure(args, run))
    return 0


if __name__ == "__main__":
    run_script(main)
