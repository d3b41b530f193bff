"""The GraphQL-over-HTTP rules (https://graphql.github.io/graphql-over-http/draft/): media types,
status codes, and graphql-http's own server audit run against the service on a real port."""
import re

from tests.fixtures.live import live_server, run_node


async def test_the_graphql_http_server_audit_passes_without_warnings_or_notices(database):
    async with live_server(database) as url:
        out = await run_node("audit.mjs", f"{url}/graphql")
    summary = re.search(r"audit: (\d+) ok, (\d+) notices, (\d+) warnings, (\d+) errors", out)
    assert summary, out
    ok, notices, warnings, errors = map(int, summary.groups())
    assert (notices, warnings, errors) == (0, 0, 0), out
    assert ok >= 60, out
