import uuid

import pytest

from tests.conftest import create_database, drop_database
from tests.fixtures.db import suite_database


@pytest.fixture(scope="module")
async def history_database(seeded_template):
    """One writable copy per module: every test makes accounts and guest histories of its own."""
    name = f"{seeded_template}_history{uuid.uuid4().hex[:6]}"
    database = suite_database(await create_database(name, template=seeded_template))
    yield database
    await database.close()
    await drop_database(name)
