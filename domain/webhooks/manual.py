"""What an owner asks for by hand: a test event (`pingWebhook`) and another try of a delivery
(`redeliverWebhookDelivery`). Both are sent by the worker, like every delivery: nothing leaves
from inside a request."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared.config import Settings
from domain.shared.errors import DomainError, NotFound
from domain.shared.principal import Principal
from domain.webhooks.dispatch import enqueue_deliveries
from domain.webhooks.entities import may_manage
from domain.webhooks.errors import WebhookErrorCode
from domain.webhooks.statuses import PING


def _disabled(field: list[str]) -> DomainError:
    return DomainError("The webhook is disabled: turn it back on (updateWebhook with enabled: true) first.",
                       code=WebhookErrorCode.WEBHOOK_DISABLED, field=field)


async def ping_webhook(session: AsyncSession, principal: Principal, settings: Settings, webhook_id: int) -> int:
    """Queues a test event (type `webhook.ping`) to the webhook; returns its delivery's id."""
    principal.require_signed_in()
    row = (await session.execute(text("SELECT seller_id, disabled_at FROM webhooks WHERE id = :id FOR UPDATE"),
                                 {"id": webhook_id})).first()
    if row is None or not may_manage(principal, row.seller_id):
        raise NotFound("No such webhook of yours.", field=["input", "webhookId"])
    if row.disabled_at is not None:
        raise _disabled(["input", "webhookId"])
    delivery_id = (await session.execute(text(
        "INSERT INTO webhook_deliveries (webhook_id, event_kind, retry_until, next_attempt_at)"
        " VALUES (:id, :kind, now() + make_interval(hours => :hours), now()) RETURNING id"),
        {"id": webhook_id, "kind": PING, "hours": settings.webhook_retry_hours})).scalar_one()
    await enqueue_deliveries(session, [delivery_id])
    return delivery_id


async def redeliver(session: AsyncSession, principal: Principal, settings: Settings, delivery_id: int) -> int:
    """Sends a delivery again (the same body and event id, so a receiver that has it already can
    tell), with a fresh 24 hours of retries. A delivery still being tried is left as it is."""
    principal.require_signed_in()
    row = (await session.execute(text(
        "SELECT d.status::text AS status, d.attempts, w.seller_id, w.disabled_at FROM webhook_deliveries d"
        " JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = :id FOR UPDATE OF d"), {"id": delivery_id})).first()
    if row is None or not may_manage(principal, row.seller_id):
        raise NotFound("No such delivery of your webhooks.", field=["input", "deliveryId"])
    if row.disabled_at is not None:
        raise _disabled(["input", "deliveryId"])
    if row.status == "PENDING":
        return delivery_id
    await session.execute(text(
        "UPDATE webhook_deliveries SET status = 'PENDING', finished_at = NULL, next_attempt_at = now(),"
        " retry_until = now() + make_interval(hours => :hours) WHERE id = :id"),
        {"id": delivery_id, "hours": settings.webhook_retry_hours})
    await enqueue_deliveries(session, [delivery_id], attempts=row.attempts)
    return delivery_id
