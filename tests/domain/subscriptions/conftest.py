from datetime import UTC, datetime

import pytest

from domain.payments.test_provider import TestPaymentProvider
from tests.fixtures.subscriptions import install_clock


@pytest.fixture
async def provider(writable_database):
    async with TestPaymentProvider(writable_database.url) as test_provider:
        yield test_provider


@pytest.fixture
def now(monkeypatch):
    """The clock every membership rule reads, set to a fixed moment the test moves."""
    return install_clock(monkeypatch, datetime(2027, 3, 10, 15, 0, tzinfo=UTC))
