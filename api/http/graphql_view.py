"""What strawberry's ASGI view answers, made to follow GraphQL over HTTP (api/http/media_types.py):
the media type the client accepts, 4xx without `data` for refused operations when it accepts
`application/graphql-response+json`, `Retry-After` on THROTTLED, and a JSON GraphQL error with
`extensions.code` for each of strawberry's own refusals instead of its plain text."""
from __future__ import annotations

from functools import cached_property

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from api.http import media_types
from api.http.cors import CorsPolicy
from api.http.graphql_request import RequestRefused, error_response
from api.http.headers import add_vary


def media_type(request: Request) -> str:
    """The media type of any answer to `request` (JSON when the client accepts neither)."""
    return media_types.negotiate(request.headers.get("accept")) or media_types.JSON


def require_acceptable(accept: str | None) -> None:
    """Raises 406 when the Accept header allows neither JSON media type."""
    if media_types.negotiate(accept) is None:
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


class GraphQLOverHTTP:
    """Mixed into strawberry's ASGI view (before it in the bases)."""

    async def get_sub_response(self, request: Request) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = media_type(request)
        request.state.graphql_sub_response = sub_response
        return sub_response

    async def process_result(self, request: Request, result) -> dict:
        response = await super().process_result(request, result)
        sub_response: Response = request.state.graphql_sub_response
        # Which executor served it (development only) is the request's, not the document's: a
        # header, so that a public answer's body stays the same for every request.
        extensions = response.get("extensions")
        if isinstance(extensions, dict) and "executor" in extensions:
            sub_response.headers["x-tributary-executor"] = extensions.pop("executor")
            if not extensions:
                response.pop("extensions")
        seconds = media_types.retry_after(result.errors)
        if seconds is not None:
            sub_response.headers["retry-after"] = str(seconds)
        if (sub_response.media_type == media_types.GRAPHQL_RESPONSE
                and media_types.refused_before_execution(result.data, result.errors)):
            response.pop("data", None)
            sub_response.status_code = media_types.refusal_status(result.errors)
        return response

    def create_response(self, response_data, sub_response: Response) -> Response:
        response = Response(self.encode_json(response_data), status_code=sub_response.status_code or 200,
                            media_type=sub_response.media_type)
        # The body depends on Accept (its media type, and with it the status and `data`).
        response.headers.raw[:] = add_vary([*response.headers.raw, *sub_response.headers.raw], b"Accept")
        if sub_response.background:
            response.background = sub_response.background
        return response

    @cached_property
    def cors_policy(self) -> CorsPolicy:
        return CorsPolicy.from_settings(self.settings)

    def is_websocket_origin_allowed(self, request, origin: str) -> bool:
        """A page on another origin may open a WebSocket when it may call the API over HTTP."""
        return self.cors_policy.allows(origin)
