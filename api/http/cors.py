"""Which pages on other origins may call the API from a browser (CORS), decided in one place;
api/http/middleware.py applies it to every response of the paths it covers.

- **Origins**: `TRIBUTARY_CORS_ORIGINS`, exact origins or `*`; development also allows any port of
  http://localhost, http://127.0.0.1 and http://[::1], so a storefront's dev server just works.
- **Credentials**: the API authenticates with a bearer token in the `Authorization` header, never
  with a cookie, so `Access-Control-Allow-Credentials` is never sent: a page sends its token
  itself, and a browser refuses the answer to a request made with `credentials: "include"`.
  That is also why `*` is safe to allow: it lends no visitor's cookies to any site.
- **Preflight** (OPTIONS with `Origin` and `Access-Control-Request-Method`): 204 with the methods,
  request headers and max-age below; from an origin that is not allowed, 403 with a JSON GraphQL
  error and no CORS header, so the browser stops before sending the request. The lists are fixed:
  a browser itself refuses a request whose method or headers they lack.
- **Other responses**: `Access-Control-Allow-Origin` (and the exposed headers) for an allowed
  origin, nothing for another; `Vary: Origin` always, since the answer depends on it (not with
  `*`, where every answer is the same).

Starlette's CORSMiddleware answers preflights with 200 "OK" and refusals with 400 in plain text;
every error of this service is a GraphQL error in JSON, so this is the small part of it we need.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from domain.shared.config import Settings

ALLOWED_METHODS = ("GET", "POST", "OPTIONS")
# Request headers a page may send besides the CORS-safelisted ones: the JSON content type, the
# bearer token, a request id to correlate logs, the CSRF guard's preflight headers
# (api/http/csrf.py), Apollo Client's client-awareness headers and an API client key.
ALLOWED_HEADERS = ("content-type", "authorization", "x-request-id", "apollo-require-preflight",
                   "x-apollo-operation-name", "graphql-require-preflight", "apollographql-client-name",
                   "apollographql-client-version", "x-api-client-key")
# Response headers a page may read besides the CORS-safelisted ones (Cache-Control,
# Content-Type, ...). Names, not prefixes: browsers match them exactly. Extend it with the
# headers a feature adds (see `CorsPolicy.from_settings`).
EXPOSED_HEADERS = ("x-request-id", "retry-after", "etag")
# Seconds a browser may reuse a preflight's answer (Chromium caps it at 7200); the lists change
# only with a release.
PREFLIGHT_MAX_AGE = 7200
# The paths pages call: the API, and the signed download URLs it hands out.
CORS_PATHS = ("/graphql", "/downloads/")

_LOCAL_ORIGIN = re.compile(r"http://(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?")


@dataclass(frozen=True)
class CorsPolicy:
    origins: frozenset[str]
    any_origin: bool = False
    local_origins: bool = False
    exposed_headers: tuple[str, ...] = EXPOSED_HEADERS

    @classmethod
    def from_settings(cls, settings: Settings, exposed_headers: tuple[str, ...] = ()) -> CorsPolicy:
        """The settings' policy; `exposed_headers` adds to EXPOSED_HEADERS."""
        listed = settings.cors_origin_list
        return cls(origins=frozenset(o for o in listed if o != "*"), any_origin="*" in listed,
                   local_origins=settings.development,
                   exposed_headers=tuple(dict.fromkeys((*EXPOSED_HEADERS, *(h.lower() for h in exposed_headers)))))

    def covers(self, path: str) -> bool:
        return path == CORS_PATHS[0] or path.startswith(CORS_PATHS[1:])

    def allows(self, origin: str) -> bool:
        """Whether a page on `origin` (as its browser sent it) may read the API's answers."""
        origin = origin.lower()
        return (self.any_origin or origin in self.origins
                or (self.local_origins and _LOCAL_ORIGIN.fullmatch(origin) is not None))

    def response_headers(self, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        """The CORS headers of an answer to a request from `origin` (None: no Origin header)."""
        if self.any_origin:
            return [(b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", self._exposed)]
        if origin is None or not self.allows(origin.decode("latin-1")):
            return []
        return [(b"access-control-allow-origin", origin), (b"access-control-expose-headers", self._exposed)]

    def preflight_headers(self, origin: bytes) -> list[tuple[bytes, bytes]] | None:
        """The headers of a 204 answer to a preflight from `origin`, or None when the origin is
        not allowed."""
        if not self.allows(origin.decode("latin-1")):
            return None
        return [(b"access-control-allow-origin", b"*" if self.any_origin else origin),
                (b"access-control-allow-methods", ", ".join(ALLOWED_METHODS).encode()),
                (b"access-control-allow-headers", ", ".join(ALLOWED_HEADERS).encode()),
                (b"access-control-max-age", str(PREFLIGHT_MAX_AGE).encode())]

    @cached_property
    def varies(self) -> bool:
        """Whether answers depend on the Origin header: not when any origin is allowed, nor when
        none is (every answer then lacks CORS headers alike)."""
        return not self.any_origin and bool(self.origins or self.local_origins)

    @cached_property
    def _exposed(self) -> bytes:
        return ", ".join(self.exposed_headers).encode()
