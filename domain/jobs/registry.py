"""What each kind of job does: a registry of handlers by job kind.

A handler is `async def handler(ctx: JobContext) -> None`. It runs inside the transaction
that claimed the job, in a savepoint of its own: its writes commit together with the job's
DONE mark, and are undone if it raises. Raising `PermanentFailure` fails the job at once
(retrying cannot help); any other exception is retried with backoff.

Delivery is at-least-once, so a handler with an outside effect (an e-mail, a webhook) must
be idempotent, keyed on the job (`ctx.job.id`), which stays the same across retries.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.notifications import service as notifications
from domain.payments.service import PaymentProvider
from domain.shared.config import Settings
from domain.shared.db import Database


class PermanentFailure(Exception):
    """The job can never succeed as it stands (bad payload, unknown template): FAILED now."""


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    id: int
    kind: str
    payload: dict
    attempt: int  # 1 on the first run
    max_attempts: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a handler gets: the job, the claiming transaction, and the outside services."""

    job: ClaimedJob
    session: AsyncSession
    email: notifications.EmailSender
    settings: Settings
    # For long jobs that commit in batches of their own (a product import), resumable by design.
    database: Database | None = None
    # The process's payment provider, for jobs that move money (capturing a released pre-order).
    payments: PaymentProvider | None = None


Handler = Callable[[JobContext], Awaitable[None]]


class Registry:
    """Handlers by job kind. `@registry.register("kind")` adds one. Each context keeps the
    handlers of the jobs it queues in a registry of its own (`domain/<context>/jobs.py`);
    `domain/bootstrap.py` merges them into the one the worker runs."""

    def __init__(self, handlers: dict[str, Handler] | None = None) -> None:
        self._handlers: dict[str, Handler] = dict(handlers or {})

    def register(self, kind: str) -> Callable[[Handler], Handler]:
        def add(handler: Handler) -> Handler:
            if kind in self._handlers:
                raise ValueError(f"Job kind {kind!r} already has a handler.")
            self._handlers[kind] = handler
            return handler

        return add

    def get(self, kind: str) -> Handler | None:
        return self._handlers.get(kind)

    def kinds(self) -> list[str]:
        return sorted(self._handlers)

    def copy(self) -> "Registry":
        """A registry with the same handlers, to add more to (tests, plug-ins)."""
        return Registry(self._handlers)

    @classmethod
    def merged(cls, *registries: "Registry") -> "Registry":
        """One registry holding every handler of `registries`; a kind handled twice is refused."""
        merged = cls()
        for registry in registries:
            for kind, handler in registry._handlers.items():
                merged.register(kind)(handler)
        return merged
