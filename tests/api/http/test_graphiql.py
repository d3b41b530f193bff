"""GraphiQL is served by the service itself in development: the page at /graphql for a browser,
under a strict Content-Security-Policy, and every script and style it loads from /graphiql/,
cached for a year under URLs that change with the files; nothing from another site. Production
serves neither."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from api.http import graphiql
from tests.conftest import make_client
from tests.fixtures.live import live_server, run_node

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
STATIC = Path(graphiql.__file__).parent / "static"


class _References(HTMLParser):
    """The URLs a page loads, and the bodies of its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.icons: list[str] = []
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.handlers += [name for name in found if name.startswith("on")]
        self.handlers += ["style"] if "style" in found else []
        if tag == "script":
            self._in_script = "src" not in found
            if "src" in found:
                self.scripts.append(found["src"])
        elif tag == "link" and found.get("rel") == "stylesheet":
            self.styles.append(found["href"])
        elif tag == "link":
            self.icons.append(found["href"])

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def _policy(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


async def _page(http) -> tuple[dict, _References, str]:
    response = await http.get("/graphql", headers=BROWSER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    references = _References()
    references.feed(response.text)
    return response.headers, references, response.text


async def test_the_page_loads_only_this_services_files_under_a_strict_policy(client):
    headers, references, html = await _page(client)

    assert references.inline == [] and references.handlers == []
    assert not re.search(r"(https?:)?//", html)  # no other site, not even a scheme-relative one
    assert len(references.scripts) == 5 and len(references.styles) == 3
    for url in references.scripts + references.styles + references.icons:
        assert url.startswith("/graphiql/"), url

    policy = _policy(headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-cache"
    # HTML or JSON by Accept; compressed or not by Accept-Encoding.
    assert {"accept", "accept-encoding"} <= {field.strip().lower() for field in headers["vary"].split(",")}


async def test_every_file_the_page_references_is_served_with_its_type_for_a_year(client):
    _, references, _ = await _page(client)
    expected = {"script": "text/javascript; charset=utf-8", "style": "text/css; charset=utf-8",
                "icon": "image/svg+xml"}
    kinds = [("script", url) for url in references.scripts] + [("style", url) for url in references.styles] \
        + [("icon", url) for url in references.icons]
    for kind, url in kinds:
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == expected[kind], url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        name = url.rsplit("/", 1)[1]
        assert response.content == (STATIC / name).read_bytes()
        again = await client.get(url, headers={"if-none-match": response.headers["etag"]})
        assert again.status_code == 304 and again.content == b""


async def test_the_page_starts_graphiql_on_this_endpoint_with_json_requests(client):
    _, references, _ = await _page(client)
    names = [url.rsplit("/", 1)[1] for url in references.scripts]
    # React first, then GraphiQL and its plugin (their bundles read React from the page), then ours.
    assert names == ["react.production.min.js", "react-dom.production.min.js", "graphiql.min.js",
                     "plugin-explorer.umd.js", "tributary-graphiql.js"]
    start = (await client.get(references.scripts[-1])).text
    assert "window.location.origin + window.location.pathname" in start
    assert "GraphiQL.createFetcher({ url: endpoint" in start
    assert not re.search(r"https?://", start)
    # GraphiQL's fetcher posts JSON.
    bundle = (STATIC / "graphiql.min.js").read_text()
    assert re.search(r"""["']content-type["']\s*:\s*["']application/json["']""", bundle)


async def test_a_file_under_another_digest_or_name_is_not_found(client):
    url = graphiql.asset_url("graphiql.min.js")
    stale = url.replace(graphiql.assets()["graphiql.min.js"].digest, "0" * 16)
    for path in (stale, "/graphiql/0000000000000000/secret_key", "/graphiql/x/../page.html",
                 url.replace("graphiql.min.js", "licences")):
        response = await client.get(path)
        assert response.status_code == 404, path


async def test_production_serves_neither_the_page_nor_its_files(database):
    async with make_client(database, env="production", secret_key="k" * 40) as http:
        page = await http.get("/graphql", headers=BROWSER)
        assert page.status_code == 404 and page.headers["content-type"].startswith("application/")
        assert page.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert (await http.get(graphiql.asset_url("graphiql.min.js"))).status_code == 404


def test_each_vendored_package_ships_with_its_licence():
    licences = {path.name: path.read_text() for path in (STATIC / "licences").iterdir()}
    assert set(licences) == {"graphiql.LICENSE", "graphiql-explorer.LICENSE", "react.LICENSE",
                             "react-dom.LICENSE"}
    assert all(text.startswith("MIT License") for text in licences.values())
    versions = (Path(graphiql.__file__).parent / "VENDORED.md").read_text()
    script = (Path(graphiql.__file__).parent / "refresh-assets.sh").read_text()
    for name, variable in (("graphiql", "GRAPHIQL"), ("react", "REACT"), ("@graphiql/plugin-explorer",
                                                                           "PLUGIN_EXPLORER")):
        version = re.search(rf"^{variable}=(\S+)", script, re.M).group(1)
        assert f"| {name} | {version} |" in versions, name


async def test_the_page_starts_graphiql_and_runs_the_example_from_this_service_alone(database):
    """In jsdom (a browser's DOM in Node): GraphiQL mounts from the vendored files, asks this
    endpoint for the schema, and its run button sends the example as JSON to this endpoint."""
    async with live_server(database) as base:
        report = json.loads((await run_node("graphiql-page.mjs", base)).strip().splitlines()[-1])

    assert report["status"] == 200 and report["mounted"], report
    assert report["refused"] == [] and report["errors"] == [], report
    assert sorted(name.rsplit("/", 1)[1] for name in report["loaded"]) == sorted(
        name for name in graphiql.assets() if name != "favicon.svg")  # jsdom does not load icons
    assert "Show GraphiQL Explorer" in report["sidebar"]
    introspection, example = report["requests"]
    for request in (introspection, example):
        assert (request["url"], request["method"]) == (f"{base}/graphql", "POST")
        assert request["headers"]["content-type"] == "application/json"
        assert request["status"] == 200 and request["responseType"].startswith("application/json")
    assert "IntrospectionQuery" in introspection["body"]
    assert "query SearchPage" in example["body"]
    assert '"search":{"totalCount":' in example["response"], example["response"]
