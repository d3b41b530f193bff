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
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import service as jobs
from domain.notifications import service as notifications
from domain.shared.config import Settings
from domain.shared.db import Database

if TYPE_CHECKING:
    from domain.payments.service import PaymentProvider


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
    database: "Database | None" = None
    # The process's payment provider, for jobs that move money (capturing a released pre-order).
    payments: "PaymentProvider | None" = None


Handler = Callable[[JobContext], Awaitable[None]]


class Registry:
    """Handlers by job kind. `@registry.register("kind")` adds one."""

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


registry = Registry()


def email_message_id(job: ClaimedJob) -> str:
    """The e-mail's id, derived from its job: the same on every retry of the job (so a retry
    never sends a second, distinct message), distinct across jobs and across databases that
    reuse job ids. Starts with the time the job was queued, so a mailbox sorts by it."""
    return f"{job.created_at.astimezone(UTC):%Y%m%dT%H%M%S.%fZ}-job{job.id}"


@registry.register("email.send")
async def send_email(ctx: JobContext) -> None:
    """Renders the template named in the payload and sends it through the configured sender."""
    payload = ctx.job.payload
    to, template, context = payload.get("to"), payload.get("template"), payload.get("context", {})
    secrets = payload.get("secrets", {})
    if not isinstance(to, str) or not isinstance(template, str) or not isinstance(context, dict) \
            or not isinstance(secrets, dict):
        raise PermanentFailure("An email.send job needs 'to' and 'template' strings and 'context' and 'secrets'"
                               " objects.")
    context = {**context, **secrets}
    try:
        await notifications.send_email(ctx.email, message_id=email_message_id(ctx.job), to=to, template=template,
                                       context=context)
    except notifications.TemplateError as error:
        raise PermanentFailure(str(error)) from error


@registry.register("catalogue.import")
async def import_products(ctx: JobContext) -> None:
    """Runs a started staged product import (`productsImportStart`). It commits batch by batch on
    its own connections and resumes after its last committed batch, so a retry never imports a
    row twice."""
    from domain.catalogue.imports import handle_job  # the catalogue enqueues these jobs itself

    if ctx.database is None:
        raise PermanentFailure("A product import needs the worker's database.")
    await handle_job(ctx.database, ctx.job.payload)


@registry.register("idempotency.purge")
async def purge_idempotency_keys(ctx: JobContext) -> None:
    """Deletes expired idempotency keys and queues the next hourly purge (the first one is queued
    with `domain.idempotency.service.schedule_purge`); a backlog larger than one run's limit is
    continued by a follow-up job at once."""
    from domain.idempotency import service as idempotency  # it queues these jobs itself

    await idempotency.run_purge_job(ctx.session)


@registry.register("ordering.release_preorders")
async def release_preorders(ctx: JobContext) -> None:
    """Releases the pre-orders due today (price guarantee, capture, e-mail) and queues tomorrow's
    run (the first one is queued with `domain.orders.service.schedule_preorder_release`)."""
    from domain.orders import service as orders  # orders queue these jobs themselves
    from domain.payments import service as payments

    provider = getattr(ctx, "payments", None)
    own = None
    if provider is None:
        if ctx.database is None:
            raise PermanentFailure("Releasing pre-orders needs the worker's database for the payment provider.")
        own = provider = payments.provider_for(ctx.settings, ctx.database.url)
    try:
        await orders.run_preorder_release_job(ctx.session, provider)
    finally:
        if own is not None:
            await own.close()


@registry.register("catalogue.release_date_changed")
async def follow_release_date(ctx: JobContext) -> None:
    """A product's release date moved (the catalogue announces it): the pre-orders waiting for it
    follow, and their customers are told. A backlog larger than one run's limit is continued by
    a follow-up job at once."""
    from domain.orders import service as orders  # the catalogue announces; orders follow

    product_id = ctx.job.payload.get("productId")
    if not isinstance(product_id, int):
        raise PermanentFailure("A catalogue.release_date_changed job needs a 'productId' integer.")
    if await orders.follow_release_date(ctx.session, product_id):
        await jobs.enqueue(ctx.session, ctx.job.kind, ctx.job.payload)


@registry.register("licences.expire_rental")
async def expire_rental(ctx: JobContext) -> None:
    """Expires a rental whose time is over: queued for its deadline to start when it is
    rented, and for the end of its play window when it is started."""
    from domain.licences import service as licences  # licences queue these jobs themselves

    licence_id = ctx.job.payload.get("licenceId")
    if not isinstance(licence_id, int):
        raise PermanentFailure("A licences.expire_rental job needs a 'licenceId' integer.")
    await licences.run_expiry_job(ctx.session, licence_id)
