"""The job worker: claims due jobs with `FOR UPDATE SKIP LOCKED` and runs their handlers.

Each batch is one transaction: claim up to `batch_size` due PENDING jobs (oldest first; rows
another worker holds are skipped, never waited for), then run each job's handler in a
savepoint of that transaction and record the outcome next to the handler's writes:
DONE, or a retry at now + 2^attempts seconds (capped), or FAILED after `max_attempts`.
Many workers, in one process (asyncio tasks) or many, can share one database: a job is
locked by exactly one claim, and a claim never sees a job another worker finished.

Times come from the database clock (`now()`, `clock_timestamp()`), the one clock every
worker agrees on. An idle worker sleeps `poll_seconds`, or less: enqueueing sends
`NOTIFY jobs`, and the worker LISTENs for it.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

import asyncpg
from prometheus_client import Counter
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs.models import Job
from domain.jobs.registry import ClaimedJob, JobContext, PermanentFailure, Registry
from domain.jobs.service import CHANNEL
from domain.notifications.email import EmailSender
from domain.payments.service import PaymentProvider
from domain.shared.config import Settings, get_settings
from domain.shared.database_url import asyncpg_url
from domain.shared.db import Database

log = logging.getLogger("tributary.jobs")

MAX_BACKOFF_SECONDS = 3600
MAX_ERROR_LENGTH = 2000

JOBS_RUN = Counter("tributary_jobs_total", "Jobs run by this process, by kind and outcome.", ["kind", "outcome"])

DONE, RETRY, FAILED = "done", "retry", "failed"


def backoff_seconds(attempt: int) -> int:
    """Wait before the next try, after `attempt` failed tries: 2, 4, 8, ... capped at an hour."""
    return min(2 ** min(attempt, 30), MAX_BACKOFF_SECONDS)


@dataclass
class Stats:
    """What a worker did: jobs claimed, and their outcomes."""

    claimed: int = 0
    done: int = 0
    retried: int = 0
    failed: int = 0

    def add(self, other: "Stats") -> None:
        self.claimed += other.claimed
        self.done += other.done
        self.retried += other.retried
        self.failed += other.failed

    def count(self, outcome: str) -> None:
        if outcome == DONE:
            self.done += 1
        elif outcome == RETRY:
            self.retried += 1
        else:
            self.failed += 1


# A finished job forgets its payload's "secrets" (reset links and the like): the job table is
# kept as a record, and a copy of a live credential must not outlive its delivery.
_MARK_DONE = text("UPDATE jobs SET status = 'DONE', attempts = attempts + 1, finished_at = clock_timestamp(),"
                  " payload = payload - 'secrets' WHERE id = :id")
_MARK_RETRY = text("UPDATE jobs SET attempts = attempts + 1, last_error = :error,"
                   " run_at = clock_timestamp() + make_interval(secs => :delay) WHERE id = :id")
_MARK_FAILED = text("UPDATE jobs SET status = 'FAILED', attempts = attempts + 1, last_error = :error,"
                    " finished_at = clock_timestamp(), payload = payload - 'secrets' WHERE id = :id")


def _claim(limit: int, job_id: int | None = None):
    statement = (select(Job.id, Job.kind, Job.payload, Job.attempts, Job.max_attempts, Job.created_at)
                 .where(Job.status == "PENDING"))
    if job_id is None:
        statement = statement.where(Job.run_at <= text("now()")).order_by(Job.run_at, Job.id)
    else:
        statement = statement.where(Job.id == job_id)
    return statement.limit(limit).with_for_update(skip_locked=True)


def _describe(error: BaseException) -> str:
    if isinstance(error, PermanentFailure):
        message = str(error)
    else:
        message = f"{type(error).__name__}: {error}".rstrip(": ")
    return message[:MAX_ERROR_LENGTH]


class Worker:
    """Runs due jobs from one database with `handlers` (every context's: `domain.bootstrap.job_registry()`).
    `run()` works until `stop()`; `run_once()` drains what is due now and returns (tests, development, cron)."""

    def __init__(self, database: Database, *, handlers: Registry, email: EmailSender, settings: Settings | None = None,
                 batch_size: int | None = None,
                 poll_seconds: float | None = None, job_timeout: float | None = None, listen: bool = True,
                 payments: PaymentProvider | None = None) -> None:
        settings = settings or get_settings()
        self.database = database
        self.email = email
        # Owned by whoever made the worker (the app or the CLI), which closes it.
        self.payments = payments
        self.settings = settings
        self.handlers = handlers
        self.batch_size = batch_size or settings.worker_batch_size
        self.poll_seconds = poll_seconds or settings.worker_poll_seconds
        self.job_timeout = job_timeout or settings.job_timeout_seconds
        self.listen = listen
        self._stopping = False
        self._wakeups: set[asyncio.Event] = set()
        self._listener: asyncpg.Connection | None = None
        self._listener_lock = asyncio.Lock()
        self._listen_retry_at = 0.0

    # -- running -------------------------------------------------------------------------

    async def run_once(self) -> Stats:
        """Runs jobs until none is due (or all due ones are held by other workers)."""
        total = Stats()
        while not self._stopping:
            stats = await self.run_batch()
            total.add(stats)
            if stats.claimed == 0:
                break
        return total

    async def run(self, concurrency: int = 1) -> None:
        """Works with `concurrency` tasks until `stop()`; each finishes its current job first."""
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(concurrency):
                    group.create_task(self._loop())
        finally:
            await self._close_listener()

    def stop(self) -> None:
        """Asks every task to stop after its current job (safe from a signal handler)."""
        self._stopping = True
        self._wake()

    @property
    def stopping(self) -> bool:
        return self._stopping

    async def _loop(self) -> None:
        wakeup = asyncio.Event()
        self._wakeups.add(wakeup)
        try:
            while not self._stopping:
                wakeup.clear()
                await self._ensure_listener()
                try:
                    stats = await self.run_batch()
                except Exception:  # noqa: BLE001  (database away: log, wait, try again)
                    log.exception("job batch failed")
                    stats = Stats()
                if stats.claimed or self._stopping:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), self.poll_seconds)
        finally:
            self._wakeups.discard(wakeup)

    # -- one batch -----------------------------------------------------------------------

    async def run_batch(self) -> Stats:
        """Claims up to `batch_size` due jobs in one transaction and runs them."""
        stats = Stats()
        current: ClaimedJob | None = None
        try:
            async with self.database.sessions() as session, session.begin():
                rows = (await session.execute(_claim(self.batch_size))).all()
                stats.claimed = len(rows)
                for row in rows:
                    if self._stopping:
                        break  # the rest stay PENDING, unlocked at commit
                    current = ClaimedJob(id=row.id, kind=row.kind, payload=row.payload, attempt=row.attempts + 1,
                                         max_attempts=row.max_attempts, created_at=row.created_at)
                    stats.count(await self._run(session, current))
                current = None
        except Exception as error:
            if current is None:
                raise
            # The job broke the batch's transaction itself (its savepoint could not be rolled
            # back): the batch is undone; count the failure on that job alone, so it backs off.
            log.exception("job broke its batch", extra={"job_id": current.id, "kind": current.kind})
            outcome = await self._fail_alone(current, error)
            stats = Stats(claimed=stats.claimed)
            if outcome is not None:
                stats.count(outcome)
        return stats

    async def _run(self, session: AsyncSession, job: ClaimedJob) -> str:
        handler = self.handlers.get(job.kind)
        if handler is None:
            known = ", ".join(self.handlers.kinds()) or "none"
            error = PermanentFailure(f"No handler for job kind {job.kind!r} (known kinds: {known}).")
            return await self._record_failure(session, job, error)
        try:
            async with session.begin_nested():
                try:
                    # A handler that is long by nature (a nightly training) names its own limit.
                    limit = getattr(handler, "timeout_seconds", None) or self.job_timeout
                    async with asyncio.timeout(limit):
                        await handler(JobContext(job=job, session=session, email=self.email, database=self.database,
                                                 settings=self.settings, payments=self.payments))
                except TimeoutError:
                    raise TimeoutError(f"the job ran longer than {limit:g}s") from None
        except Exception as error:  # noqa: BLE001  (any handler failure is recorded on the job)
            return await self._record_failure(session, job, error)
        await session.execute(_MARK_DONE, {"id": job.id})
        JOBS_RUN.labels(job.kind, DONE).inc()
        log.debug("job done", extra={"job_id": job.id, "kind": job.kind, "attempt": job.attempt})
        return DONE

    async def _record_failure(self, session: AsyncSession, job: ClaimedJob, error: Exception) -> str:
        message = _describe(error)
        facts = {"job_id": job.id, "kind": job.kind, "attempt": job.attempt, "error": message}
        if isinstance(error, PermanentFailure) or job.attempt >= job.max_attempts:
            await session.execute(_MARK_FAILED, {"id": job.id, "error": message})
            JOBS_RUN.labels(job.kind, FAILED).inc()
            log.error("job failed for good", extra=facts)
            return FAILED
        delay = backoff_seconds(job.attempt)
        await session.execute(_MARK_RETRY, {"id": job.id, "error": message, "delay": float(delay)})
        JOBS_RUN.labels(job.kind, RETRY).inc()
        log.warning("job failed; retrying later", extra={**facts, "retry_in_seconds": delay},
                    exc_info=not isinstance(error, TimeoutError))
        return RETRY

    async def _fail_alone(self, job: ClaimedJob, error: Exception) -> str | None:
        async with self.database.sessions() as session, session.begin():
            row = (await session.execute(_claim(1, job.id))).first()
            if row is None:  # finished or taken by another worker meanwhile
                return None
            return await self._record_failure(session, job, error)

    # -- waking up on NOTIFY -------------------------------------------------------------

    def _wake(self, *_: object) -> None:
        for wakeup in self._wakeups:
            wakeup.set()

    async def _ensure_listener(self) -> None:
        """LISTENs on a connection of its own; without one (say, behind a transaction-pooling
        proxy) the worker simply polls. A lost connection is reopened at most once a poll."""
        if not self.listen or (self._listener is not None and not self._listener.is_closed()):
            return
        if time.monotonic() < self._listen_retry_at:
            return
        async with self._listener_lock:
            if self._listener is not None and not self._listener.is_closed():
                return
            self._listen_retry_at = time.monotonic() + self.poll_seconds
            try:
                connection = await asyncpg.connect(
                    asyncpg_url(self.database.url), server_settings={"application_name": "tributary-worker"})
                await connection.add_listener(CHANNEL, self._wake)
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("cannot listen for new jobs; polling instead", extra={"error": str(error)})
                return
            self._listener = connection

    async def _close_listener(self) -> None:
        if self._listener is not None:
            listener, self._listener = self._listener, None
            with contextlib.suppress(Exception):
                await listener.close(timeout=5)
