"""A private seeded database per test, an HTTP client on it, and callers in every role."""
import httpx
import pytest

from domain.shared.db import Database
from tests.conftest import make_client
from tests.fixtures.identity import Caller, account


@pytest.fixture
async def http(writable_database: Database) -> httpx.AsyncClient:
    async with make_client(writable_database) as client:
        yield client


@pytest.fixture
async def admin(http: httpx.AsyncClient, writable_database: Database) -> Caller:
    return await account(http, writable_database, "admin", admin=True)
