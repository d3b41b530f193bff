"""GraphiQL served by the service itself, for development: the page (at /graphql, for a browser
asking for HTML) and its scripts and styles (under /graphiql/), vendored in `static/` with their
licences (versions and how to refresh them: VENDORED.md). Nothing is loaded from another site,
so the page works offline and under its own strict Content-Security-Policy: scripts only from
this service, none inline (the page's own start-up code is `static/tributary-graphiql.js`).

Asset URLs carry a digest of the file's bytes (/graphiql/<digest>/<name>), so they are cached
for a year and a new version of a file is a new URL; the page itself is revalidated."""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PREFIX = "/graphiql"
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
               ".svg": "image/svg+xml"}
# Styles may be inline: GraphiQL's dialogs (Radix) add <style> elements at run time, and its fonts
# and icons are data: URLs inside its stylesheet. Scripts may not: only this service's files.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:", "img-src 'self' data:", "connect-src 'self'", "object-src 'none'",
    "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
])
_PAGE_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache",
                 "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                 "Vary": "Accept"}
_ASSET_CACHE = "public, max-age=31536000, immutable"
_PLACEHOLDER = re.compile(r"\{([\w.-]+)\}")


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    digest: str

    @property
    def etag(self) -> str:
        return f'"{self.digest}"'


@functools.cache
def assets() -> dict[str, Asset]:
    """Every file served under /graphiql/, by name (read once per process, on first use)."""
    found = {}
    for path in sorted(STATIC.iterdir()):
        if path.is_file() and path.suffix in MEDIA_TYPES:
            body = path.read_bytes()
            found[path.name] = Asset(body, MEDIA_TYPES[path.suffix], hashlib.sha256(body).hexdigest()[:16])
    return found


def asset_url(name: str) -> str:
    return f"{PREFIX}/{assets()[name].digest}/{name}"


@functools.cache
def page_html() -> bytes:
    """page.html with each {file name} replaced by that file's URL."""
    template = (HERE / "page.html").read_text()
    return _PLACEHOLDER.sub(lambda found: asset_url(found.group(1)), template).encode()


def page_response() -> Response:
    """The GraphiQL page, with its Content-Security-Policy."""
    return Response(page_html(), media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)


async def _asset(request: Request) -> Response:
    asset = assets().get(request.path_params["name"])
    if asset is None or request.path_params["digest"] != asset.digest:
        # An old digest is a file this version no longer serves: a year-long cache must not keep
        # today's bytes under it.
        return JSONResponse({"error": "NOT_FOUND", "message": "No such GraphiQL file."}, status_code=404)
    headers = {"Cache-Control": _ASSET_CACHE, "ETag": asset.etag, "X-Content-Type-Options": "nosniff"}
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def routes() -> list[Route]:
    """The asset routes, mounted beside /graphql when GraphiQL is on."""
    return [Route(PREFIX + "/{digest}/{name}", _asset, methods=["GET", "HEAD"])]
