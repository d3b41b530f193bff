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
from api.http.graphql_view import GraphQLOverHTTP, refusal_response, require_acceptable
from api.http.middleware import RequestMiddleware
from api.http.persisted_queries import PersistedDocuments
from api.http.route_errors import EXCEPTION_HANDLERS
from api.limits.budget import CostBudget
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

class GraphQLApp(GraphQLOverHTTP, GraphQL):
    """Strawberry's ASGI view with our per-request context, closed after each request. Requests
    are parsed by api/http/graphql_request.py, answers follow GraphQL over HTTP
    (api/http/graphql_view.py), and every refusal before execution, ours or strawberry's, is a
    GraphQL error in JSON, never plain text."""

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

    async def render_graphql_ide(self, request) -> Response:
        return graphiql.page_response()  # self-hosted, under a strict CSP (api/http/graphiql/)

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

    async def parse_http_body(self, request) -> GraphQLRequestData:
        require_acceptable(request.headers.get("accept"))
        if request.method == "GET":
            return graphql_request.from_query_params(request.query_params)
        return graphql_request.from_body(await request.get_body())

    def should_render_graphql_ide(self, request) -> bool:
        # A GET with only a persisted query's hash has no `query`, yet is an operation.
        return super().should_render_graphql_ide(request) and "extensions" not in request.query_params

    async def execute_single(self, request, request_adapter, sub_response, context, root_value, request_data):
        # API client keys, persisted queries and trusted documents (api/http/persisted_queries.py).
        request_data = await self.documents.resolve(request_data, context)
        # strawberry's, with subscriptions refused: they are served over WebSocket only (a refusal
        # before execution, api/http/graphql_view.py), never run as a query.
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(
                request_data.query, root_value=root_value, variable_values=request_data.variables,
                context_value=context, operation_name=request_data.operation_name,
                allowed_operation_types=allowed, operation_extensions=request_data.extensions)
        except CannotGetOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason()) from e
        except InvalidOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason(request_adapter.method)) from e
        except MissingQueryError as e:
            raise HTTPException(400, "No GraphQL query found in the request") from e

    async def on_ws_connect(self, context):
        await self.documents.check_websocket(context)  # API client keys and trusted documents
        await realtime_connection.accept(context)  # credentials and connections per account
        return await super().on_ws_connect(context)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.run(request)
        except (graphql_request.RequestRefused, HTTPException) as refusal:
            response = refusal_response(request, refusal)
        await caching.not_stored(response)(scope, receive, send)

    async def run(self, request, context=None, root_value=None):
        database: Database = self.state["database"]
        reader = await database.reader()
        ctx = Context(settings=self.settings, database=database, reader=reader, request=request,
                      request_id=request_id.get(), payments=self.payments(), budget=self.budget,
                      realtime=self.realtime)
        try:
            if request.scope["type"] != "http":
                return await super().run(request, context=ctx, root_value=None)
            return caching.finish(request, ctx, await self._answer(request, ctx))
        finally:
            await reader.close()

    async def _answer(self, request: Request, context: Context) -> Response:
        """Strawberry's `run` for an HTTP request, as it goes for this view: requests are parsed
        (and bad JSON refused) by `parse_http_body` into one operation over plain HTTP (no
        batches, no streamed transports) and subscriptions are refused, so the result is one
        `ExecutionResult`. Written out, it leaves out strawberry's runtime protocol checks of
        the result for the kinds that cannot come (a subscription stream, incremental delivery),
        which cost more than a small query's execution."""
        request_adapter = self.request_adapter_class(request)
        sub_response = await self.get_sub_response(request)
        if not self.is_request_allowed(request_adapter):
            raise HTTPException(405, "GraphQL only supports GET and POST requests.")
        if self.should_render_graphql_ide(request_adapter):
            if self.graphql_ide:
                return await self.render_graphql_ide(request)
            raise HTTPException(404, "Not Found")
        request_data = await self.parse_http_body(request_adapter)
        result = await self.execute_single(request=request, request_adapter=request_adapter,
                                           sub_response=sub_response, context=context, root_value=None,
                                           request_data=request_data)
        response_data = await self.process_result(request=request, result=result)
        if result.errors:
            self._handle_errors(result.errors, response_data)
        return self.create_response(response_data=response_data, sub_response=sub_response)


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
    app = Starlette(
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
    # body limits, CORS and the CSRF guard), compression, then the routes. Compression sits inside
    # RequestMiddleware so the access log and metrics see every response, and outside anything
    # that makes ETags or answers If-None-Match, which thus work on uncompressed bodies
    # (api/http/compression.py).
    if settings.compress_responses:
        app.add_middleware(CompressionMiddleware, minimum_size=settings.compress_min_bytes)
    app.add_middleware(RequestMiddleware, max_body_bytes=settings.max_body_bytes,
                       cors=CorsPolicy.from_settings(settings, exposed_headers=caching.COST_HEADERS))
    if settings.trusted_proxy_list:
        # The one place the client's address is decided, before anything reads it (sign-in
        # throttling, cost budgets, sessions): the peer, or from a trusted proxy the right-most
        # X-Forwarded-For address that is not one of ours. `serve` turns uvicorn's own handling
        # off, whose default trusts 127.0.0.1 and would let a local client pick its address.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    return app
