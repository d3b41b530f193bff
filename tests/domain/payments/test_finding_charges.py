"""The test provider reads a charge's first answer back by its idempotency key (`find_charge`),
whatever is asked now: succeeded with the charge's id (what `refund` takes), declined with its
code, or nothing under an unused key. Two charges racing with one key and two cards, on separate
connections: one is made, the other refused, and the key's answer is the one made."""
import asyncio

import pytest

from domain.payments.provider import PaymentDeclined, PaymentProviderError
from tests.domain.payments.helpers import new_key, usd


async def test_the_first_answer_under_a_key_is_read_back_a_charge_or_a_decline(writable_database, provider):
    visa, mastercard = [await provider.save_payment_method(t) for t in ("tok_visa", "tok_mastercard")]
    key = new_key()
    assert await provider.find_charge(key) is None

    charge = await provider.charge(usd(1499), visa.id, key)
    with pytest.raises(PaymentProviderError):  # the same key with another card is another request
        await provider.charge(usd(1499), mastercard.id, key)

    found = await provider.find_charge(key)
    assert (found.charge_id, found.decline_code, found.payment_method_id, found.amount) == (
        charge.id, None, visa.id, usd(1499))
    await provider.refund(found.charge_id, found.amount, new_key())

    method = await provider.save_payment_method("tok_visa_declines_after_0")
    key = new_key()
    with pytest.raises(PaymentDeclined):
        await provider.charge(usd(500), method.id, key)
    found = await provider.find_charge(key)
    assert (found.charge_id, found.decline_code, found.payment_method_id) == (None, "card_declined", method.id)


async def test_two_cards_racing_under_one_key_make_one_charge(writable_database, provider):
    methods = [await provider.save_payment_method(t) for t in ("tok_visa", "tok_mastercard")]
    key = new_key()

    results = await asyncio.gather(*(provider.charge(usd(900), m.id, key) for m in methods),
                                   return_exceptions=True)

    [charge] = [r for r in results if not isinstance(r, BaseException)]
    assert [type(r) for r in results if isinstance(r, BaseException)] == [PaymentProviderError]
    assert (await provider.find_charge(key)).charge_id == charge.id
