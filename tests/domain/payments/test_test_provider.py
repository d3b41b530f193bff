"""The built-in test provider: its documented test tokens, idempotency by key, and the rules a
real provider enforces on captures, voids and refunds; its state lives in its own table and is
committed on its own, whatever the caller's transaction does."""
import pytest

from domain.payments.provider import PaymentDeclined, PaymentProviderError
from domain.payments.test_provider import TestPaymentProvider
from tests.domain.payments.helpers import fetch, new_key, usd

pytestmark = pytest.mark.one_copy_per_file


async def _operations(db) -> list[dict]:
    rows = await fetch(db, "SELECT kind, parent_id, payment_token, amount_minor, outcome, decline_code,"
                           " captured_minor, refunded_minor, voided FROM test_provider_operations ORDER BY created_at, id")
    return [dict(r) for r in rows]


@pytest.mark.own_copy
@pytest.mark.parametrize("token", ["tok_visa", "tok_mastercard"])
async def test_a_success_token_is_authorized(writable_database, provider, token):
    authorization = await provider.authorize(usd(2599), token, new_key())
    assert authorization.status == "AUTHORIZED"
    assert authorization.amount == usd(2599)
    assert authorization.id.startswith("tp_auth_")
    assert await _operations(writable_database) == [{
        "kind": "AUTHORIZE", "parent_id": None, "payment_token": token, "amount_minor": 2599,
        "outcome": "SUCCEEDED", "decline_code": None, "captured_minor": 0, "refunded_minor": 0, "voided": False}]


@pytest.mark.own_copy
@pytest.mark.parametrize(("token", "code"), [
    ("tok_declined", "card_declined"),
    ("tok_insufficient_funds", "insufficient_funds"),
    ("tok_3ds", "authentication_required"),
    ("tok_not_a_test_token", "invalid_token"),
    ("", "invalid_token"),
])
async def test_a_decline_token_is_declined_with_its_reason_and_the_same_key_gives_the_same_decline(
        writable_database, provider, token, code):
    key = new_key()
    for _ in range(2):
        with pytest.raises(PaymentDeclined) as declined:
            await provider.authorize(usd(1000), token, key)
        assert declined.value.decline_code == code
        assert declined.value.code == "PAYMENT_DECLINED"
        assert declined.value.extensions == {"declineCode": code}
    operations = await _operations(writable_database)
    assert [(o["outcome"], o["decline_code"]) for o in operations] == [("DECLINED", code)]


@pytest.mark.own_copy
async def test_the_error_token_is_a_provider_error_and_nothing_is_authorized(writable_database, provider):
    with pytest.raises(PaymentProviderError) as failed:
        await provider.authorize(usd(1000), "tok_error", new_key())
    assert failed.value.code == "PAYMENT_PROVIDER_ERROR"
    assert await _operations(writable_database) == []


@pytest.mark.own_copy
async def test_the_same_key_returns_the_first_authorization(writable_database, provider):
    key = new_key()
    first = await provider.authorize(usd(500), "tok_visa", key)
    again = await provider.authorize(usd(500), "tok_visa", key)
    assert again == first
    assert len(await _operations(writable_database)) == 1


@pytest.mark.own_copy
async def test_a_key_reused_for_another_request_is_refused(writable_database, provider):
    key = new_key()
    await provider.authorize(usd(500), "tok_visa", key)
    for amount, token in ((usd(501), "tok_visa"), (usd(500), "tok_mastercard")):
        with pytest.raises(PaymentProviderError, match="already used for a different request"):
            await provider.authorize(amount, token, key)
    authorization = await provider.authorize(usd(900), "tok_visa", new_key())
    capture_key = new_key()
    await provider.capture(authorization.id, usd(100), capture_key)
    with pytest.raises(PaymentProviderError, match="already used for a different request"):
        await provider.capture(authorization.id, usd(200), capture_key)
    assert len(await _operations(writable_database)) == 3


@pytest.mark.own_copy
async def test_captures_voids_and_refunds_follow_the_authorization(writable_database, provider):
    authorization = await provider.authorize(usd(1000), "tok_visa", new_key())
    first = await provider.capture(authorization.id, usd(600), new_key())
    with pytest.raises(PaymentProviderError, match="Only 400 minor units"):
        await provider.capture(authorization.id, usd(401), new_key())
    void = await provider.void(authorization.id, new_key())
    assert void.amount == usd(400)
    with pytest.raises(PaymentProviderError, match="voided"):
        await provider.capture(authorization.id, usd(1), new_key())
    refund_key = new_key()
    refund = await provider.refund(first.id, usd(250), refund_key)
    assert await provider.refund(first.id, usd(250), refund_key) == refund
    with pytest.raises(PaymentProviderError, match="Only 350 minor units"):
        await provider.refund(first.id, usd(351), new_key())
    with pytest.raises(PaymentProviderError, match="no capture"):
        await provider.refund(authorization.id, usd(1), new_key())
    with pytest.raises(PaymentProviderError, match="no authorization"):
        await provider.capture("tp_auth_unknown", usd(1), new_key())
    operations = await _operations(writable_database)
    assert [(o["kind"], o["amount_minor"], o["captured_minor"], o["refunded_minor"], o["voided"])
            for o in operations] == [
        ("AUTHORIZE", 1000, 600, 0, True), ("CAPTURE", 600, 0, 250, False), ("VOID", 400, 0, 0, False),
        ("REFUND", 250, 0, 0, False)]


async def test_a_provider_that_cannot_be_reached_is_a_provider_error():
    unreachable = TestPaymentProvider("postgresql://nobody@127.0.0.1:1/nothing", timeout_seconds=1)
    try:
        with pytest.raises(PaymentProviderError, match="did not answer"):
            await unreachable.authorize(usd(100), "tok_visa", new_key())
    finally:
        await unreachable.close()
