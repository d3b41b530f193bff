"""Webhook mutations: registering, changing and deleting webhooks, a test event, and another try
of a delivery. Each runs one use case in one transaction; a refusal writes nothing. Nothing is
sent from here: the worker delivers."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.extensions import QueryDepthLimiter
from strawberry.types import Info

from api.core import ids
from api.core.arguments import MutationInput
from api.webhooks import documents
from api.webhooks.errors import WebhookError, run_webhook
from api.webhooks.inputs import CreateWebhookInput, UpdateWebhookInput, WebhookDeliveryIdInput, WebhookIdInput
from api.webhooks.types import Webhook, WebhookDelivery
from domain.webhooks import service as webhooks


@strawberry.type(description="Result of `createWebhook`.")
class CreateWebhookPayload:
    webhook: Optional[Webhook] = strawberry.field(description="The new webhook; null on failure.")
    secret: Optional[str] = strawberry.field(description="The signing secret, shown only here: keep it where your receiver reads it. Null on failure.")
    user_errors: list[WebhookError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of a webhook mutation.")
class WebhookPayload:
    webhook: Optional[Webhook] = strawberry.field(description="The webhook as it is now; null on failure.")
    user_errors: list[WebhookError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `deleteWebhook`.")
class DeleteWebhookPayload:
    deleted_webhook_id: Optional[strawberry.ID] = strawberry.field(description="The deleted webhook's ID; null on failure.")
    user_errors: list[WebhookError] = strawberry.field(description="Why it failed; nothing was changed.")


@strawberry.type(description="Result of `pingWebhook` and `redeliverWebhookDelivery`.")
class WebhookDeliveryPayload:
    delivery: Optional[WebhookDelivery] = strawberry.field(description="The delivery, PENDING until the worker has sent it; null on failure.")
    user_errors: list[WebhookError] = strawberry.field(description="Why it failed; nothing was changed.")


def _checker(info: Info) -> webhooks.DocumentCheck:
    schema = info.schema
    rules = QueryDepthLimiter(max_depth=info.context.settings.max_depth).validation_rules

    def check(query: str, owner_is_admin: bool, types) -> None:
        documents.check(schema._schema, rules, query, owner_is_admin, types)

    return check


def _webhook_id(global_id: str) -> int:
    return ids.decode_as(global_id, "Webhook", "input.webhookId")


async def _delivery_payload(info: Info, use_case) -> WebhookDeliveryPayload:
    pk, errors = await run_webhook(info, use_case)
    if pk is None:
        return WebhookDeliveryPayload(delivery=None, user_errors=errors)
    return WebhookDeliveryPayload(delivery=await info.context.loaders.webhook_delivery_by_id.load(pk), user_errors=[])


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(description="Register a webhook: without `sellerId` a platform webhook (administrators), with it your seller's (its staff, or an administrator). The URL must be https and resolve to public addresses; the payload document is checked against the schema and your rights. The signing secret is returned once. Requires sign-in.")
    async def create_webhook(self, info: Info, input: Annotated[CreateWebhookInput, MutationInput]) -> CreateWebhookPayload:
        seller = None if input.seller_id is None else ids.decode_as(input.seller_id, "Seller", "input.sellerId")
        settings, check = info.context.settings, _checker(info)
        made, errors = await run_webhook(info, lambda s, viewer: webhooks.create_webhook(
            s, viewer, settings, url=input.url, events=input.events, query=input.query, secret=input.secret,
            seller_id=seller, check_document=check))
        if made is None:
            return CreateWebhookPayload(webhook=None, secret=None, user_errors=errors)
        return CreateWebhookPayload(webhook=await info.context.loaders.webhook_by_id.load(made.webhook_id),
                                    secret=made.secret, user_errors=[])

    @strawberry.mutation(description="Change a webhook you manage: URL, event types, payload document, or turn it off and on. Requires sign-in.")
    async def update_webhook(self, info: Info, input: Annotated[UpdateWebhookInput, MutationInput]) -> WebhookPayload:
        pk, settings, check = _webhook_id(input.webhook_id), info.context.settings, _checker(info)
        changes = {name: value for name, value in (("url", input.url), ("events", input.events), ("query", input.query))
                   if value is not None}
        done, errors = await run_webhook(info, lambda s, viewer: webhooks.update_webhook(
            s, viewer, settings, pk, enabled=input.enabled, check_document=check, **changes))
        if done is None:
            return WebhookPayload(webhook=None, user_errors=errors)
        return WebhookPayload(webhook=await info.context.loaders.webhook_by_id.load(pk), user_errors=[])

    @strawberry.mutation(description="Delete a webhook you manage, with its delivery log; tries under way stop. Requires sign-in.")
    async def delete_webhook(self, info: Info, input: Annotated[WebhookIdInput, MutationInput]) -> DeleteWebhookPayload:
        pk = _webhook_id(input.webhook_id)
        done, errors = await run_webhook(info, lambda s, viewer: webhooks.delete_webhook(s, viewer, pk))
        return DeleteWebhookPayload(deleted_webhook_id=None if done is None else input.webhook_id, user_errors=errors)

    @strawberry.mutation(description="Send a test event (type webhook.ping, signed like any other) to a webhook you manage; the worker sends it within seconds, and its delivery shows the answer. Requires sign-in.")
    async def ping_webhook(self, info: Info, input: Annotated[WebhookIdInput, MutationInput]) -> WebhookDeliveryPayload:
        pk, settings = _webhook_id(input.webhook_id), info.context.settings
        return await _delivery_payload(info, lambda s, viewer: webhooks.ping_webhook(s, viewer, settings, pk))

    @strawberry.mutation(description="Send a delivery again: the same body and event id (so a receiver that has it can tell), newly signed, with a fresh 24 hours of retries. A delivery still being tried is left as it is. Requires sign-in.")
    async def redeliver_webhook_delivery(self, info: Info, input: Annotated[WebhookDeliveryIdInput, MutationInput]) -> WebhookDeliveryPayload:
        pk, settings = ids.decode_as(input.delivery_id, "WebhookDelivery", "input.deliveryId"), info.context.settings
        return await _delivery_payload(info, lambda s, viewer: webhooks.redeliver(s, viewer, settings, pk))
