"""What a delivery's body is made of: the API renders it (it knows the schema that executes the
webhook's document); the worker asks through the renderer installed here.

The API installs its renderer when it builds its schema (`api.webhooks.payloads`); a process that
delivers webhooks has built it (the server, `tributary worker`, the tests). Without one, a
delivery fails its try and is retried, rather than sending something else than the owner chose."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from domain.shared.config import Settings
from domain.shared.db import Database
from domain.shared.principal import Principal


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An outbox event (or a ping: `id` None, `kind` "webhook.ping")."""

    id: int | None
    kind: str
    subject_id: int | None
    customer_id: int | None
    seller_ids: list[int]
    data: dict
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RenderRequest:
    database: Database
    settings: Settings
    owner: Principal
    webhook_id: int
    delivery_id: int
    query: str | None  # the webhook's document; None for the default payload
    event: EventRecord


Renderer = Callable[[RenderRequest], Awaitable[dict]]

_renderer: Renderer | None = None


class NoRenderer(RuntimeError):
    """No API renderer in this process."""


def install(renderer: Renderer) -> None:
    global _renderer
    _renderer = renderer


async def render(request: RenderRequest) -> dict:
    """The JSON object to send for this event, with the owner's rights."""
    if _renderer is None:
        raise NoRenderer("no webhook payload renderer is installed in this process (build the API schema first)")
    return await _renderer(request)
