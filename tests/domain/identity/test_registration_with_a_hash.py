"""Registration with a password hashed beforehand (how the suite's accounts share one hash):
the account, its welcome and its sign-in are as after `register`; a hash made with other
parameters than the configured ones is refused, writing nothing."""
import pytest

from domain.identity import passwords
from domain.identity import service as identity
from domain.shared.config import Settings
from domain.shared.unit_of_work import UnitOfWork
from tests.api.identity.helpers import PASSWORD, emails_to, new_email, rows, sign_in
from tests.fixtures.identity import password_hash

SETTINGS = Settings(env="development")


async def _register(database, email: str, hashed: str) -> None:
    async with UnitOfWork(database) as uow:
        await identity.register_hashed(uow.session, SETTINGS, email, hashed, "  Ada   Reader ")
        await uow.commit()


async def test_the_account_gets_its_welcome_and_signs_in_with_its_password(client, database):
    email = new_email("hashed")

    await _register(database, email, password_hash(SETTINGS))

    [account] = await rows(database, "SELECT display_name, password_hash FROM accounts WHERE email = $1", email)
    assert (account["display_name"], account["password_hash"]) == ("Ada Reader", password_hash(SETTINGS))
    assert await emails_to(database, email) == [("welcome", {"displayName": "Ada Reader"})]
    assert (await sign_in(client, email))["userErrors"] == []  # verified with the configured Argon2 parameters


@pytest.mark.parametrize("hashed", [passwords.hasher(8, 1, 1).hash(PASSWORD), "not a hash", ""],
                         ids=["weaker parameters", "not a hash", "empty"])
async def test_a_hash_not_made_with_the_configured_parameters_is_refused_and_nothing_is_written(database, hashed):
    email = new_email("hashed")

    with pytest.raises(ValueError, match="configured parameters"):
        await _register(database, email, hashed)

    assert await rows(database, "SELECT id FROM accounts WHERE email = $1", email) == []
    assert await emails_to(database, email) == []
