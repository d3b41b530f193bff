"""Rendering a delivery's body: the webhook's document (or the default one) run against the
schema with the event as `event`, in a context whose viewer is the webhook's owner with the
rights they have now. Loaders filter what that owner may not see, as for any request of theirs.
The body is the GraphQL result, `{"data": ..., "errors": [...]}` (errors only when some field
failed or was refused)."""
from __future__ import annotations

from dataclasses import dataclass, field

from graphql import ExecutionResult

from api.context import Context
from api.webhooks.events import event_object
from domain.shared.principal import Principal
from domain.webhooks import payloads

DEFAULT_DOCUMENT = "subscription { event { eventId type occurredAt subjectId } }"


@dataclass
class WebhookContext(Context):
    """A request context without a request: the viewer is the webhook's owner."""

    owner: Principal = field(default_factory=Principal)
    webhook_event: object = None

    async def _load_viewer(self) -> Principal:
        return self.owner


def _plain(result: ExecutionResult) -> dict:
    body: dict = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    return body


async def render(schema, request: payloads.RenderRequest) -> dict:
    """The body for `request`, run on `schema` (the one `api.schema` builds for the settings)."""
    reader = await request.database.reader()
    context = WebhookContext(settings=request.settings, database=request.database, reader=reader, owner=request.owner,
                             webhook_event=event_object(request.event))
    document = DEFAULT_DOCUMENT if request.query is None or request.event.id is None else request.query
    try:
        stream = await schema.subscribe(document, context_value=context)
        if isinstance(stream, ExecutionResult):
            return _plain(stream)
        async for result in stream:
            await stream.aclose()
            return _plain(result)
        return {"data": None}
    finally:
        await reader.close()

