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
from api.http.headers import add_vary

# The caller's cost and budget on every answer that ran an operation (docs/http-caching.md):
# exposed to browsers on other origins by the CORS settings.
COST_HEADERS = ("X-Cost-Requested", "X-Cost-Maximum", "X-Cost-Available", "X-Cost-Capacity",
                "X-Cost-Restore-Rate")
# What a cached answer depends on besides the URL: the media type and content coding it was
# negotiated for, and the credentials that make a request not public.
VARY = ("Accept", "Accept-Encoding", "Authorization", "X-Api-Client-Key")
# What a 304 repeats of the answer it stands for (RFC 9110, section 15.4.5).
_KEPT_ON_304 = frozenset(name.encode("latin-1") for name in ("cache-control", "etag", "vary", "content-location",
                                                              "expires", *(h.lower() for h in COST_HEADERS)))
# The same as raw headers, which `finish` writes.
_VARY_VALUE = ", ".join(VARY).encode("latin-1")
_VARY_KEYS = tuple(name.encode("latin-1") for name in VARY)
_COST_KEYS = tuple(name.lower().encode("latin-1") for name in COST_HEADERS)


def cost_headers(report: dict | None) -> list[tuple[bytes, bytes]]:
    """`extensions.cost` as raw headers (only the values it has)."""
    if not report:
        return []
    status = report.get("throttleStatus")
    if status is None:
        values = (report.get("requestedQueryCost"), report.get("maximumCost"))
    else:
        values = (report.get("requestedQueryCost"), report.get("maximumCost"), status.get("currentlyAvailable"),
                  status.get("maximumAvailable"), status.get("restoreRate"))
    return [(name, _TEXTS.get((value, value.__class__)) or _text(value))
            for name, value in zip(_COST_KEYS, values) if value is not None]


# Header values of numbers already written, by value and type (1 and 1.0 are equal keys, but not
# always the same text): a caller's costs, limits and levels are the same few numbers request
# after request.
_TEXTS: dict[tuple[float, type], bytes] = {}
_MAX_TEXTS = 4096


def _text(value: float) -> bytes:
    text = (f"{value:g}" if isinstance(value, float) else str(value)).encode("latin-1")
    if len(_TEXTS) < _MAX_TEXTS:
        _TEXTS[(value, value.__class__)] = text
    return text


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


def finish(request, context, status: int, headers: list[tuple[bytes, bytes]],
           body: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """An operation's answer (status, raw headers, body), whose `headers` have no `Vary`, cost or
    cache headers yet, with them added; a 304 in its place when the client already holds it."""
    headers.append((b"vary", _VARY_VALUE))
    headers += cost_headers(getattr(context, "cost_report", None))
    hint = getattr(context, "cache_hint", None)
    if status != 200 or hint is None or not hint.public:
        private = (hint is not None and hint.private) or any(request.headers.get(h) for h in CREDENTIAL_HEADERS)
        headers.append((b"cache-control", b"private, no-store" if private else b"no-store"))
        return status, headers, body
    tag = entity_tag(body)
    headers += ((b"cache-control", f"public, max-age={hint.max_age}".encode("latin-1")),
                (b"etag", tag.encode("latin-1")))
    if matches(request.headers.get("if-none-match"), tag):
        return 304, [(key, value) for key, value in headers if key in _KEPT_ON_304], b""
    return status, headers, body


def vary(response: Response) -> Response:
    """A response of the GraphQL endpoint's URL that is not an operation's answer (the GraphiQL
    page, a refusal) with the `Vary` every answer there has, as the same URL answers JSON too."""
    response.raw_headers[:] = add_vary(response.raw_headers, *_VARY_KEYS)
    return response


def not_stored(response: Response) -> Response:
    """A refusal before anything ran (a malformed request, a method other than GET and POST):
    never stored, though some of their statuses (404, 405) are cacheable by default."""
    response.headers.setdefault("cache-control", "no-store")
    return response
