"""The per-request context: settings, the caller, the request's read connection and its loaders."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.carts.loaders import FACTORIES as CART_LOADERS
from api.catalogue.loaders import FACTORIES as CATALOGUE_LOADERS
from api.core.dataloaders import LoaderRegistry
from api.core.once import Once
from api.identity.loaders import FACTORIES as IDENTITY_LOADERS
from api.licences.lending_loaders import FACTORIES as LENDING_LOADERS
from api.licences.loaders import FACTORIES as LICENCE_LOADERS
from api.licences.reading_loaders import FACTORIES as READING_LOADERS
from api.limits.budget import CostBudget
from api.lists.loaders import FACTORIES as LIST_LOADERS
from api.marketplace.loaders import FACTORIES as MARKETPLACE_LOADERS
from api.orders.loaders import FACTORIES as ORDER_LOADERS
from api.profiles.loaders import FACTORIES as PROFILE_LOADERS
from api.questions.loaders import FACTORIES as QUESTION_LOADERS
from api.recommendations.history_types import FACTORIES as HISTORY_LOADERS
from api.recommendations.loaders import FACTORIES as RECOMMENDATION_LOADERS
from api.reviews.loaders import FACTORIES as REVIEW_LOADERS
from api.webhooks.loaders import FACTORIES as WEBHOOK_LOADERS
from domain.identity import service as identity
from domain.identity.entities import ClientInfo
from domain.identity.errors import TokenErrorCode
from domain.shared.config import Settings
from domain.shared.db import Database, Reader
from domain.shared.errors import Unauthenticated
from domain.shared.principal import ANONYMOUS, Principal

LOADER_FACTORIES = {**CATALOGUE_LOADERS, **MARKETPLACE_LOADERS, **IDENTITY_LOADERS, **CART_LOADERS,
                    **ORDER_LOADERS, **LICENCE_LOADERS, **LENDING_LOADERS, **READING_LOADERS, **REVIEW_LOADERS,
                    **QUESTION_LOADERS, **PROFILE_LOADERS, **HISTORY_LOADERS, **LIST_LOADERS,
                    **RECOMMENDATION_LOADERS, **WEBHOOK_LOADERS}


@dataclass
class Context:
    """Every resolver and loader of a request shares one read connection, taken from the pool
    on first use with its statements serialized (see `Reader`), so a request holds at most
    one pooled connection however many loaders it runs. Measured against a pooled connection
    per statement (statements of a request free to overlap): 5-15% more requests/s on the
    product, search and category pages, alone and at 16 concurrent requests."""

    settings: Settings
    database: Database
    reader: Reader
    request: Any = None
    response: Any = None
    request_id: str = ""
    # The process's payment provider (one per process, made at startup): use cases that move
    # money get it from here.
    payments: Any = None
    # The app's cost budgets of its callers (None when `cost_budget` is 0): see api/cost.py.
    budget: CostBudget | None = None
    # The API client that identified itself with its key (api/http/persisted_queries.py), or None.
    api_client: Any = None
    # Set while the operation runs, read by the view for its headers (api/http/caching.py):
    # the operation's cost report, and its cache policy when it may be cached at all.
    cost_report: dict | None = None
    cache_hint: Any = None
    # A WebSocket's `connection_init` payload (strawberry sets it): its `authorization` is the
    # connection's credentials, as the header is a request's.
    connection_params: dict | None = None
    # The app's real-time hub (api/realtime/hub.py), for subscriptions, and the account whose
    # WebSocket connection it counts for this connection (api/realtime/connection.py).
    realtime: Any = None
    counted_account: int | None = None
    loaders: LoaderRegistry = field(init=False)
    _viewer: Once | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.loaders = LoaderRegistry(self.reader, LOADER_FACTORIES, self)

    @property
    def client(self) -> ClientInfo:
        """The caller's address and user agent. The address is the connection's peer, or the
        one a trusted proxy forwarded (TRIBUTARY_TRUSTED_PROXIES, applied in `create_app`):
        every rule keyed on the address reads it here."""
        if self.request is None:
            return ClientInfo()
        return ClientInfo(ip=self.client_ip(), user_agent=self.request.headers.get("user-agent", ""))

    def client_ip(self) -> str | None:
        """The caller's address alone, as `client` has it (read from the scope: Starlette's
        `Request.client` makes a named tuple of it, and every request's budget asks)."""
        client = self.request.scope.get("client") if self.request is not None else None
        return client[0] if client else None

    def viewer(self) -> Once:
        """The caller (awaitable): anonymous without an `Authorization` header; with a bearer
        access token, its account and roles, checked once per request (one statement) against
        the live session. A bad, expired or revoked token is an UNAUTHENTICATED error."""
        if self._viewer is None:
            self._viewer = Once(self._load_viewer)
        return self._viewer

    def for_operation(self) -> Context:
        """A context for one operation of a WebSocket connection: the connection's caller, checked
        once, with a read connection and loaders of its own (see `refresh`)."""
        ctx = Context(settings=self.settings, database=self.database, reader=Reader(self.reader.pool),
                      request=self.request, request_id=self.request_id, payments=self.payments,
                      budget=self.budget, api_client=self.api_client, connection_params=self.connection_params,
                      realtime=self.realtime)
        ctx._viewer = self.viewer()
        return ctx

    async def release(self) -> None:
        """Gives the read connection back to the pool while a subscription waits for an event."""
        await self.reader.close()

    def refresh(self) -> None:
        """New loaders for a subscription's next event: what the last one cached may have changed."""
        self.loaders = LoaderRegistry(self.reader, LOADER_FACTORIES, self)

    def authorization(self) -> str:
        """The caller's `Authorization` value: from a WebSocket's `connection_init` payload when it
        has one, else the request's header."""
        if self.connection_params and "authorization" in self.connection_params:
            value = self.connection_params["authorization"]
            return value if isinstance(value, str) else "?"
        return self.request.headers.get("authorization", "") if self.request is not None else ""

    async def _load_viewer(self) -> Principal:
        header = self.authorization()
        if not header:
            return ANONYMOUS
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("Send the access token as `Authorization: Bearer <token>`.", code=TokenErrorCode.TOKEN_INVALID)
        return await identity.principal_for_token(self.reader, self.settings, token.strip())
