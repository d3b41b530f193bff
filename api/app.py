"""The Starlette application: /graphql (HTTP and WebSocket), /healthz, /readyz, /metrics."""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable

import orjson
from cross_web import HTTPException
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.graphql import OperationType
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import garbage_collector
from api.context import Context
from api.http import caching, graphiql, graphql_request
from api.http.brand_messages import opt_out_endpoint
from api.http.compression import CompressionMiddleware
from api.http.cors import CorsPolicy
from api.http.downloads import download_endpoint
from api.http.graphql_view import GraphQLOverHTTP, answer, refusal_response, require_acceptable
from api.http.middleware import RequestMiddleware
from api.http.operation_request import OperationRequest, read_body
from api.http.persisted_queries import PersistedDocuments
from api.http.route_errors import EXCEPTION_HANDLERS
from api.limits.budget import CostBudget
from api.observability.access_log import ACCESS_LOG
from api.observability.logging_setup import request_id
from api.realtime import connection as realtime_connection
from api.realtime.hub import Realtime
from api.schema import build_schema
from domain.bootstrap import job_registry, schedule_housekeeping
from domain.identity import tokens
from domain.jobs.worker import Worker
from domain.marketplace.campaigns import links as opt_out_links
from domain.notifications import service as notifications
from domain.payments import service as payments_service
from domain.shared.config import Settings, get_settings
from domain.shared.database_url import resolve_url
from domain.shared.db import Database
from domain.shared.unit_of_work import UnitOfWork

log = logging.getLogger("tributary.app")
# The operations each method may carry over HTTP (strawberry's rule), subscriptions refused:
# made once rather than a set per request.
_ALLOWED = {method: frozenset(OperationType.from_http(method) - {OperationType.SUBSCRIPTION})
            for method in ("GET", "POST")}

class GraphQLApp(GraphQLOverHTTP, GraphQL):
    """The GraphQL endpoint, with our per-request context, closed after each request. Strawberry's
    ASGI view serves its WebSocket protocol; HTTP requests are answered by `answer`: parsed by
    api/http/graphql_request.py, answered as GraphQL over HTTP says (api/http/graphql_view.py),
    and every refusal before execution, ours or strawberry's, is a GraphQL error in JSON, never
    plain text."""

    # graphql-transport-ws only: the legacy graphql-ws protocol (subscriptions-transport-ws) is
    # deprecated by its authors, and would need the connection rules of api/realtime twice.
    protocols = (GRAPHQL_TRANSPORT_WS_PROTOCOL,)
    graphql_transport_ws_handler_class = realtime_connection.SubscriptionHandler

    def __init__(self, schema, settings: Settings, state: dict, budget: CostBudget | None = None) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.development else None,
                         allow_queries_via_get=True)
        self.settings = settings
        self.state = state
        self.budget = budget
        self.documents = PersistedDocuments(settings, state, schema)
        self.max_subscriptions_per_connection = settings.ws_subscriptions_per_connection
        self.realtime = state["realtime"] = Realtime(state)

    def payments(self) -> payments_service.PaymentProvider:
        """The process's payment provider: made at startup, or on first use by an app that was
        handed its database and runs without a lifespan (in-process test clients)."""
        if self.state["payments"] is None:
            self.state["payments"] = payments_service.provider_for(self.settings, self.state["database"].url)
            self.state["payments_owned"] = True
        return self.state["payments"]

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        """WebSocket messages, checked as request bodies are; strawberry closes the socket on a
        JSONDecodeError (code 4400). `serve` makes uvicorn refuse bigger frames still (1009); this
        holds for any server."""
        if len(data) > self.settings.ws_max_message_bytes:
            raise json.JSONDecodeError("Message too large", "", 0)
        try:
            return graphql_request.decode_json(data)
        except graphql_request.RequestRefused as refusal:
            raise json.JSONDecodeError(refusal.message, "", 0) from None

    def should_render_graphql_ide(self, request) -> bool:
        # A GET with only a persisted query's hash has no `query`, yet is an operation.
        return super().should_render_graphql_ide(request) and "extensions" not in request.query_params

    async def on_ws_connect(self, context):
        await self.documents.check_websocket(context)  # API client keys and trusted documents
        await realtime_connection.accept(context)  # credentials and connections per account
        return await super().on_ws_connect(context)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = OperationRequest(scope=scope, receive=receive)
        try:
            page = self.page(request)
            if page is None:
                status, headers, body = await self.answer(request)
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            response = page
        except (graphql_request.RequestRefused, HTTPException) as refusal:
            response = caching.vary(refusal_response(request, refusal))
        await caching.not_stored(response)(scope, receive, send)

    async def _context(self, request) -> Context:
        database: Database = self.state["database"]
        return Context(settings=self.settings, database=database, reader=await database.reader(), request=request,
                       request_id=request_id.get(), payments=self.payments(), budget=self.budget,
                       realtime=self.realtime)

    async def run(self, request, context=None, root_value=None):
        """A WebSocket connection, served by strawberry with our context (api/realtime)."""
        ctx = await self._context(request)
        try:
            return await super().run(request, context=ctx, root_value=None)
        finally:
            await ctx.reader.close()

    def page(self, request: Request) -> Response | None:
        """What a request that is not an operation gets: 405 for a method other than GET and
        POST, the GraphiQL page (or 404 where it is off) for a GET of a browser with no query;
        None for an operation."""
        if request.method not in ("GET", "POST"):
            raise HTTPException(405, "GraphQL only supports GET and POST requests.")
        if request.method == "GET" and self.should_render_graphql_ide(request):
            if not self.graphql_ide:
                raise HTTPException(404, "Not Found")
            return caching.vary(graphiql.page_response())  # self-hosted, under a strict CSP
        return None

    async def answer(self, request: Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """An operation's answer over HTTP (status, raw headers, body), read and answered as
        GraphQL over HTTP says (api/http/graphql_request.py, api/http/graphql_view.py) with its
        cache and cost headers (api/http/caching.py). Written here rather than through
        strawberry's view, whose request adapter, sub-response and response objects with their
        header mappings cost, on a small page, about as much as executing it."""
        media_type = require_acceptable(request.headers.get("accept"))
        if request.method == "GET":
            request_data = graphql_request.from_query_params(request.query_params)
        else:
            request_data = graphql_request.from_body(await read_body(request.receive))
        context = await self._context(request)
        try:
            result = await self.execute(request_data, context, request.method)
        finally:
            await context.reader.close()  # given back before the answer is written: others wait for it
        status, headers, data = answer(result, media_type)
        status, headers, body = caching.finish(request, context, status, headers, orjson.dumps(data))
        if status != 304:
            headers.append((b"content-length", str(len(body)).encode("latin-1")))
        return status, headers, body

    async def execute(self, request_data: GraphQLRequestData, context: Context, method: str):
        # API client keys, persisted queries and trusted documents (api/http/persisted_queries.py).
        request_data = await self.documents.resolve(request_data, context)
        # strawberry's, with subscriptions refused: they are served over WebSocket only (a refusal
        # before execution, api/http/graphql_view.py), never run as a query.
        allowed = _ALLOWED.get(method) or OperationType.from_http(method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(
                request_data.query, root_value=None, variable_values=request_data.variables,
                context_value=context, operation_name=request_data.operation_name,
                allowed_operation_types=allowed, operation_extensions=request_data.extensions)
        except CannotGetOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason()) from e
        except InvalidOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason(method)) from e
        except MissingQueryError as e:
            raise HTTPException(400, "No GraphQL query found in the request") from e


class _Service(Starlette):
    """Starlette without the ServerErrorMiddleware it puts outside every app. Our outermost
    middleware (`RequestMiddleware`) answers any exception raised before a response starts with
    the service's own 500 (JSON, its request id and CORS headers), so Starlette's plain-text one
    never served a request; its wrapper of `send` still cost a coroutine per message, on every
    request. After a response has started, an exception reaches the server either way."""

    def build_middleware_stack(self):
        stack = super().build_middleware_stack()
        return stack.app if isinstance(stack, ServerErrorMiddleware) and not self.debug else stack


class _GraphQLFirst:
    """HTTP requests to /graphql go straight to the GraphQL view, past Starlette's exception
    middleware and router, which have nothing to do for them (the view answers every refusal
    itself) and cost a walk of the routes and two more layers per request."""

    def __init__(self, app, graphql: GraphQLApp) -> None:
        self.app = app
        self.graphql = graphql

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/graphql":
            await self.graphql(scope, receive, send)
        else:
            await self.app(scope, receive, send)


@contextlib.asynccontextmanager
async def _worker_in_process(settings: Settings, database: Database,
                             payments: payments_service.PaymentProvider):
    """One job worker task beside the server when `settings.worker_in_process` (development by
    default), so queued e-mails land in the mailbox without a second process."""
    if not settings.worker_in_process:
        yield
        return
    worker = Worker(database, handlers=job_registry(), email=notifications.email_sender(settings), settings=settings,
                    payments=payments)
    # As `tributary worker` does: renewals, deliveries and the rest start with the server (on a
    # fresh database the first recommendations training too, so `serve` alone shows personal
    # recommendations a minute or two after it starts).
    async with UnitOfWork(database) as uow:
        await schedule_housekeeping(uow.session)
        await uow.commit()
    task = asyncio.create_task(worker.run(), name="job-worker")
    log.info("job worker running in process")
    try:
        yield
    finally:
        worker.stop()
        try:
            await asyncio.wait_for(task, settings.job_timeout_seconds + 5)
        except TimeoutError:
            log.warning("job worker did not stop in time; its jobs stay queued")
        except Exception:  # noqa: BLE001  (shutting down: report and carry on)
            log.exception("job worker ended with an error")


def create_app(settings: Settings | None = None, database: Database | None = None,
               clock: Callable[[], float] = time.monotonic,
               payments: payments_service.PaymentProvider | None = None) -> Starlette:
    """The app. With no `database`, it connects at startup to the configured server (or the
    embedded one, started here) and disconnects at shutdown. With no `payments`, it makes the
    settings' payment provider (one per process) at startup and closes it at shutdown. `clock`
    (seconds) drives the callers' cost budgets."""
    settings = settings or get_settings()
    # Fail at start, not at the first sign-in, when production has no signing key.
    tokens.signing_key(settings)
    budget = CostBudget(settings.cost_budget, settings.cost_restore_rate, clock) if settings.cost_budget else None
    state: dict = {"database": database, "payments": payments, "payments_owned": False}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        owned = state["database"] is None
        if owned:
            state["database"] = Database(resolve_url(settings), settings.pool_size,
                                         settings.statement_timeout_ms)
        await state["database"].read_pool()
        provider = graphql.payments()
        try:
            async with _worker_in_process(settings, state["database"], provider):
                await graphql.realtime.listener()  # subscribers hear of events from the start
                if owned:  # a server process: an app handed its database is an in-process client's
                    garbage_collector.settle()
                yield
        finally:
            ACCESS_LOG.flush()  # the last requests' lines, before the process ends
            await graphql.realtime.stop()
            if state["payments_owned"]:
                state["payments"], state["payments_owned"] = None, False
                await provider.close()
            if owned:
                await state["database"].close()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        try:
            ok = await state["database"].ping()
        except Exception:  # noqa: BLE001  (any failure means not ready)
            log.exception("readiness check failed")
            ok = False
        return JSONResponse({"status": "ready" if ok else "unavailable"}, status_code=200 if ok else 503)

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    graphql = GraphQLApp(build_schema(settings), settings, state, budget)
    app = _Service(
        routes=[
            Route("/graphql", graphql),  # the view answers other methods with 405, in JSON
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/downloads/{licence_id:int}/{device_id:int}", download_endpoint(settings, state)),
            Route(opt_out_links.PATH, opt_out_endpoint(settings, state), methods=["GET", "POST"]),
            *(graphiql.routes() if settings.development else []),
        ],
        lifespan=lifespan,
        exception_handlers=EXCEPTION_HANDLERS,
    )
    # Middleware order, outermost first: proxy headers, RequestMiddleware (request id, metrics,
    # body limits, CORS and the CSRF guard), compression, then the GraphQL view for its HTTP
    # requests and the routes for the rest. Compression sits inside RequestMiddleware so the
    # access log and metrics see every response, and outside anything that makes ETags or answers
    # If-None-Match, which thus work on uncompressed bodies (api/http/compression.py).
    app.add_middleware(_GraphQLFirst, graphql=graphql)
    if settings.compress_responses:
        app.add_middleware(CompressionMiddleware, minimum_size=settings.compress_min_bytes,
                           varied_paths=frozenset({"/graphql"}))  # every answer of the view names Accept-Encoding
    app.add_middleware(RequestMiddleware, max_body_bytes=settings.max_body_bytes,
                       cors=CorsPolicy.from_settings(settings, exposed_headers=caching.COST_HEADERS))
    if settings.trusted_proxy_list:
        # The one place the client's address is decided, before anything reads it (sign-in
        # throttling, cost budgets, sessions): the peer, or from a trusted proxy the right-most
        # X-Forwarded-For address that is not one of ours. `serve` turns uvicorn's own handling
        # off, whose default trusts 127.0.0.1 and would let a local client pick its address.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    return app
