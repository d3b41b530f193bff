"""Enqueue after-commit work in the caller's transaction (the outbox)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs.models import Job

# Workers LISTEN here; a committed enqueue wakes them at once (PostgreSQL delivers a NOTIFY
# only when its transaction commits, so a rolled-back job wakes no one).
CHANNEL = "jobs"

# Sent by the worker (`domain/jobs/email.py`).
SEND_EMAIL = "email.send"


async def enqueue(session: AsyncSession, kind: str, payload: dict, *, run_at: datetime | None = None,
                  dedupe_key: str | None = None, max_attempts: int = 10) -> None:
    """Adds a job to the caller's transaction: it exists only if that transaction commits.
    With a `dedupe_key`, a second job under the same key is silently dropped. One statement
    inserts the row and notifies the workers."""
    values = {"kind": kind, "payload": payload, "dedupe_key": dedupe_key, "max_attempts": max_attempts}
    if run_at is not None:
        values["run_at"] = run_at
    statement = insert(Job).values(**values)
    if dedupe_key is not None:
        statement = statement.on_conflict_do_nothing(
            index_elements=["dedupe_key"], index_where=Job.dedupe_key.isnot(None))
    inserted = statement.returning(Job.id).cte("inserted")
    await session.execute(select(func.pg_notify(CHANNEL, kind)).select_from(inserted))


async def enqueue_many(session: AsyncSession, kind: str, payloads: list[dict], dedupe_keys: list[str]) -> None:
    """Adds many jobs of one kind to the caller's transaction in one statement (a job whose
    dedupe key exists is dropped), and wakes the workers once."""
    if not payloads:
        return
    rows = [{"kind": kind, "payload": payload, "dedupe_key": key} for payload, key in zip(payloads, dedupe_keys, strict=True)]
    statement = insert(Job).values(rows).on_conflict_do_nothing(
        index_elements=["dedupe_key"], index_where=Job.dedupe_key.isnot(None))
    inserted = statement.returning(Job.id).cte("inserted")
    await session.execute(select(func.pg_notify(CHANNEL, kind)).select_from(inserted).limit(1))


async def send_email(session: AsyncSession, *, to: str, template: str, context: dict,
                     secrets: dict | None = None, dedupe_key: str | None = None) -> None:
    """Queues an e-mail (rendered and sent by the worker) in the caller's transaction.
    `secrets` (a reset token, a link carrying one) render like `context` but are erased from
    the job once it has finished."""
    payload = {"to": to, "template": template, "context": context}
    if secrets:
        payload["secrets"] = secrets
    await enqueue(session, SEND_EMAIL, payload, dedupe_key=dedupe_key)
