"""`tributary create-admin` makes an administrator who can sign in and has the ADMIN role."""
import asyncio
import uuid

from click.testing import CliRunner

from api.cli import main
from domain.shared.config import get_settings
from tests.api.identity.helpers import call, sign_in
from tests.conftest import create_database, drop_database, make_client
from tests.fixtures.db import suite_database


async def test_create_admin_creates_an_account_that_signs_in_as_admin(monkeypatch, seeded_template):
    name = f"{seeded_template}_admin{uuid.uuid4().hex[:6]}"
    url = await create_database(name, template=seeded_template)
    monkeypatch.setenv("TRIBUTARY_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        result = await asyncio.to_thread(runner.invoke, main, ["create-admin", "--email", "root@example.com",
                                                               "--password", "a long admin passphrase"])
        assert result.exit_code == 0, result.output
        assert "Created root@example.com" in result.output
        again = await asyncio.to_thread(runner.invoke, main, ["create-admin", "--email", "root@example.com",
                                                              "--password", "ignored for existing"])
        assert again.exit_code == 0 and "Promoted existing account" in again.output
        weak = await asyncio.to_thread(runner.invoke, main, ["create-admin", "--email", "new@example.com",
                                                             "--password", "short"])
        assert weak.exit_code != 0 and "at least 10 characters" in weak.output

        database = suite_database(url, pool_size=2)
        try:
            async with make_client(database) as http:
                tokens = (await sign_in(http, "root@example.com", password="a long admin passphrase"))["tokens"]
                body = await call(http, "{ viewer { roles } }", token=tokens["accessToken"])
                assert body["data"]["viewer"]["roles"] == ["CUSTOMER", "ADMIN"]
        finally:
            await database.close()
    finally:
        monkeypatch.delenv("TRIBUTARY_DATABASE_URL")
        get_settings.cache_clear()
        await drop_database(name)
