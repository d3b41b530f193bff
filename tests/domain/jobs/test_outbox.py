"""The outbox: an e-mail is sent only if the transaction that queued it commits, exactly once,
even with two workers racing over the same queue."""
import asyncio

import pytest

from domain.jobs import service as jobs
from domain.shared.unit_of_work import UnitOfWork
from tests.fixtures.db import suite_database
from tests.fixtures.jobs import RecordingSender, job_rows, make_due, queue_email, worker

pytestmark = pytest.mark.one_copy_per_file


@pytest.mark.own_copy
async def test_an_email_queued_in_a_transaction_that_rolls_back_is_never_sent(writable_database):
    sender = RecordingSender()
    with pytest.raises(RuntimeError):
        async with UnitOfWork(writable_database) as uow:
            await jobs.send_email(uow.session, to="ada@example.com", template="password_changed", context={})
            raise RuntimeError("a later step of the use case failed")

    stats = await worker(writable_database, sender).run_once()

    assert stats.claimed == 0
    assert sender.sent == []
    assert await job_rows(writable_database) == []


@pytest.mark.own_copy
async def test_an_email_queued_in_a_committed_transaction_is_sent_once(writable_database):
    sender = RecordingSender()
    await queue_email(writable_database, to="ada@example.com", template="welcome", context={"displayName": "Ada"})
    runner = worker(writable_database, sender)

    first = await runner.run_once()
    again = await runner.run_once()

    assert (first.done, again.claimed) == (1, 0)
    assert [(m.to, m.subject) for m in sender.sent] == [("ada@example.com", "Welcome to Tributary, Ada")]
    [row] = await job_rows(writable_database)
    assert (row["status"], row["attempts"], row["last_error"]) == ("DONE", 1, None)
    assert row["finished_at"] is not None


@pytest.mark.own_copy
async def test_two_workers_on_separate_connections_deliver_each_of_fifty_emails_exactly_once(writable_database):
    async with UnitOfWork(writable_database) as uow:
        for n in range(50):
            await jobs.send_email(uow.session, to=f"reader{n}@example.com", template="password_changed", context={})
        await uow.commit()
    # One sender (the outside service) shared by two workers, each with its own engine and pool.
    sender = RecordingSender(delay=0.005)
    first, second = suite_database(writable_database.url, pool_size=2), suite_database(writable_database.url, pool_size=2)
    try:
        stats = await asyncio.gather(worker(first, sender, batch_size=3).run_once(),
                                     worker(second, sender, batch_size=3).run_once())
    finally:
        await first.close()
        await second.close()

    assert len(sender.sent) == 50
    assert set(sender.counts().values()) == {1}
    assert sorted(m.to for m in sender.sent) == sorted(f"reader{n}@example.com" for n in range(50))
    assert stats[0].done + stats[1].done == 50
    assert stats[0].done > 0 and stats[1].done > 0  # both really worked, side by side
    assert {(r["status"], r["attempts"]) for r in await job_rows(writable_database)} == {("DONE", 1)}


async def test_a_retried_email_job_sends_the_same_message_id_again(writable_database):
    # The provider accepted the first send but the call failed: the retry must not be a new e-mail.
    sender = RecordingSender(fail_times=1)
    await queue_email(writable_database)
    runner = worker(writable_database, sender)

    first = await runner.run_once()
    await make_due(writable_database)
    second = await runner.run_once()

    assert (first.retried, second.done) == (1, 1)
    assert len(sender.sent) == 2
    assert sender.sent[0] == sender.sent[1]
    assert sender.counts() == {sender.sent[0].message_id: 2}


@pytest.mark.own_copy
async def test_an_email_job_queued_twice_under_one_dedupe_key_is_sent_once(writable_database):
    sender = RecordingSender()
    await queue_email(writable_database, dedupe_key="order-7-shipped")
    async with UnitOfWork(writable_database) as uow:
        await jobs.send_email(uow.session, to="ada@example.com", template="password_changed", context={},
                              dedupe_key="order-7-shipped")
        await jobs.send_email(uow.session, to="ada@example.com", template="password_changed", context={},
                              dedupe_key="order-7-shipped")
        await uow.commit()

    await worker(writable_database, sender).run_once()

    assert len(await job_rows(writable_database)) == 1
    assert len(sender.sent) == 1


@pytest.mark.own_copy
async def test_an_email_with_an_unknown_template_fails_at_once_with_the_reason(writable_database):
    sender = RecordingSender()
    await queue_email(writable_database, template="no_such_template")

    stats = await worker(writable_database, sender).run_once()

    assert (stats.failed, sender.sent) == (1, [])
    [row] = await job_rows(writable_database)
    assert (row["status"], row["attempts"]) == ("FAILED", 1)
    assert row["last_error"].startswith("Unknown e-mail template 'no_such_template'; known: ")
    from domain.notifications.templates import TEMPLATES

    assert row["last_error"].endswith(", ".join(sorted(TEMPLATES)) + ".")


@pytest.mark.own_copy
async def test_an_email_missing_a_template_field_fails_at_once_naming_it(writable_database):
    await queue_email(writable_database, template="password_reset", context={"displayName": "Ada"})

    await worker(writable_database).run_once()

    [row] = await job_rows(writable_database)
    assert (row["status"], row["last_error"]) == (
        "FAILED", "E-mail template 'password_reset' needs minutes, token, url in its context.")


@pytest.mark.own_copy
async def test_a_finished_email_job_forgets_its_secrets_but_the_email_had_them(writable_database):
    from sqlalchemy import text

    from domain.bootstrap import job_registry
    from domain.jobs import service as jobs
    from domain.jobs.worker import Worker
    from domain.shared.unit_of_work import UnitOfWork
    from tests.fixtures.jobs import RecordingSender

    async with UnitOfWork(writable_database) as uow:
        await jobs.send_email(uow.session, to="ada@example.com", template="password_reset",
                              context={"displayName": "Ada", "minutes": 30},
                              secrets={"token": "pr_secret", "url": "https://shop.example/reset?token=pr_secret"})
        await uow.commit()
    sender = RecordingSender()
    await Worker(writable_database, handlers=job_registry(), email=sender).run_once()

    assert "pr_secret" in sender.sent[0].text
    async with UnitOfWork(writable_database) as uow:
        payload = (await uow.session.execute(text("SELECT payload FROM jobs WHERE status = 'DONE'"))).scalar_one()
    assert "secrets" not in payload and payload["context"] == {"displayName": "Ada", "minutes": 30}
