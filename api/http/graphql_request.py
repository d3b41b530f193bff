"""A GraphQL request over HTTP, parsed and checked in one place before anything else reads it.

A POST body (or a GET query string) holds one operation: a JSON object with `query` (a string)
and optionally `operationName` (a string), `variables` and `extensions` (objects). The JSON is
decoded by orjson, which holds to RFC 8259: it refuses bytes that are not UTF-8, lone
surrogates, NaN and Infinity, and nesting past 1,024 levels, all as a JSONDecodeError and
without recursing in Python. Then api/limits/input_limits.py checks every value.

A request that breaks a rule gets 400 (of the media type the client accepts, see
api/http/media_types.py) with a GraphQL error body, `{"errors": [{"message": ...,
"extensions": {"code": ..., "reason": ...}}]}`: code BAD_REQUEST for a body that is not such
an object, BAD_USER_INPUT for a value no field accepts (api/limits/input_limits.py).
"""
from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.responses import Response
from strawberry.http import GraphQLRequestData

from api.limits.input_limits import DEPTH_MESSAGE, SURROGATE_MESSAGE, InputRefused, check_json


class RequestRefused(Exception):
    """A request refused before it is executed, with its HTTP status and GraphQL error."""

    def __init__(self, message: str, code: str = "BAD_REQUEST", reason: str | None = None,
                 status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = {"code": code, **({"reason": reason} if reason else {})}
        self.status = status

    def response(self, media_type: str = "application/json") -> Response:
        return error_response(self.status, self.message, self.extensions, media_type=media_type)


def error_body(message: str, extensions: dict) -> bytes:
    return orjson.dumps({"errors": [{"message": message, "extensions": extensions}]})


def error_response(status: int, message: str, extensions: dict, headers: dict | None = None,
                   media_type: str = "application/json") -> Response:
    return Response(error_body(message, extensions), status_code=status, media_type=media_type, headers=headers)


def decode_json(data: bytes | str) -> object:
    """Decoded JSON whose every value passes api/limits/input_limits.py; raises RequestRefused."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise _undecodable(data, error) from None
    try:
        check_json(value)
    except InputRefused as refusal:
        raise RequestRefused(refusal.message, "BAD_USER_INPUT", refusal.reason) from None
    return value


def _undecodable(data: bytes | str, error: orjson.JSONDecodeError) -> RequestRefused:
    if isinstance(data, bytes):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            return RequestRefused(f"The request body is not UTF-8 (at byte {bad.start}).", reason="INVALID_ENCODING")
    # orjson words its errors but gives no kind; these two are the client's values, not syntax.
    if "surrogate" in error.msg:
        return RequestRefused(SURROGATE_MESSAGE, "BAD_USER_INPUT", "INVALID_CHARACTER")
    if "depth" in error.msg or "recursion" in error.msg:
        return RequestRefused(DEPTH_MESSAGE, "BAD_USER_INPUT", "JSON_TOO_DEEP")
    return RequestRefused(f"The request is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno}).",
                          reason="INVALID_JSON")


def from_body(body: bytes) -> GraphQLRequestData:
    return _operation(decode_json(body))


def from_query_params(params: Mapping[str, str]) -> GraphQLRequestData:
    """A GET request's operation: `variables` and `extensions` are JSON in the query string."""
    data: dict[str, object] = {"query": params.get("query"), "operationName": params.get("operationName")}
    for name in ("variables", "extensions"):
        if params.get(name):
            data[name] = decode_json(params[name])
    try:
        check_json(data)
    except InputRefused as refusal:
        raise RequestRefused(refusal.message, "BAD_USER_INPUT", refusal.reason) from None
    return _operation(data)


# An operation's members, each of its type or null.
_MEMBERS = (("query", str | None, "a string"), ("operationName", str | None, "a string"),
            ("variables", dict | None, "an object"), ("extensions", dict | None, "an object"))


def _operation(data: object) -> GraphQLRequestData:
    if isinstance(data, list):
        raise RequestRefused("Send one operation per request: batches are not supported.",
                             reason="BATCHING_NOT_SUPPORTED")
    if not isinstance(data, dict):
        raise RequestRefused("The request must be a JSON object with a `query`.", reason="INVALID_REQUEST")
    for name, kind, wording in _MEMBERS:
        if not isinstance(data.get(name), kind):
            raise RequestRefused(f"`{name}` must be {wording} (or null).", reason="INVALID_REQUEST")
    return GraphQLRequestData(query=data.get("query"), variables=data.get("variables"),
                              operation_name=data.get("operationName"), extensions=data.get("extensions"))
