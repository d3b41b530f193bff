import pytest

from domain.payments.test_provider import TestPaymentProvider


@pytest.fixture
async def provider(writable_database):
    async with TestPaymentProvider(writable_database.url) as test_provider:
        yield test_provider
