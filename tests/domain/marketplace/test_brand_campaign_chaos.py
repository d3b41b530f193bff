"""A brand campaign reaches each recipient exactly once, however the worker fails: a batch killed
after sending and before its commit is sent again under the same message ids, which the mailbox
delivers once; workers racing on separate connections never send a recipient twice; and a batch
costs the same few statements whatever its size."""
import asyncio
from collections import Counter

from domain.marketplace.campaigns import sending
from domain.notifications.email import FileMailbox
from domain.shared.config import Settings
from domain.shared.unit_of_work import UnitOfWork
from tests.conftest import count_statements
from tests.fixtures import chaos
from tests.fixtures.brand_campaigns import (
    brand_with_products,
    campaign_row,
    followers,
    recipients,
    register_owner,
)
from tests.fixtures.db import execute, fetch, fetchval
from tests.fixtures.jobs import RecordingSender, make_due, worker


class RecordedMailbox(RecordingSender):
    """Records every send (duplicates included), then hands it to the development mailbox, which
    delivers each message id once."""

    def __init__(self, directory) -> None:
        super().__init__()
        self.mailbox = FileMailbox(directory)

    async def send(self, message) -> None:
        await super().send(message)
        await self.mailbox.send(message)


async def _started_campaign(db, count: int, batch_size: int) -> tuple[int, list[int]]:
    """A campaign of a brand with `count` followers, its recipients fixed and batches queued."""
    brand_id, products = await brand_with_products(db)
    owner = (await fetch(db, "INSERT INTO accounts (email, display_name, password_hash)"
                             " VALUES ('owner@brand.example', 'Owner', 'x') RETURNING id"))[0]["id"]
    await register_owner(db, owner, brand_id)
    fans = await followers(db, brand_id, count)
    campaign_id = await fetchval(db, "INSERT INTO brand_campaigns (brand_id, kind, subject, body, product_ids)"
                                     " VALUES ($1, 'NEW_PRODUCT', 'New', 'A new kettle.', $2) RETURNING id",
                                 brand_id, products[:1])
    async with UnitOfWork(db) as uow:
        await sending.start(uow.session, campaign_id, batch_size)
        await uow.commit()
    return campaign_id, fans


def _settings(batch_size: int) -> Settings:
    return Settings(brand_campaign_batch_size=batch_size)


async def test_a_batch_killed_after_sending_is_sent_again_under_the_same_ids_and_each_recipient_gets_one_message(
        writable_database, tmp_path):
    db = writable_database
    campaign_id, fans = await _started_campaign(db, 30, 10)
    sender = RecordedMailbox(tmp_path / "mail")
    runner = worker(db, sender)
    runner.settings = _settings(10)

    # The first batch sends its ten messages, then waits for the campaign's row to count them:
    # its connection dies there, before its commit.
    killed = await chaos.kill_when_blocked(db.url, "SELECT 1 FROM brand_campaigns WHERE id = $1 FOR UPDATE",
                                           campaign_id, run=runner.run_once, query_like="UPDATE brand_campaigns%")
    assert killed.error is None  # the worker recorded the batch's failure and went on
    assert len(sender.sent) == 30
    assert tuple(await campaign_row(db, campaign_id)) == ("SENDING", 30, 20, 0)
    assert sum(r["settled_at"] is None for r in await recipients(db, campaign_id)) == 10

    await make_due(db)
    await runner.run_once()

    assert tuple(await campaign_row(db, campaign_id)) == ("SENT", 30, 30, 0)
    assert all(r["delivered"] for r in await recipients(db, campaign_id))
    # Ten messages were handed over twice, each time under its one id ...
    assert len(sender.sent) == 40 and set(sender.counts().values()) == {1, 2}
    ids_per_recipient = Counter(m.to for m in {(m.message_id, m.to): m for m in sender.sent}.values())
    assert set(ids_per_recipient.values()) == {1} and len(ids_per_recipient) == 30
    # ... and the mailbox holds one message per recipient.
    files = sorted((tmp_path / "mail").glob("brand-campaign-*.eml"))
    assert len(files) == 30
    assert sorted(FileMailbox.read(f).to for f in files) == sorted(ids_per_recipient)


async def test_workers_racing_on_separate_connections_send_each_recipient_once(writable_database):
    db = writable_database
    campaign_id, fans = await _started_campaign(db, 40, 5)
    sender = RecordingSender(delay=0.01)
    runners = [worker(db, sender, batch_size=1) for _ in range(2)]
    for runner in runners:
        runner.settings = _settings(5)

    stats = await asyncio.gather(*(runner.run_once() for runner in runners))

    assert all(s.claimed >= 1 for s in stats), stats  # both took part
    assert sum(s.done for s in stats) == 8
    assert len(sender.sent) == 40 and set(sender.counts().values()) == {1}
    assert tuple(await campaign_row(db, campaign_id)) == ("SENT", 40, 40, 0)


async def test_a_batch_costs_the_same_statements_whatever_its_size(writable_database):
    db = writable_database
    campaign_id, _ = await _started_campaign(db, 60, 10)
    counts = {}
    for first, last in ((1, 10), (11, 60)):
        with count_statements() as counter:
            settled = await sending.send_batch(db, RecordingSender(), _settings(10), campaign_id, first, last)
        counts[last - first + 1] = (settled, counter.count)
    again = await sending.send_batch(db, RecordingSender(), _settings(10), campaign_id, 1, 10)
    assert counts[10][1] == counts[50][1] == 6, counts
    assert (counts[10][0], counts[50][0], again) == (10, 50, 0)


async def test_recipients_are_fixed_in_chunks_numbered_without_gaps(writable_database, monkeypatch):
    db = writable_database
    monkeypatch.setattr(sending, "FIX_CHUNK", 4)
    brand_id, _ = await brand_with_products(db)
    fans = await followers(db, brand_id, 13)
    await execute(db, "UPDATE brand_follows SET opted_out_at = now() WHERE account_id = ANY($1::bigint[])", fans[2:4])
    await execute(db, "INSERT INTO brand_message_opt_outs (account_id) VALUES ($1)", fans[7])
    campaign_id = await fetchval(db, "INSERT INTO brand_campaigns (brand_id, kind, subject, body)"
                                     " VALUES ($1, 'ANNOUNCEMENT', 'News', 'We moved.') RETURNING id", brand_id)
    await register_owner(db, fans[0], brand_id)
    async with UnitOfWork(db) as uow:
        await sending.start(uow.session, campaign_id, 3)
        await uow.commit()
    wanted = [f for f in fans if f not in (fans[2], fans[3], fans[7])]
    assert [(r["position"], r["account_id"]) for r in await recipients(db, campaign_id)] == \
        list(enumerate(sorted(wanted), start=1))
    assert tuple(await campaign_row(db, campaign_id)) == ("SENDING", 10, 0, 0)
    assert await fetchval(db, "SELECT count(*) FROM jobs WHERE kind = 'marketplace.brand_campaign.batch'") == 4
