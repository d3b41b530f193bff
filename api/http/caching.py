"""HTTP caching of public reads, and the caller's cost budget in headers.

A query sent with GET without credentials (no `Authorization`, no `X-Api-Client-Key`) that
completes without errors and selects only fields hinted public (api/http/cache_policy.py) is
answered with `Cache-Control: public, max-age=N` (N the tightest hint) and a strong `ETag`, a
hash of the body; a request whose `If-None-Match` holds that tag is answered 304 with no body.
Its body is the same for every caller: the cost and the caller's budget are in the `X-Cost-*`
headers only. Every other answer of the GraphQL endpoint is `no-store` (`private, no-store`
when the request carried credentials or selected private data), with the cost and budget in
`extensions.cost` as well as in the headers.
"""
from __future__ import annotations

import hashlib

from starlette.responses import Response

from api.http.cache_policy import CREDENTIAL_HEADERS
from api.http.headers import add_vary, header, set_header

# The caller's cost and budget on every answer that ran an operation (docs/http-caching.md):
# exposed to browsers on other origins by the CORS settings.
COST_HEADERS = ("X-Cost-Requested", "X-Cost-Maximum", "X-Cost-Available", "X-Cost-Capacity",
                "X-Cost-Restore-Rate")
# What a cached answer depends on besides the URL: the media type and content coding it was
# negotiated for, and the credentials that make a request not public.
VARY = ("Accept", "Accept-Encoding", "Authorization", "X-Api-Client-Key")
# What a 304 repeats of the answer it stands for (RFC 9110, section 15.4.5).
_KEPT_ON_304 = ("cache-control", "etag", "vary", "content-location", "expires", *(h.lower() for h in COST_HEADERS))
_MEDIA_TYPES = ("application/json", "application/graphql-response+json")
# The same names as raw header keys: `finish` edits the response's raw header list in place,
# where each of Starlette's `MutableHeaders` operations decodes and compares every header.
_VARY_KEYS = tuple(name.encode("latin-1") for name in VARY)
_COST_KEYS = dict(zip(COST_HEADERS, (name.lower().encode("latin-1") for name in COST_HEADERS), strict=True))


def cost_headers(report: dict | None) -> dict[str, str]:
    """`extensions.cost` as headers (only the values it has)."""
    if not report:
        return {}
    status = report.get("throttleStatus") or {}
    values = zip(COST_HEADERS, (report.get("requestedQueryCost"), report.get("maximumCost"),
                                status.get("currentlyAvailable"), status.get("maximumAvailable"),
                                status.get("restoreRate")), strict=True)
    return {name: f"{value:g}" if isinstance(value, float) else str(value)
            for name, value in values if value is not None}


def entity_tag(body: bytes) -> str:
    """A strong tag: the same bytes always give the same tag, other bytes another."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether `If-None-Match` names `tag`, compared weakly as RFC 9110 wants for it (so a tag
    a compressing proxy made weak, `W/"..."`, still matches)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(candidate.strip().removeprefix("W/") == tag for candidate in if_none_match.split(","))


def finish(request, context, response: Response) -> Response:
    """The GraphQL view's answer with its cache and cost headers; a 304 in its place when the
    client already holds it."""
    raw = response.raw_headers  # the list `response.headers` reads too
    raw[:] = add_vary(raw, *_VARY_KEYS)
    media_type = (header(raw, b"content-type") or b"").split(b";")[0].strip().decode("latin-1")
    if media_type not in _MEDIA_TYPES:
        return response  # the GraphiQL page: only `Vary`, as the same URL answers JSON too
    for name, value in cost_headers(getattr(context, "cost_report", None)).items():
        set_header(raw, _COST_KEYS[name], value)
    hint = getattr(context, "cache_hint", None)
    if response.status_code != 200 or hint is None or not hint.public:
        private = (hint is not None and hint.private) or any(request.headers.get(h) for h in CREDENTIAL_HEADERS)
        set_header(raw, b"cache-control", "private, no-store" if private else "no-store")
        return response
    tag = entity_tag(response.body)
    set_header(raw, b"cache-control", f"public, max-age={hint.max_age}")
    set_header(raw, b"etag", tag)
    if matches(request.headers.get("if-none-match"), tag):
        kept = {k: v for k, v in response.headers.items() if k in _KEPT_ON_304}
        return Response(status_code=304, headers=kept)
    return response


def not_stored(response: Response) -> Response:
    """A refusal before anything ran (a malformed request, a method other than GET and POST):
    never stored, though some of their statuses (404, 405) are cacheable by default."""
    response.headers.setdefault("cache-control", "no-store")
    return response
