"""The CSRF guard, as Apollo Server's `csrfPrevention`.

A browser sends a "simple" request to any site without asking that site first (no preflight):
a POST whose content type is missing or one an HTML form can send (`text/plain`,
`application/x-www-form-urlencoded`, `multipart/form-data`), with no header of its own. Such a
request to /graphql is refused (400, BAD_REQUEST, reason CSRF) unless it carries one of the
headers below, which no page can add without the preflight that CORS (api/http/cors.py) answers.
An `application/json` POST always needs a preflight, so every real client passes untouched.

GET and HEAD are not guarded. GET runs queries only (a mutation over GET is refused with 405),
and the API authenticates with a bearer header, never a cookie, so a GET another site makes a
visitor's browser send carries no credential: it runs as anonymous, as `curl` would, and the
browser does not let that site read the answer unless CORS allows it. Guarding GET would instead
force a preflight onto every public, CDN-cacheable GET a page makes (a preflight is cached per
URL), and break plain links and curl examples. Should the API ever read a cookie, GET must be
guarded too.
"""
from __future__ import annotations

SIMPLE_CONTENT_TYPES = frozenset({b"text/plain", b"application/x-www-form-urlencoded", b"multipart/form-data"})
PREFLIGHT_HEADERS = (b"apollo-require-preflight", b"x-apollo-operation-name", b"graphql-require-preflight")
UNGUARDED_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MESSAGE = ("Refused as a possible cross-site request forgery: any web page can make a browser send this request. "
           "Send it as `Content-Type: application/json`, or with a non-empty `Apollo-Require-Preflight`, "
           "`X-Apollo-Operation-Name` or `GraphQL-Require-Preflight` header.")


def could_be_forged(method: str, headers: dict[bytes, bytes]) -> bool:
    """Whether a request to /graphql is one a page on any site could have a browser send without
    a preflight (`headers`: the request's, by lower-case name)."""
    if method in UNGUARDED_METHODS:
        return False
    content_type = headers.get(b"content-type")
    if content_type is not None and content_type.partition(b";")[0].strip().lower() not in SIMPLE_CONTENT_TYPES:
        return False
    return not any(headers.get(name, b"").strip() for name in PREFLIGHT_HEADERS)
