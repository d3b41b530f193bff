"""Pure ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware on every request):
request ids, Prometheus metrics, CORS, request body limits, content types and access logs.

CORS (api/http/cors.py) is applied here, outside every other rule, so that a page on an allowed
origin can read each answer, refusals included, and preflights are logged like any request.

A POST to /graphql must be `application/json`. One a browser could send from any site without
a preflight (no content type, or one an HTML form sends, and no preflight-forcing header) is
refused as a possible CSRF (400, api/http/csrf.py) before the body is read; any other type with
415. This is the only content-type check: api/http/graphql_request.py reads every POST body that
gets through as JSON. GET carries queries only (strawberry refuses mutations over GET), and
batches are refused. Every refusal is a GraphQL error of the media type the client accepts."""
from __future__ import annotations

import logging
import os
import time
import uuid

from api.http import csrf, media_types
from api.http.cors import CorsPolicy
from api.http.graphql_request import error_body
from api.http.headers import add_vary
from api.observability.access_log import ACCESS_LOG
from api.observability.logging_setup import request_id
from api.observability.request_metrics import REQUEST_METRICS

errors_log = logging.getLogger("tributary.errors")

_KNOWN_PATHS = {"/graphql", "/healthz", "/readyz", "/metrics"}
_NO_ORIGINS = CorsPolicy(frozenset())


class RequestMiddleware:
    def __init__(self, app, max_body_bytes: int, cors: CorsPolicy = _NO_ORIGINS) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.cors = cors

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        # 128 random bits in hex, as a UUID's hex without the version digits (a fifth of its cost).
        rid = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or os.urandom(16).hex()
        token = request_id.set(rid)
        path = scope["path"] if scope["path"] in _KNOWN_PATHS else "other"
        status = 500
        started = time.perf_counter()
        covered = self.cors.covers(scope["path"])
        rid_header = (b"x-request-id", rid.encode())
        cors_headers = self.cors.response_headers(headers.get(b"origin")) if covered else []

        def finish(response_headers: list, cors: bool = True) -> list:
            """The response's headers with the request id and, on CORS paths, CORS's."""
            combined = [*response_headers, rid_header, *(cors_headers if cors else ())]
            return add_vary(combined, b"Origin") if covered and self.cors.varies else combined

        refusal = self._refusal(scope, headers)
        preflight = b"origin" in headers and b"access-control-request-method" in headers
        if scope["method"] == "OPTIONS" and ((covered and preflight) or scope["path"] == "/graphql"):
            status = await self._options(send, headers.get(b"origin") if preflight else None, finish,
                                         _media_type(headers))
        elif refusal is not None:
            status = refusal[0]
            await _refuse(send, *refusal, finish, _media_type(headers))
        else:
            # A declared length within the limit (`_refusal` checked it) bounds the body: HTTP
            # frames it by that length. Only a body sent in chunks is counted as it arrives.
            bounded = receive if b"content-length" in headers else _counted(receive, self.max_body_bytes)
            started_response = False

            def send_finish(message):
                # Not a coroutine of its own: what it gives to be awaited is `send`'s.
                nonlocal status, started_response
                if message["type"] == "http.response.start":
                    status, started_response = message["status"], True
                    message["headers"] = finish(list(message.get("headers", [])))
                return send(message)

            try:
                await self.app(scope, bounded, send_finish)
            except _BodyTooLarge:
                await _refuse(send, *self._too_large(), finish, _media_type(headers))
                status = 413
            except Exception:
                if started_response:
                    raise
                # A bug outside GraphQL's own error handling: answered here, so the answer has
                # the request id and CORS headers a page needs to read it, and logged with an id.
                error_id = uuid.uuid4().hex
                errors_log.exception("unexpected error %s", error_id, extra={"error_id": error_id})
                await _refuse(send, 500, "Unexpected error.", {"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
                              finish, _media_type(headers))
                status = 500
        elapsed = time.perf_counter() - started
        REQUEST_METRICS.observe(scope["method"], path, status, elapsed)
        ACCESS_LOG.write(rid, scope["method"], scope["path"], status, round(elapsed * 1000, 2))
        request_id.reset(token)

    def _refusal(self, scope, headers: dict) -> tuple[int, str, dict] | None:
        """Why the request is refused before the app sees it: (status, message, extensions)."""
        declared = headers.get(b"content-length", b"0") or b"0"
        if not declared.isdigit():
            return 400, "The Content-Length header is not a number of bytes.", {"code": "BAD_REQUEST"}
        if len(declared) > 15 or int(declared) > self.max_body_bytes:
            return self._too_large()
        if scope["path"] != "/graphql" or scope["method"] != "POST":
            return None
        if csrf.could_be_forged(scope["method"], headers):
            return 400, csrf.MESSAGE, {"code": "BAD_REQUEST", "reason": "CSRF"}
        if not _json(scope, headers):
            return 415, "Send the request as `Content-Type: application/json`.", {"code": "UNSUPPORTED_MEDIA_TYPE"}
        return None

    def _too_large(self) -> tuple[int, str, dict]:
        return 413, f"The request body is over {self.max_body_bytes} bytes.", {"code": "REQUEST_TOO_LARGE"}

    async def _options(self, send, origin: bytes | None, finish, media_type: bytes) -> int:
        """A CORS preflight from `origin` (204, or 403 from an origin that is not allowed), or with
        no origin a plain OPTIONS request to /graphql (204 with the methods it takes)."""
        if origin is None:
            await _send(send, 204, [(b"allow", b"GET, POST, OPTIONS")], b"", finish)
            return 204
        allowed = self.cors.preflight_headers(origin)
        if allowed is None:
            await _refuse(send, 403, f"Pages on {origin.decode('latin-1')[:200]} may not call this API: its origin is "
                          "not in TRIBUTARY_CORS_ORIGINS.", {"code": "FORBIDDEN", "reason": "ORIGIN_NOT_ALLOWED"},
                          finish, media_type)
            return 403
        # The preflight's own CORS headers, not an ordinary answer's (which expose headers).
        await _send(send, 204, allowed, b"", lambda response_headers: finish(response_headers, cors=False))
        return 204


class _BodyTooLarge(Exception):
    pass


def _counted(receive, max_body_bytes: int):
    """`receive`, raising `_BodyTooLarge` once the body's messages add up to more than
    `max_body_bytes`."""
    received = 0

    async def counted_receive():
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > max_body_bytes:
            raise _BodyTooLarge
        return message

    return counted_receive


def _media_type(headers: dict) -> bytes:
    """The media type of a refusal: the JSON type the client accepts (api/http/media_types.py)."""
    accept = headers.get(b"accept")
    return (media_types.negotiate(accept.decode("latin-1") if accept else None) or media_types.JSON).encode()


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


async def _send(send, status: int, headers: list, body: bytes, finish) -> None:
    await send({"type": "http.response.start", "status": status, "headers": finish(headers)})
    await send({"type": "http.response.body", "body": body})


async def _refuse(send, status: int, message: str, extensions: dict, finish, media_type: bytes) -> None:
    await _send(send, status, [(b"content-type", media_type)], error_body(message, extensions), finish)
