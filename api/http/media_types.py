"""Which media type a GraphQL response is sent as, and its status (GraphQL over HTTP,
https://graphql.github.io/graphql-over-http/draft/).

- `Accept: application/graphql-response+json` (preferred, or listed beside `application/json` at
  the same weight): the answer is of that type. A request error, a document that does not parse
  or validate, variables that do not fit, and any other refusal before execution (cost limits,
  THROTTLED) is a 4xx with no `data` entry; an executed operation is 200, errors or not.
- `application/json`, `*/*`, `application/*` or no Accept: `application/json`, and 200 for every
  GraphQL result (what clients written before the media type expect); request errors are 4xx.
- An Accept that allows neither: 406.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from graphql import GraphQLError

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"

# Status of a result refused before execution, sent as GRAPHQL_RESPONSE, by its first error's
# code; any other code is 400. A feature with a refusal of its own adds its code here.
REFUSAL_STATUS = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "THROTTLED": 429, "INTERNAL_SERVER_ERROR": 500,
                  "TIMEOUT": 503}


def _weights(accept: str) -> dict[str, float]:
    """The weight (q) of each media range of an Accept header, by lower-case range."""
    weights: dict[str, float] = {}
    for part in accept.split(","):
        essence, *params = part.split(";")
        essence = essence.strip().lower()
        if not essence:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0  # a weight that is not a number: the range is left out
        weights[essence] = max(q, weights.get(essence, 0.0))
    return weights


def negotiate(accept: str | None) -> str | None:
    """`choose`, remembered for the few Accept headers clients send (and only for short ones, so
    that no caller can fill the memory)."""
    if accept is None or len(accept) > 256:
        return choose(accept)
    return _remembered(accept)


def choose(accept: str | None) -> str | None:
    """The media type to answer with, or None when the Accept header allows neither JSON type.
    Each type takes the weight of the most specific range that names it; at equal weight one
    named outright beats one matched by a wildcard, GRAPHQL_RESPONSE beats JSON when both are
    named, and JSON wins when only wildcards match (as clients that predate the type expect)."""
    if accept is None or not accept.strip():
        return JSON
    weights = _weights(accept)

    def weight(media_type: str) -> tuple[float, bool]:
        for candidate in (media_type, "application/*", "*/*"):
            if candidate in weights:
                return weights[candidate], candidate == media_type
        return 0.0, False

    json_q, json_named = weight(JSON)
    graphql_q, graphql_named = weight(GRAPHQL_RESPONSE)
    if max(json_q, graphql_q) <= 0:
        return None
    if (graphql_q, graphql_named) > (json_q, json_named) or (graphql_q == json_q and graphql_named and json_named):
        return GRAPHQL_RESPONSE
    return JSON


_remembered = lru_cache(maxsize=256)(choose)


def refused_before_execution(data: object, errors: Sequence[GraphQLError] | None) -> bool:
    """Whether a result holds no execution: no data, and only errors that no field raised (a
    field's error has a path)."""
    return data is None and bool(errors) and all(error.path is None for error in errors)


def refusal_status(errors: Sequence[GraphQLError]) -> int:
    code = (errors[0].extensions or {}).get("code")
    return REFUSAL_STATUS.get(code, 400)


def retry_after(errors: Sequence[GraphQLError] | None) -> int | None:
    """Whole seconds to wait when the operation was THROTTLED (its error says how long)."""
    for error in errors or ():
        extensions = error.extensions or {}
        seconds = extensions.get("retryAfterSeconds")
        if extensions.get("code") == "THROTTLED" and isinstance(seconds, int | float):
            return max(1, -int(-seconds // 1))
    return None
