"""Responses compressed with brotli or gzip as the client accepts them, above a size threshold,
with `Vary: Accept-Encoding`; strong ETags named per coding, so If-None-Match and 304s keep
working; binary downloads and 304s never compressed, streamed text downloads still whole."""
from __future__ import annotations

import gzip
import json

import brotli
import httpx
import pytest

from api.http import graphiql
from api.http.compression import CompressionMiddleware, negotiate
from bench.pages import SEARCH_PAGE
from tests.api.licences.test_downloads import REQUEST, _setup
from tests.conftest import make_client
from tests.fixtures.db import execute

pytestmark = pytest.mark.one_copy_per_file

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda body: body}
# Every format listed apart: the page of products the compression was measured on.
SEARCH = {"query": SEARCH_PAGE.replace("filter: $filter)", "filter: $filter, groupFormats: false)", 1),
          "variables": {"query": "harry potter", "first": 50}}
SMALL = {"query": "query Small { __typename }"}


@pytest.mark.parametrize(("accept", "chosen"), [
    ("br, gzip", "br"),
    ("gzip, deflate, br, zstd", "br"),
    ("gzip", "gzip"),
    ("gzip;q=1.0, br;q=0.5", "gzip"),
    ("br;q=0, gzip", "gzip"),
    ("BR;Q=0.9, GZIP;Q=0.8", "br"),
    ("*", "br"),
    ("br;q=0, *", "gzip"),
    ("*;q=0", None),
    ("gzip;q=0.5, identity", None),
    ("br;q=0.8, identity;q=0.5", "br"),
    ("identity", None),
    ("deflate, zstd", None),
    ("gzip;q=abc", None),
    ("gzip;q=2", None),
    ("", None),
    (None, None),
])
def test_the_coding_follows_the_q_values_with_brotli_first_on_a_tie(accept, chosen):
    assert negotiate(accept) == chosen


async def _raw(http: httpx.AsyncClient, method: str, url: str, **kwargs) -> tuple[httpx.Response, bytes]:
    """The response and its body as sent, before httpx would decode it."""
    async with http.stream(method, url, **kwargs) as response:
        return response, b"".join([chunk async for chunk in response.aiter_raw()])


def _vary(response: httpx.Response) -> list[str]:
    return [v.strip().lower() for value in response.headers.get_list("vary") for v in value.split(",")]


@pytest.mark.parametrize("coding", ["br", "gzip"])
async def test_a_search_page_is_compressed_as_accepted_and_decodes_to_the_same_data(client, coding):
    plain, plain_body = await _raw(client, "POST", "/graphql", json=SEARCH, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert len(plain_body) > 10_000  # a real search page, worth compressing

    packed, body = await _raw(client, "POST", "/graphql", json=SEARCH,
                              headers={"accept-encoding": f"{coding};q=1, {'gzip' if coding == 'br' else 'br'};q=0.5"})
    assert packed.status_code == 200
    assert packed.headers["content-encoding"] == coding
    assert int(packed.headers["content-length"]) == len(body)
    assert _vary(packed).count("accept-encoding") == 1
    assert len(body) * 4 < len(plain_body)
    assert json.loads(DECODE[coding](body))["data"] == json.loads(plain_body)["data"]
    assert "x-request-id" in packed.headers  # the request middleware still wraps it


async def test_a_body_under_the_threshold_is_sent_as_it_is_but_still_varies(client):
    response, body = await _raw(client, "POST", "/graphql", json=SMALL, headers={"accept-encoding": "br, gzip"})
    assert "content-encoding" not in response.headers
    assert json.loads(body)["data"] == {"__typename": "Query"}
    assert "accept-encoding" in _vary(response)


async def test_without_accept_encoding_every_answer_still_varies_on_it_once(client):
    # Nothing negotiated: the GraphQL endpoint's answers pass the compression layer as they are,
    # each naming Accept-Encoding itself (an operation's answer, its refusals, the GraphiQL page);
    # the other paths get it from the layer.
    requests = [client.build_request("POST", "/graphql", json=SMALL),
                client.build_request("PUT", "/graphql", json=SMALL),
                client.build_request("POST", "/graphql", content=b"{", headers={"content-type": "application/json"}),
                client.build_request("GET", "/graphql", headers={"accept": "text/html"}),
                client.build_request("GET", "/healthz")]
    statuses = []
    for request in requests:
        del request.headers["accept-encoding"]
        response = await client.send(request)
        statuses.append(response.status_code)
        assert _vary(response).count("accept-encoding") == 1, (request.method, request.url, response.headers)
    assert statuses == [200, 405, 400, 200, 200]


async def test_the_threshold_and_the_switch_are_settings(database):
    async with make_client(database, compress_min_bytes=10) as http:
        response, body = await _raw(http, "POST", "/graphql", json=SMALL, headers={"accept-encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip"
        assert json.loads(gzip.decompress(body))["data"] == {"__typename": "Query"}
    async with make_client(database, compress_responses=False) as http:
        response, body = await _raw(http, "POST", "/graphql", json=SEARCH, headers={"accept-encoding": "br, gzip"})
        assert "content-encoding" not in response.headers
        assert json.loads(body)["data"]["search"]["nodes"]


async def test_errors_in_json_are_compressed_too(client):
    query = "query Unknown { " + " ".join(f"field{n}" for n in range(100)) + " }"
    response, body = await _raw(client, "POST", "/graphql", json={"query": query}, headers={"accept-encoding": "br"})
    assert response.headers["content-encoding"] == "br"
    errors = json.loads(brotli.decompress(body))["errors"]
    assert len(errors) == 100 and "field99" in errors[-1]["message"]


async def test_a_strong_etag_is_named_per_coding_and_its_304_still_comes(client):
    url = graphiql.asset_url("graphiql.min.js")
    digest = graphiql.assets()["graphiql.min.js"].digest
    tags = {}
    for coding in ("br", "gzip", "identity"):
        response, body = await _raw(client, "GET", url, headers={"accept-encoding": coding})
        assert response.status_code == 200
        assert response.headers.get("content-encoding") == (None if coding == "identity" else coding)
        assert DECODE[response.headers.get("content-encoding")](body) == graphiql.assets()["graphiql.min.js"].body
        tags[coding] = response.headers["etag"]
    assert tags == {"br": f'"{digest}-br"', "gzip": f'"{digest}-gzip"', "identity": f'"{digest}"'}

    for coding, tag in tags.items():
        again, body = await _raw(client, "GET", url, headers={"accept-encoding": coding, "if-none-match": tag})
        assert again.status_code == 304 and body == b""
        assert again.headers["etag"] == tag
        assert "content-encoding" not in again.headers
        assert "accept-encoding" in _vary(again)
    # The client now accepts gzip only but holds the brotli copy: the 304 names what it holds.
    again, _ = await _raw(client, "GET", url, headers={"accept-encoding": "gzip", "if-none-match": tags["br"]})
    assert again.status_code == 304 and again.headers["etag"] == tags["br"]
    # An ETag the server never made is not matched by stripping a suffix from it.
    other, _ = await _raw(client, "GET", url, headers={"accept-encoding": "br", "if-none-match": '"other-br"'})
    assert other.status_code == 200


async def _etag_app(scope, receive, send):
    """An endpoint behind the middleware that makes a strong ETag of its body, weak or strong as
    the path says, and answers If-None-Match itself."""
    tag = 'W/"v1"' if scope["path"] == "/weak" else '"v1"'
    conditional = dict(scope["headers"]).get(b"if-none-match", b"").decode()
    status, body = (304, b"") if tag.removeprefix("W/") in conditional else (200, b'{"data": "' + b"x" * 5000 + b'"}')
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"etag", tag.encode())]})
    await send({"type": "http.response.body", "body": body})


async def test_weak_etags_are_left_as_they_are():
    app = CompressionMiddleware(_etag_app, minimum_size=1024)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        response, _ = await _raw(http, "GET", "/weak", headers={"accept-encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip" and response.headers["etag"] == 'W/"v1"'
        strong, _ = await _raw(http, "GET", "/strong", headers={"accept-encoding": "gzip"})
        assert strong.headers["etag"] == '"v1-gzip"'
        both, _ = await _raw(http, "GET", "/strong", headers={"accept-encoding": "br",
                                                               "if-none-match": '"v0", "v1-gzip", "v1"'})
        assert both.status_code == 304 and both.headers["etag"] == '"v1"'  # the identity copy it also holds


async def test_downloads_stream_whole_and_binary_ones_are_never_compressed(writable_database, tmp_path):
    db = writable_database
    async with make_client(db, content_dir=tmp_path) as http:
        me, device, licence, product = await _setup(db, http, tmp_path)
        from api.core import ids

        async def download() -> tuple[httpx.Response, bytes, int]:
            link = (await me(http, REQUEST, {"l": ids.encode("Licence", licence), "d": device}))
            link = link["data"]["requestDownload"]["download"]
            response, body = await _raw(http, "GET", link["url"], headers={"accept-encoding": "br, gzip"})
            assert response.status_code == 200, body
            return response, body, link["fileSize"]

        text, body, size = await download()
        assert size > 1024
        assert text.headers["content-encoding"] == "br" and "content-length" not in text.headers
        assert len(brotli.decompress(body)) == size
        await execute(db, "UPDATE digital_contents SET media_type = 'application/epub+zip' WHERE product_id = $1",
                      product)
        epub, body, size = await download()
        assert "content-encoding" not in epub.headers
        assert int(epub.headers["content-length"]) == len(body) == size


async def test_graphql_response_json_is_compressed_and_multipart_parts_are_flushed_one_by_one():
    parts = [b"--graphql\r\nContent-Type: application/json\r\n\r\n" + json.dumps({"data": {"n": n}}).encode() * 80
             for n in range(2)]
    seen: list[bytes] = []

    async def app(scope, receive, send):
        media = b"application/graphql-response+json" if scope["path"] == "/json" else b"multipart/mixed"
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", media)]})
        if scope["path"] == "/json":
            await send({"type": "http.response.body", "body": parts[0]})
            return
        for part in parts:
            await send({"type": "http.response.body", "body": part, "more_body": True})
            # What the client can decode by now: this part, whole, before the next is made.
            assert b"".join(seen).endswith(part)
        await send({"type": "http.response.body", "body": b""})

    middleware = CompressionMiddleware(app, minimum_size=1024)
    for path in ("/json", "/multipart"):
        decoder, started = brotli.Decompressor(), []
        seen.clear()

        async def send(message):
            if message["type"] == "http.response.start":
                started.append(dict(message["headers"]))
            elif message.get("body"):
                seen.append(decoder.process(message["body"]))

        scope = {"type": "http", "method": "GET", "path": path, "headers": [(b"accept-encoding", b"br")]}
        await middleware(scope, None, send)
        assert started[0][b"content-encoding"] == b"br"
        assert b"".join(seen) == (parts[0] if path == "/json" else b"".join(parts))
