"""A failing statement's error never carries the values it was sent (e-mails, password hashes):
its text reaches logs and stack traces."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.shared.db import Database

EMAIL = "ada.lovelace@example.com"
PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"


async def test_a_failing_statement_names_its_sql_but_not_its_parameters(database: Database):
    async with database.sessions() as session:
        with pytest.raises(DBAPIError) as failure:
            await session.execute(text("INSERT INTO no_such_accounts (email, password_hash) VALUES (:email, :hash)"),
                                  {"email": EMAIL, "hash": PASSWORD_HASH})

    message = str(failure.value)
    assert "no_such_accounts" in message
    assert "[SQL parameters hidden due to hide_parameters=True]" in message
    assert EMAIL not in message and PASSWORD_HASH not in message
