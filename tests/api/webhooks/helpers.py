"""Documents and steps the webhook API tests share."""
from __future__ import annotations

from api.core import ids
from domain.events.kinds import EventKind
from domain.events.outbox import publish
from domain.shared.db import Database
from domain.shared.unit_of_work import UnitOfWork
from domain.webhooks import dispatch
from tests.fixtures.db import fetch, fetchval  # noqa: F401  (re-exported)

ERRORS = "userErrors { code message field }"
WEBHOOK_FIELDS = "id url events query enabled failingSince disabledAt seller { id }"
CREATE = f"""mutation($input: CreateWebhookInput!) {{ createWebhook(input: $input) {{
  webhook {{ {WEBHOOK_FIELDS} }} secret {ERRORS} }} }}"""
UPDATE = f"""mutation($input: UpdateWebhookInput!) {{ updateWebhook(input: $input) {{
  webhook {{ {WEBHOOK_FIELDS} }} {ERRORS} }} }}"""
DELETE = f"""mutation($input: WebhookIdInput!) {{ deleteWebhook(input: $input) {{ deletedWebhookId {ERRORS} }} }}"""
DELIVERY_FIELDS = "id eventId eventType status attempts responseStatus durationMs error finishedAt"
PING = f"""mutation($input: WebhookIdInput!) {{ pingWebhook(input: $input) {{
  delivery {{ {DELIVERY_FIELDS} }} {ERRORS} }} }}"""
REDELIVER = f"""mutation($input: WebhookDeliveryIdInput!) {{ redeliverWebhookDelivery(input: $input) {{
  delivery {{ {DELIVERY_FIELDS} }} {ERRORS} }} }}"""
DELIVERIES = f"""query($id: ID!) {{ webhook(id: $id) {{ id deliveries(first: 10) {{ nodes {{ {DELIVERY_FIELDS} }} }} }} }}"""


def gid(type_name: str, pk: int) -> str:
    return ids.encode(type_name, pk)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def call(http, token: str | None, query: str, variables: dict) -> dict:
    response = await http.post("/graphql", json={"query": query, "variables": variables},
                               headers=bearer(token) if token else {})
    assert response.status_code == 200, response.text
    return response.json()


async def published(db: Database, kind: EventKind, subject_id: int, **options) -> int:
    """An event committed on its own (as a business transaction would publish it)."""
    async with UnitOfWork(db) as uow:
        event_id = await publish(uow.session, kind, subject_id, **options)
        await uow.commit()
    return event_id


async def dispatch_now(db: Database) -> None:
    """Queues a dispatcher run due now (the worker's own runs are a second apart)."""
    async with UnitOfWork(db) as uow:
        await dispatch.schedule_dispatch(uow.session, delay_seconds=-5)
        await uow.commit()


async def retries_due_now(db: Database) -> None:
    await fetch(db, "UPDATE jobs SET run_at = now() WHERE kind = 'webhooks.deliver' AND status = 'PENDING'")
