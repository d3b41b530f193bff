"""The test provider's saved payment methods: documented tokens are kept (brand and last four
for display), declining ones are refused when saved; a charge of a saved method is captured at
once, answered once per key (a decline included), refundable, and a method can be made to
start declining, as a real card does."""
import asyncio

import pytest

from domain.payments.provider import PaymentDeclined, PaymentProviderError
from tests.domain.payments.helpers import fetch, new_key, usd

pytestmark = pytest.mark.one_copy_per_file


async def _kinds(db) -> list[tuple[str, str]]:
    rows = await fetch(db, "SELECT kind, outcome FROM test_provider_operations ORDER BY created_at, id")
    return [(r["kind"], r["outcome"]) for r in rows]


@pytest.mark.parametrize(("token", "brand", "last4"), [("tok_visa", "visa", "4242"),
                                                       ("tok_mastercard", "mastercard", "4444"),
                                                       ("tok_visa_declines_after_2", "visa", "0341")])
async def test_a_saved_method_has_a_reusable_id_and_its_card_for_display(writable_database, provider, token, brand,
                                                                         last4):
    method = await provider.save_payment_method(token)
    assert (method.brand, method.last4) == (brand, last4)
    assert method.id.startswith("tp_pm_") and token not in method.id


@pytest.mark.own_copy
@pytest.mark.parametrize(("token", "code"), [("tok_declined", "card_declined"), ("tok_3ds", "authentication_required"),
                                             ("tok_visa_declines_after_x", "invalid_token"), ("nope", "invalid_token")])
async def test_a_declining_token_is_refused_when_saved(writable_database, provider, token, code):
    with pytest.raises(PaymentDeclined) as declined:
        await provider.save_payment_method(token)
    assert declined.value.decline_code == code
    assert await fetch(writable_database, "SELECT * FROM test_provider_payment_methods") == []


async def test_the_error_token_fails_as_a_provider_error(writable_database, provider):
    with pytest.raises(PaymentProviderError):
        await provider.save_payment_method("tok_error")


@pytest.mark.own_copy
async def test_a_charge_is_captured_at_once_answered_once_per_key_and_refundable(writable_database, provider):
    method = await provider.save_payment_method("tok_visa")
    key = new_key("renewal")

    charges = await asyncio.gather(*(provider.charge(usd(1499), method.id, key) for _ in range(4)))

    assert len({c.id for c in charges}) == 1 and charges[0].amount == usd(1499)
    assert await _kinds(writable_database) == [("AUTHORIZE", "SUCCEEDED"), ("CAPTURE", "SUCCEEDED")]
    refund = await provider.refund(charges[0].id, usd(1499), new_key("refund"))
    assert refund.capture_id == charges[0].id
    with pytest.raises(PaymentProviderError):  # the key names another amount
        await provider.charge(usd(999), method.id, key)


@pytest.mark.own_copy
async def test_a_method_declines_after_its_charges_and_a_repeated_key_repeats_the_decline(writable_database, provider):
    method = await provider.save_payment_method("tok_visa_declines_after_1")
    await provider.charge(usd(1499), method.id, new_key())
    key = new_key()
    for _ in range(2):
        with pytest.raises(PaymentDeclined) as declined:
            await provider.charge(usd(1499), method.id, key)
        assert declined.value.decline_code == "card_declined"
    assert [kind for kind in await _kinds(writable_database)] == [
        ("AUTHORIZE", "SUCCEEDED"), ("CAPTURE", "SUCCEEDED"), ("AUTHORIZE", "DECLINED")]


async def test_a_method_made_to_decline_declines_until_it_is_lifted(writable_database, provider):
    method = await provider.save_payment_method("tok_visa")
    await provider.decline_charges(method.id, "expired_card")
    with pytest.raises(PaymentDeclined) as declined:
        await provider.charge(usd(500), method.id, new_key())
    assert declined.value.decline_code == "expired_card"
    await provider.decline_charges(method.id, None)
    assert (await provider.charge(usd(500), method.id, new_key())).amount == usd(500)


async def test_an_unknown_method_is_declined(writable_database, provider):
    with pytest.raises(PaymentDeclined) as declined:
        await provider.charge(usd(500), "tp_pm_unknown", new_key())
    assert declined.value.decline_code == "invalid_token"
