"""`tributary api-clients create | list | revoke` and `tributary documents register | list | remove`,
run as an operator would, against a database of their own."""
import asyncio
import json
import re
import uuid

import pytest
from click.testing import CliRunner

from api.cli import main
from domain.shared.config import get_settings
from tests.api.http.pq_helpers import PRODUCTS, code, post, sha
from tests.conftest import create_database, drop_database, make_client
from tests.fixtures.db import suite_database

OTHER = "query ProductTitles($n: Int!) { products(first: $n) { nodes { id title } } }"


@pytest.fixture
async def operator(monkeypatch, seeded_template):
    """Runs a command against a fresh copy of the seeded database; yields (run, url)."""
    name = f"{seeded_template}_cli{uuid.uuid4().hex[:6]}"
    url = await create_database(name, template=seeded_template)
    monkeypatch.setenv("TRIBUTARY_DATABASE_URL", url)
    get_settings.cache_clear()
    runner = CliRunner()

    async def run(*args: str, ok: bool = True) -> str:
        result = await asyncio.to_thread(runner.invoke, main, list(args))
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    try:
        yield run, url
    finally:
        monkeypatch.delenv("TRIBUTARY_DATABASE_URL")
        get_settings.cache_clear()
        await drop_database(name)


async def test_a_client_is_created_listed_trusted_with_a_manifest_and_revoked(operator, tmp_path):
    run, url = operator
    created = await run("api-clients", "create", "storefront", "--budget", "5000", "--trusted-documents-only")
    key = re.search(r"tk_[A-Za-z0-9_-]{40,}", created).group(0)
    await run("api-clients", "create", "storefront", ok=False)
    listed = await run("api-clients", "list")
    assert "storefront  (id " in listed and "active, budget 5000, trusted documents only" in listed
    assert key not in listed

    codegen = tmp_path / "persisted-documents.json"
    codegen.write_text(json.dumps({sha(PRODUCTS): PRODUCTS}))
    apollo = tmp_path / "persisted-query-manifest.json"
    apollo.write_text(json.dumps({"format": "apollo-persisted-query-manifest", "version": 1, "operations": [
        {"id": sha(OTHER), "name": "ProductTitles", "type": "query", "body": OTHER}]}))
    assert "1 newly trusted for API client storefront" in await run("documents", "register", str(codegen),
                                                                  "--client", "storefront")
    assert "1 newly trusted for every caller" in await run("documents", "register", str(apollo))
    assert "0 newly trusted" in await run("documents", "register", str(apollo))  # idempotent
    listed = await run("documents", "list")
    assert f"{sha(OTHER)}  ProductTitles  everyone" in listed
    assert f"{sha(PRODUCTS)}  (unnamed)  client storefront" in listed

    database = suite_database(url, pool_size=2)
    try:
        async with make_client(database) as http:
            headers = {"X-Api-Client-Key": key}
            for document, variables in ((PRODUCTS, {}), (OTHER, {"n": 1})):
                response = await post(http, None, sha(document), headers=headers, variables=variables)
                assert response.status_code == 200 and "errors" not in response.json(), response.text
            assert code(await post(http, "{ __typename }", headers=headers)) == "DOCUMENT_NOT_TRUSTED"

            assert "Removed 1 trusted documents" in await run("documents", "remove", str(codegen),
                                                              "--client", "storefront")
            assert "Removed 1 trusted documents" in await run("documents", "remove", sha(OTHER))
            assert "No trusted documents." in await run("documents", "list")
            assert "Revoked API client storefront" in await run("api-clients", "revoke", "storefront")
            assert "revoked" in await run("api-clients", "list")
        async with make_client(database) as fresh:
            assert (await post(fresh, PRODUCTS, headers={"X-Api-Client-Key": key})).status_code == 401
    finally:
        await database.close()


@pytest.mark.parametrize(("manifest", "message"), [
    ({sha(PRODUCTS): OTHER}, "is not the SHA-256 of the document"),
    ({"not-a-hash": PRODUCTS}, "must be a SHA-256 hash"),
    ({sha("{ nope }"): "{ nope }"}, "do not validate against the schema"),
    ({"format": "something-else", "version": 1, "operations": []}, "apollo-persisted-query-manifest"),
    ([PRODUCTS], "A manifest is a JSON object"),
])
async def test_a_bad_manifest_registers_nothing_and_says_why(operator, tmp_path, manifest, message):
    run, _ = operator
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    output = await run("documents", "register", str(path), ok=False)
    assert message in output
    assert "No trusted documents." in await run("documents", "list")


async def test_unknown_clients_are_named_in_the_error(operator, tmp_path):
    run, _ = operator
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({sha(PRODUCTS): PRODUCTS}))
    assert "No API client is named 'nobody'" in await run("documents", "register", str(path), "--client", "nobody",
                                                          ok=False)
    assert "No API client is named 'nobody'" in await run("api-clients", "revoke", "nobody", ok=False)
    assert "lower-case letters" in await run("api-clients", "create", "Bad Name", ok=False)
