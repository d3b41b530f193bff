"""Pure ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware on every request):
request ids, Prometheus metrics, request body limits, content types and access logs.

A POST to /graphql must be `application/json`. The content types a browser may send across
origins without asking first (`text/plain`, `application/x-www-form-urlencoded`,
`multipart/form-data`: a plain HTML form) are refused with 415 before the body is read, so
no other site can make a visitor's browser run a mutation (CSRF). This is the only content-type
check: api/http/graphql_request.py reads every POST body that gets through as JSON. GET carries
queries only (strawberry refuses mutations over GET), and batches are refused."""
from __future__ import annotations

import logging
import time
import uuid

from prometheus_client import Counter, Histogram

from api.http.graphql_request import error_body
from api.observability.logging_setup import request_id

log = logging.getLogger("tributary.access")

REQUESTS = Counter("tributary_http_requests_total", "HTTP requests", ["method", "path", "status"])
LATENCY = Histogram("tributary_http_request_seconds", "HTTP request latency", ["path"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
_KNOWN_PATHS = {"/graphql", "/healthz", "/readyz", "/metrics"}


class RequestMiddleware:
    def __init__(self, app, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        rid = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or uuid.uuid4().hex
        token = request_id.set(rid)
        path = scope["path"] if scope["path"] in _KNOWN_PATHS else "other"
        status = 500
        started = time.perf_counter()
        declared = headers.get(b"content-length", b"0") or b"0"
        if not declared.isdigit():
            await _refuse(send, rid, 400, "The Content-Length header is not a number of bytes.", "BAD_REQUEST")
            status = 400
        elif len(declared) > 15 or int(declared) > self.max_body_bytes:
            await _too_large(send, rid, self.max_body_bytes)
            status = 413
        elif scope["method"] == "POST" and scope["path"] == "/graphql" and not _json(scope, headers):
            await _refuse(send, rid, 415, "Send the request as `Content-Type: application/json`.",
                          "UNSUPPORTED_MEDIA_TYPE")
            status = 415
        else:
            received = 0

            async def limited_receive():
                nonlocal received
                message = await receive()
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge
                return message

            async def send_with_id(message):
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
                await send(message)

            try:
                await self.app(scope, limited_receive, send_with_id)
            except _BodyTooLarge:
                await _too_large(send, rid, self.max_body_bytes)
                status = 413
        elapsed = time.perf_counter() - started
        REQUESTS.labels(scope["method"], path, str(status)).inc()
        LATENCY.labels(path).observe(elapsed)
        log.info("request", extra={"method": scope["method"], "path": scope["path"],
                                   "status": status, "ms": round(elapsed * 1000, 2)})
        request_id.reset(token)


class _BodyTooLarge(Exception):
    pass


def _json(scope, headers: dict) -> bool:
    """Whether the body is declared JSON (media types are case-insensitive: one in other case is
    passed on in lower case, as strawberry compares it as written)."""
    content_type = headers.get(b"content-type")
    if content_type is None:
        return False
    essence, semicolon, params = content_type.partition(b";")
    if essence == b"application/json":
        return True
    if essence.strip().lower() != b"application/json":
        return False
    scope["headers"] = [(k, b"application/json" + semicolon + params if k == b"content-type" else v)
                        for k, v in scope["headers"]]
    return True


async def _too_large(send, rid: str, limit: int) -> None:
    await _refuse(send, rid, 413, f"The request body is over {limit} bytes.", "REQUEST_TOO_LARGE")


async def _refuse(send, rid: str, status: int, message: str, code: str) -> None:
    body = error_body(message, {"code": code})
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"x-request-id", rid.encode())]})
    await send({"type": "http.response.body", "body": body})
