"""The worker from the outside: `tributary worker --once`, `tributary mail`, and the worker
that `serve` runs in development, delivering identity's e-mails to the development mailbox."""
import asyncio
import logging
import re
import uuid

import httpx
import pytest
from click.testing import CliRunner

from api.app import create_app
from api.cli import main
from domain.notifications.email import FileMailbox
from domain.shared.config import Settings, get_settings
from tests.api.identity.helpers import call, register
from tests.conftest import create_database, drop_database
from tests.fixtures.jobs import job_rows, queue_email

pytestmark = pytest.mark.one_copy_per_file

REQUEST_RESET = """mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) {
  success userErrors { code } } }"""
RESET = """mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { success userErrors { code } } }"""


@pytest.fixture
def cli(tmp_path):
    """Runs `tributary ...` in a thread (it starts its own event loop) with a fresh settings cache."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    async def invoke(database_url: str, *args: str):
        def run():
            get_settings.cache_clear()
            try:
                return CliRunner().invoke(main, list(args), env={"TRIBUTARY_DATABASE_URL": database_url,
                                                                 "TRIBUTARY_DATA_DIR": str(tmp_path)})
            finally:
                get_settings.cache_clear()

        return await asyncio.to_thread(run)

    yield invoke
    root.handlers[:], root.level = handlers, level  # the CLI configures logging for its process


async def test_worker_once_delivers_the_due_emails_to_the_mailbox_and_exits(writable_database, cli, tmp_path):
    await queue_email(writable_database, to="ada@example.com", template="welcome", context={"displayName": "Ada"})
    await queue_email(writable_database, to="bob@example.com", template="password_changed")

    result = await cli(writable_database.url, "worker", "--once", "--concurrency", "2")

    assert result.exit_code == 0, result.output
    assert result.output == "Ran 2 jobs: 2 done, 0 to retry later, 0 failed.\n"
    assert {(r["status"], r["attempts"]) for r in await job_rows(writable_database)} == {("DONE", 1)}
    assert sorted((m.to, m.subject) for m in FileMailbox(tmp_path / "mail").newest(10)) == [
        ("ada@example.com", "Welcome to Tributary, Ada"), ("bob@example.com", "Your Tributary password was changed")]


async def test_mail_lists_the_newest_messages_with_their_files_and_text(writable_database, cli, tmp_path):
    await queue_email(writable_database, to="ada@example.com", template="welcome", context={"displayName": "Ada"})
    await cli(writable_database.url, "worker", "--once")
    await queue_email(writable_database, to="bob@example.com", template="password_changed")
    await cli(writable_database.url, "worker", "--once")

    listed = await cli(writable_database.url, "mail", "--last", "1", "--body")

    assert listed.exit_code == 0, listed.output
    [newest] = FileMailbox(tmp_path / "mail").newest(1)
    assert listed.output.splitlines()[:2] == [
        f"{newest.date}  To: bob@example.com  Subject: Your Tributary password was changed", f"  {newest.path}"]
    assert "    the password of your Tributary account was just changed" in listed.output
    assert "ada@example.com" not in listed.output


async def test_mail_says_so_when_the_mailbox_is_empty(writable_database, cli, tmp_path):
    result = await cli(writable_database.url, "mail")

    assert result.output == f"No e-mails in {tmp_path / 'mail'} yet.\n"


async def test_worker_on_a_database_without_tables_says_to_migrate(cli):
    name = f"tributary_empty_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    try:
        result = await cli(url, "worker", "--once")
    finally:
        await drop_database(name)

    assert result.exit_code == 1
    assert "The database has no job table yet: run `tributary migrate` first." in result.output


def test_the_in_process_worker_is_on_in_development_only():
    assert Settings(env="development").worker_in_process is True
    assert Settings(env="production").worker_in_process is False
    assert Settings(env="production", run_worker_in_process=True).worker_in_process is True
    assert Settings(env="development", run_worker_in_process=False).worker_in_process is False


async def _wait_for_mail(box: FileMailbox, count: int) -> list:
    for _ in range(200):
        messages = box.newest(count)
        if len(messages) == count:
            return messages
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} e-mails, found {len(box.newest(count))}")


async def test_in_development_serve_delivers_a_reset_link_that_works(writable_database, tmp_path):
    settings = Settings(env="development", data_dir=tmp_path, worker_poll_seconds=60)
    app = create_app(settings, database=writable_database)
    box = FileMailbox(tmp_path / "mail")
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            assert (await register(http, "ada@example.com", name="Ada Reader"))["accepted"]
            [welcome] = await _wait_for_mail(box, 1)
            asked = await call(http, REQUEST_RESET, {"input": {"email": "ada@example.com"}})
            assert asked["data"]["requestPasswordReset"] == {"success": True, "userErrors": []}
            reset_mail = (await _wait_for_mail(box, 2))[0]
            token = re.search(r"reset-password\?token=(\S+)", reset_mail.text).group(1)
            reset = await call(http, RESET, {"input": {"token": token, "newPassword": "a brand new secret"}})

    assert (welcome.to, welcome.subject) == ("ada@example.com", "Welcome to Tributary, Ada Reader")
    assert (reset_mail.to, reset_mail.subject) == ("ada@example.com", "Reset your Tributary password")
    assert reset["data"]["resetPassword"] == {"success": True, "userErrors": []}
