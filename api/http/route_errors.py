"""Starlette's own refusals (no route at a path, a method a route does not take) as JSON GraphQL
errors with `extensions.code`, like every other error of the service, instead of plain text."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from api.http.graphql_request import error_response
from api.http.graphql_view import media_type

_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


async def http_error(request: Request, error: HTTPException) -> Response:
    if error.status_code == 404:
        message = "There is nothing at this path; the GraphQL API is at /graphql."
    elif error.status_code == 405:
        message = f"This path does not take {request.method}."
    else:
        message = error.detail
    return error_response(error.status_code, message, {"code": _CODES.get(error.status_code, "BAD_REQUEST")},
                          error.headers, media_type(request))


EXCEPTION_HANDLERS = {HTTPException: http_error}
