"""What each role may do with webhooks: platform webhooks are the administrators'; a seller's are
its staff's (and administrators'). Nobody else finds them (NOT_FOUND), and a customer cannot
register one (FORBIDDEN)."""
from __future__ import annotations

from api.core import ids
from tests.api.authorization.world import STAFF_SELLER_ID, World
from tests.fixtures.db import execute

# A public address literal: registration resolves nothing and calls nothing.
URL = "https://93.184.215.14/hooks"
_ERRORS = "userErrors { code }"
_SELLER = ids.encode("Seller", STAFF_SELLER_ID)
_MANAGERS = {"anonymous": "UNAUTHENTICATED", "other_customer": "NOT_FOUND", "seller_staff": "ok", "admin": "ok",
             "owner": "NOT_FOUND"}


async def sellers_webhook(world: World) -> str:
    """A new webhook of the staff's seller, registered by an administrator (the seller's older
    ones deleted first, so the matrix stays under the per-seller limit)."""
    await execute(world.database, "DELETE FROM webhooks WHERE seller_id = $1", STAFF_SELLER_ID)
    body = await world.as_role("admin", """mutation($url: String!, $seller: ID!) { createWebhook(input: {url: $url,
        events: [ORDER_PLACED], sellerId: $seller}) { webhook { id } userErrors { code message } } }""",
                               {"url": URL, "seller": _SELLER})
    return body["data"]["createWebhook"]["webhook"]["id"]


async def _webhook_vars(world: World, role: str) -> dict:
    return {"id": await sellers_webhook(world)}


async def sellers_delivery(world: World) -> str:
    body = await world.as_role("admin", "mutation($id: ID!) { pingWebhook(input: {webhookId: $id}) { delivery { id } } }",
                               {"id": await sellers_webhook(world)})
    return body["data"]["pingWebhook"]["delivery"]["id"]


async def _delivery_vars(world: World, role: str) -> dict:
    return {"id": await sellers_delivery(world)}


async def _clean(world: World, role: str) -> dict:
    await execute(world.database, "DELETE FROM webhooks WHERE seller_id = $1", STAFF_SELLER_ID)
    return {"url": URL, "seller": _SELLER}


def webhook_mutation_cases() -> dict:
    from tests.api.authorization.cases import Case

    return {
        "createWebhook": Case(
            f"mutation($url: String!, $seller: ID!) {{ createWebhook(input: {{url: $url, events: [ORDER_PLACED],"
            f" sellerId: $seller}}) {{ secret {_ERRORS} }} }}", {
                "anonymous": "UNAUTHENTICATED", "other_customer": "FORBIDDEN", "seller_staff": "ok", "admin": "ok",
                "owner": "FORBIDDEN"}, _clean),
        "updateWebhook": Case(f"mutation($id: ID!) {{ updateWebhook(input: {{webhookId: $id, enabled: false}})"
                              f" {{ webhook {{ id }} {_ERRORS} }} }}", _MANAGERS, _webhook_vars),
        "deleteWebhook": Case(f"mutation($id: ID!) {{ deleteWebhook(input: {{webhookId: $id}}) {{ deletedWebhookId"
                              f" {_ERRORS} }} }}", _MANAGERS, _webhook_vars),
        "pingWebhook": Case(f"mutation($id: ID!) {{ pingWebhook(input: {{webhookId: $id}}) {{ delivery {{ id }}"
                            f" {_ERRORS} }} }}", _MANAGERS, _webhook_vars),
        "redeliverWebhookDelivery": Case(f"mutation($id: ID!) {{ redeliverWebhookDelivery(input: {{deliveryId: $id}})"
                                         f" {{ delivery {{ id }} {_ERRORS} }} }}", _MANAGERS, _delivery_vars),
    }


# Node types: a seller's webhook and its deliveries are its staff's and the administrators'.
MANAGERS_NODE = {"anonymous": "hidden", "other_customer": "hidden", "seller_staff": "visible", "admin": "visible",
                 "owner": "hidden"}
WEBHOOK_NODES = {
    "Webhook": (sellers_webhook, MANAGERS_NODE),
    "WebhookDelivery": (sellers_delivery, MANAGERS_NODE),
}
