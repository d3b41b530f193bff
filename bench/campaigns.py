"""A brand campaign sent to 100,000 followers by the job worker, in batches.

    .venv/bin/python bench/campaigns.py [--followers 100000] [--batch 500] [--workers 1] [--smoke]

Seeds its own database (a small catalogue, once), then makes a registered owner of a
brand and `--followers` customers following it (inserted directly), writes a campaign as the
`createBrandCampaign` use case does, and runs `--workers` job workers (`domain.jobs.worker`, with
every context's handlers) until nothing is due: the start job fixes the recipients and queues
one batch job per `--batch` followers; each batch renders and hands its messages to an
in-memory sender. Reports the wall time, messages per second and our SQL statements per batch
(the start job's and every claim transaction's included), then checks exactly-once: every
follower was sent one message, under one message id, nobody twice, nobody missed, and the
campaign is SENT with as many deliveries as recipients. Writes a table to bench/results/.
`--smoke` takes the same path on tiny data (300 followers, batches of 40) and records nothing.
See bench/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import secrets
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

import asyncpg  # noqa: E402

from bench.harness import DataSet, Run, machine_line, parse_with_sizes, revision, run_script, run_workers  # noqa: E402

DATABASE = "tributary_bench_campaigns"
# The catalogue is beside the point (the followers are made by the script): a small one seeds in
# seconds.
DATA = DataSet(scale=1, books=1000, merchandise=1000, customers=0)
NORMAL = {"followers": 100_000, "batch": 500, "workers": 1}
SMOKE = {"followers": 300, "batch": 40, "workers": 2}


class CountingSender:
    """Takes every message and keeps who it went to under which id (no delivery: the benchmark
    measures our side of the outbox)."""

    def __init__(self) -> None:
        self.by_id: Counter = Counter()
        self.recipients: dict[str, str] = {}

    async def send(self, message) -> None:
        self.by_id[message.message_id] += 1
        self.recipients[message.message_id] = message.to


async def prepare(url: str, followers: int) -> tuple[int, str]:
    """A brand with a registered owner and `followers` followers, and a scheduled campaign with
    its start job; returns the campaign id and the run's tag."""
    from domain.marketplace import service as marketplace
    from domain.shared.database_url import asyncpg_url
    from domain.shared.db import Database
    from domain.shared.principal import Principal
    from domain.shared.unit_of_work import UnitOfWork

    tag = secrets.token_hex(4)
    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        async with conn.transaction():
            brand_id = await conn.fetchval("INSERT INTO brands (name, slug) VALUES ($1, $1) RETURNING id",
                                           f"bench-brand-{tag}")
            owner = await conn.fetchval("INSERT INTO accounts (email, display_name, password_hash)"
                                        " VALUES ($1, 'Brand owner', 'x') RETURNING id", f"owner-{tag}@example.com")
            await conn.execute("INSERT INTO brand_registrations (account_id, brand_id, trademark_number, status,"
                               " decided_at) VALUES ($1, $2, 'TM-BENCH', 'APPROVED', now())", owner, brand_id)
            await conn.execute(
                "WITH made AS (INSERT INTO accounts (email, display_name, password_hash)"
                " SELECT 'fan-' || $1 || '-' || n || '@example.com', 'Fan ' || n, 'x' FROM generate_series(1, $2) n"
                " RETURNING id) INSERT INTO brand_follows (brand_id, account_id) SELECT $3, id FROM made",
                tag, followers, brand_id)
    finally:
        await conn.close()
    database = Database(url, pool_size=2)
    try:
        async with UnitOfWork(database) as uow:
            campaign = await marketplace.create_brand_campaign(
                uow.session, Principal(account_id=owner, brand_ids=frozenset({brand_id})), brand_id=brand_id,
                kind="ANNOUNCEMENT", subject="Our autumn collection", body="Forty new kettles, in every colour.",
                product_ids=[], interval_days=7)
            await uow.commit()
    finally:
        await database.close()
    return campaign.id, tag


async def send(url: str, batch: int, workers: int) -> tuple[float, dict, CountingSender, int]:
    """Runs `workers` workers until nothing is due: (seconds, job counts by kind, the sender,
    SQL statements)."""
    from domain.shared.config import Settings
    from domain.shared.database_url import asyncpg_url

    sender = CountingSender()
    seconds, statements, _ = await run_workers(
        url, workers, Settings(brand_campaign_batch_size=batch, worker_batch_size=1), sender)
    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        kinds = {r[0]: r[1] for r in await conn.fetch(
            "SELECT kind, count(*) FROM jobs WHERE kind LIKE 'marketplace.brand_campaign%' AND status = 'DONE'"
            " GROUP BY kind")}
    finally:
        await conn.close()
    return seconds, kinds, sender, statements


async def check_once(url: str, campaign_id: int, followers: int, sender: CountingSender) -> None:
    from domain.shared.database_url import asyncpg_url

    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        row = await conn.fetchrow("SELECT status::text, recipients_count, delivered_count, skipped_count"
                                  " FROM brand_campaigns WHERE id = $1", campaign_id)
        emails = {r[0] for r in await conn.fetch(
            "SELECT a.email::text FROM brand_campaign_recipients r JOIN accounts a ON a.id = r.account_id"
            " WHERE r.campaign_id = $1 AND r.delivered", campaign_id)}
    finally:
        await conn.close()
    if tuple(row) != ("SENT", followers, followers, 0):
        raise SystemExit(f"campaign ended as {tuple(row)}, expected ('SENT', {followers}, {followers}, 0)")
    twice = [i for i, n in sender.by_id.items() if n > 1]
    sent_to = Counter(sender.recipients.values())
    if twice or len(sender.by_id) != followers or set(sent_to) != emails or max(sent_to.values()) != 1:
        raise SystemExit(f"not exactly once: {len(twice)} ids sent twice, {len(sender.by_id)} ids for {followers}"
                         f" followers, {len(set(sent_to) ^ emails)} recipients missed or extra")


def report(args, run: Run, load_before: float, seconds: float, kinds: dict, statements: int) -> str:
    batches = kinds.get("marketplace.brand_campaign.batch", 0)
    lines = [
        f"# Brand campaign benchmark, {datetime.date.today().isoformat()}\n",
        f"- code: {revision()}",
        machine_line(load_before),
        f"- data: {run.data}; one brand with {args.followers:,} followers, {run.where}",
        f"- sending: {args.workers} job worker(s) in process (`domain.jobs.worker`, every handler), batches of "
        f"{args.batch} recipients, messages rendered and handed to an in-memory sender\n",
        "| recipients | batches | workers | wall s | messages/s | SQL statements | statements per batch |"
        " sent twice | missed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {args.followers} | {batches} | {args.workers} | {seconds:.2f} | {args.followers / seconds:.0f} | "
        f"{statements} | {statements / max(batches, 1):.1f} | 0 | 0 |",
    ]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, help="followers of the brand (100000; smoke 300)")
    parser.add_argument("--batch", type=int, help="recipients per batch job (500; smoke 40)")
    parser.add_argument("--workers", type=int, help="job workers running at once (1; smoke 2)")
    return parse_with_sizes(parser, NORMAL, SMOKE)


def _measure(args, run: Run) -> str:
    load_before = os.getloadavg()[0]
    campaign_id, _ = asyncio.run(prepare(run.url, args.followers))
    seconds, kinds, sender, statements = asyncio.run(send(run.url, args.batch, args.workers))
    asyncio.run(check_once(run.url, campaign_id, args.followers, sender))
    return report(args, run, load_before, seconds, kinds, statements)


def main() -> int:
    args = parse_args()
    with Run(args, DATABASE, DATA) as run:
        run.record("campaigns", _measure(args, run))
    return 0


if __name__ == "__main__":
    run_script(main)
