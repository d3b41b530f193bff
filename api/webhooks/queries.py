"""Webhook root fields: the webhooks the caller manages, and one of them."""
from __future__ import annotations

from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.core.arguments import After, First
from api.core.pagination import Connection, connection, page_request
from api.webhooks.types import Webhook
from domain.webhooks import service as webhooks

WebhookIdArg = Annotated[strawberry.ID, strawberry.argument(description="Global ID of a webhook (`Webhook.id`).")]


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="The webhooks you manage, newest first: every one for administrators, your sellers' for seller staff. Anyone else is refused (FORBIDDEN).")
    async def webhooks(self, info: Info, first: First = None, after: After = None) -> Connection[Webhook]:
        page = await webhooks.webhooks_page(info.context.reader, await info.context.viewer(), page_request(first, after))
        return connection(page)

    @strawberry.field(description="A webhook you manage; null when there is none or it is another seller's.")
    async def webhook(self, info: Info, id: WebhookIdArg) -> Optional[Webhook]:
        return await info.context.loaders.webhook_by_id.load(ids.decode_as(id, "Webhook", "id"))
