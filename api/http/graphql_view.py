"""What the GraphQL endpoint answers over HTTP, following GraphQL over HTTP (api/http/media_types.py):
the media type the client accepts, 4xx without `data` for refused operations when it accepts
`application/graphql-response+json`, `Retry-After` on THROTTLED, and a JSON GraphQL error with
`extensions.code` for each of strawberry's own refusals instead of its plain text."""
from __future__ import annotations

from functools import cached_property

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.exceptions import MissingQueryError
from strawberry.http import process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from api.http import media_types
from api.http.cors import CorsPolicy
from api.http.graphql_request import RequestRefused, error_response


def media_type(request: Request) -> str:
    """The media type of any answer to `request` (JSON when the client accepts neither)."""
    return media_types.negotiate(request.headers.get("accept")) or media_types.JSON


def require_acceptable(accept: str | None) -> str:
    """The media type of the answer; raises 406 when the Accept header allows neither JSON type."""
    chosen = media_types.negotiate(accept)
    if chosen is not None:
        return chosen
    raise RequestRefused(f"Responses are {media_types.GRAPHQL_RESPONSE} or {media_types.JSON}; "
                         "the Accept header allows neither.", "NOT_ACCEPTABLE", status=406)


def refusal_response(request: Request, error: Exception) -> Response:
    """The answer to a request refused before execution, ours (RequestRefused) or strawberry's."""
    if isinstance(error, RequestRefused):
        return error_response(error.status, error.message, error.extensions, media_type=media_type(request))
    assert isinstance(error, HTTPException)
    status, message, extensions, headers = error.status_code, error.reason, {"code": "BAD_REQUEST"}, None
    cause = error.__cause__
    if isinstance(cause, InvalidOperationTypeError) and cause.operation_type == OperationType.SUBSCRIPTION:
        message = "Subscriptions are served over WebSocket (graphql-transport-ws) at this URL, not over HTTP."
        extensions["reason"] = "SUBSCRIPTION_OVER_HTTP"
    elif isinstance(cause, InvalidOperationTypeError):
        status, headers = 405, {"allow": "POST"}
        message = f"{error.reason[0].upper()}{error.reason[1:]}: send them with POST."
        extensions = {"code": "METHOD_NOT_ALLOWED", "reason": "OPERATION_NOT_ALLOWED_OVER_GET"}
    elif isinstance(cause, CannotGetOperationTypeError):
        extensions["reason"] = "UNKNOWN_OPERATION"
        if cause.operation_name is None:
            message = "The document has no operation to run."
    elif isinstance(cause, MissingQueryError):
        extensions["reason"] = "MISSING_QUERY"
    elif status == 405:
        headers, extensions = {"allow": "GET, POST, OPTIONS"}, {"code": "METHOD_NOT_ALLOWED"}
    elif status == 404:
        extensions = {"code": "NOT_FOUND"}
    return error_response(status, message, extensions, headers, media_type(request))


def answer(result: ExecutionResult, media_type: str) -> tuple[int, list[tuple[bytes, bytes]], dict]:
    """The HTTP answer to an operation's result, sent as `media_type`: its status, its headers
    (the body's type and those the result calls for; api/http/caching.py adds `Vary`, as the
    media type depends on Accept) and its JSON."""
    response = process_result(result)
    headers = [(b"content-type", media_type.encode("latin-1"))]
    # Which executor served it (development only) is the request's, not the document's: a
    # header, so that a public answer's body stays the same for every request.
    extensions = response.get("extensions")
    if isinstance(extensions, dict) and "executor" in extensions:
        headers.append((b"x-tributary-executor", extensions.pop("executor").encode("latin-1")))
        if not extensions:
            response.pop("extensions")
    seconds = media_types.retry_after(result.errors)
    if seconds is not None:
        headers.append((b"retry-after", str(seconds).encode("latin-1")))
    status = 200
    if media_type == media_types.GRAPHQL_RESPONSE and media_types.refused_before_execution(result.data, result.errors):
        response.pop("data", None)
        status = media_types.refusal_status(result.errors)
    return status, headers, response


class GraphQLOverHTTP:
    """Mixed into strawberry's ASGI view (before it in the bases), for its WebSocket protocol."""

    @cached_property
    def cors_policy(self) -> CorsPolicy:
        return CorsPolicy.from_settings(self.settings)

    def is_websocket_origin_allowed(self, request, origin: str) -> bool:
        """A page on another origin may open a WebSocket when it may call the API over HTTP."""
        return self.cors_policy.allows(origin)
