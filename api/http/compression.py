"""Response compression: brotli or gzip, as the client's Accept-Encoding allows, for bodies of a
compressible media type (JSON, HTML, JavaScript, CSS, text) at or above a size threshold.

The encoders and the ASGI plumbing are starlette-compress's (one-shot bodies compressed whole,
streamed bodies chunk by chunk; 304s, bodies that already carry a Content-Encoding and binary
media types such as EPUB or video pass untouched). Around it, this module adds what it leaves
out:

- Negotiation by q-value: the coding with the highest q among `br` and `gzip` wins, brotli on a
  tie; `q=0` refuses a coding, `*` stands for the codings not named, and an `identity` named
  with a higher q than both keeps the body uncompressed. zstd is not offered.
- Strong ETags per representation: a compressed body is not byte-for-byte the body its
  uncompressed ETag names, so a strong ETag gets the coding as a suffix (`"abc"` becomes
  `"abc-br"` or `"abc-gzip"`, as Apache's mod_deflate does). On the way in, If-None-Match tags
  carrying such a suffix are also passed on without it, so whatever answers conditional
  requests behind this middleware compares the tags it made; a 304 then names the tag the client
  sent. Weak ETags stay as they are.
- `Vary: Accept-Encoding` on every response, compressed or not (304s included), once: whether
  a body is compressed depends on the request's Accept-Encoding, so a cache keeps one copy per
  coding.
"""
from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette_compress import CompressMiddleware, add_compress_type

from api.http.headers import NAME, add_vary

# Levels for bodies compressed per request (bench/compression.py): a page costs a tenth of a
# millisecond of CPU or so at either, a few percent of its own time to serve, for bodies 5 to 10%
# larger than the slowest levels make (brotli 11 costs a hundred times more).
BROTLI_QUALITY = 4
GZIP_LEVEL = 4
# Server preference between codings of equal q.
CODINGS = ("br", "gzip")
# GraphQL over HTTP's own media type is JSON too. A multipart/mixed response (incremental
# delivery, subscriptions over HTTP) is flushed part by part, never held until the encoder's
# buffer fills.
add_compress_type("application/graphql-response+json")
add_compress_type("multipart/mixed", streaming=True)
_ENTITY_TAG = re.compile(r'(?:W/)?"[^"]*"|\*')
# The request headers this layer reads: without either, a response only gets its `Vary`.
_NEGOTIATED = frozenset({b"accept-encoding", b"if-none-match"})
_SUFFIX = re.compile(r'^(?P<base>(?:W/)?"[^"]*?)-(?P<coding>br|gzip)"$')


def negotiate(accept_encoding: str | None) -> str | None:
    """The content coding to answer with (`br`, `gzip`), or None for the body as it is."""
    if not accept_encoding:
        return None
    named: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, _, params = item.partition(";")
        coding = coding.strip().lower()
        if coding:
            named[coding] = max(named.get(coding, 0.0), _quality(params))
    wildcard = named.get("*", 0.0)
    best, best_q = None, 0.0
    for coding in CODINGS:
        q = named.get(coding, wildcard)
        if q > best_q:
            best, best_q = coding, q
    if best is not None and named.get("identity", 0.0) > best_q:
        return None
    return best


def _quality(params: str) -> float:
    """The q parameter of one Accept-Encoding element (1 when absent; 0, not acceptable, when it
    is not a number from 0 to 1)."""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def without_suffix(if_none_match: str) -> tuple[str, dict[str, list[str]]]:
    """The If-None-Match value with each coding-suffixed tag also given without its suffix, and
    for each tag passed on the tags the client sent for it (itself, and those with a suffix)."""
    sent: dict[str, list[str]] = {}
    passed = []
    for tag in _ENTITY_TAG.findall(if_none_match):
        passed.append(tag)
        sent.setdefault(tag, []).append(tag)
        found = _SUFFIX.match(tag)
        if found:
            base = found.group("base") + '"'
            sent.setdefault(base, []).append(tag)
            passed.append(base)
    return ", ".join(dict.fromkeys(passed)), sent


class CompressionMiddleware:
    """Compresses responses (see the module's description); `minimum_size` in bytes."""

    def __init__(self, app, minimum_size: int, varied_paths: frozenset[str] = frozenset()) -> None:
        """`varied_paths`: paths whose every HTTP answer names Accept-Encoding in its `Vary`
        already; when nothing is negotiated their answers pass as they are, without a wrapper of
        `send` (a coroutine per message) to add what is there."""
        self.app = app
        self.varied_paths = varied_paths
        self.compress = CompressMiddleware(app, minimum_size=minimum_size, zstd=False,
                                           brotli_quality=BROTLI_QUALITY, gzip_level=GZIP_LEVEL)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _NEGOTIATED.isdisjoint(map(NAME, scope["headers"])):
            # Nothing to encode and no tag to translate: only `Vary` to give (as `_tag` would).
            await self.app(scope, receive, send if scope["path"] in self.varied_paths else _varied(send))
            return
        accept, conditional, headers = [], [], []
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                accept.append(value.decode("latin-1"))
            elif name == b"if-none-match":
                conditional.append(value.decode("latin-1"))
            else:
                headers.append((name, value))
        coding = negotiate(",".join(accept))
        if coding is not None:  # the encoder below picks the one coding left
            headers.append((b"accept-encoding", coding.encode()))
        sent: dict[str, list[str]] = {}
        if conditional:
            passed, sent = without_suffix(",".join(conditional))
            headers.append((b"if-none-match", passed.encode("latin-1")))

        async def send_tagged(message) -> None:
            if message["type"] == "http.response.start":
                _tag(message, coding, sent)
            await send(message)

        if coding is None:
            # Nothing to encode: the encoder's identity path would only hold the start message
            # back to name Accept-Encoding in Vary, which `_tag` does for every response.
            await self.app({**scope, "headers": headers}, receive, send_tagged)
            return
        await self.compress({**scope, "headers": headers}, receive, send_tagged)


def _varied(send):
    async def send_varied(message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = add_vary(list(message.get("headers", [])), b"Accept-Encoding")
        await send(message)

    return send_varied


def _tag(message: dict, coding: str | None, sent: dict[str, list[str]]) -> None:
    """Give the response its Vary and, when compressed or not modified, its per-coding ETag."""
    message["headers"] = list(message.get("headers", []))
    headers = MutableHeaders(raw=message["headers"])
    # The encoder below names Accept-Encoding itself when it compresses: one Vary, each name once.
    message["headers"][:] = add_vary(message["headers"], b"Accept-Encoding")
    etag = headers.get("etag")
    if etag is None or not etag.startswith('"'):
        return
    encoding = headers.get("content-encoding", "").strip().lower()
    if message["status"] == 304:
        tags = sent.get(etag)
        if tags:  # name the representation the client validated, the negotiated one if it sent that
            wanted = etag if coding is None else f'{etag[:-1]}-{coding}"'
            headers["etag"] = next((tag for tag in (wanted, etag) if tag in tags), tags[0])
    elif encoding in CODINGS:
        headers["etag"] = f'{etag[:-1]}-{encoding}"'
